/// English Metric Units, PresentationML's integer length unit.
/// Everything placed on a slide is computed in EMU so that the XML holds exact integers.
enum EMU {
    static let perInch = 914_400
    static let perPoint = 12_700

    /// 16:9 widescreen, the PowerPoint default since 2013.
    static let slideWidth = 12_192_000
    static let slideHeight = 6_858_000

    /// Portrait notes page (7.5 in × 10 in), PowerPoint's default.
    static let notesWidth = 6_858_000
    static let notesHeight = 9_144_000

    static func inches(_ value: Double) -> Int { Int((value * Double(perInch)).rounded()) }
    static func points(_ value: Double) -> Int { Int((value * Double(perPoint)).rounded()) }
}

/// A rectangle on the slide in EMU (origin top-left).
struct EMURect: Equatable, Sendable {
    var x: Int
    var y: Int
    var width: Int
    var height: Int

    var maxX: Int { x + width }
    var maxY: Int { y + height }
    var area: Int { width * height }
}
