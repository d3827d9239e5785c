/// A rectangle in CSS pixels relative to the top-left corner of the document
/// (not the viewport), so it stays valid however the page is scrolled.
///
/// Also used as the clip of `Page.screenshotPNG(clip:fullPage:)`; there `visible` is ignored.
public struct Box: Sendable, Hashable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    /// Whether a person could see the element: non-zero size, and neither it nor an
    /// ancestor has `display: none` or `visibility: hidden`.
    public var visible: Bool

    public init(x: Double, y: Double, width: Double, height: Double, visible: Bool = true) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.visible = visible
    }

    public var description: String {
        "Box(x: \(x), y: \(y), width: \(width), height: \(height), visible: \(visible))"
    }
}
