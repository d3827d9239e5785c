/// Picks font sizes so text fits its box without relying on autofit, which PowerPoint only
/// applies after it re-measures a slide and LibreOffice applies differently.
enum TextFitting {
    /// Noto Sans CJK's ascent + descent is about 1.45 em, so single-spaced lines are that tall.
    static let lineHeightPerPoint = 1.45

    /// Height in EMU of `text` wrapped into `width` EMU at `sizePoints`.
    static func estimatedHeight(of text: String, sizePoints: Double, width: Int) -> Int {
        let lineWidth = Double(max(width, 1))
        var lineCount = 0
        for line in XMLText.lines(text) {
            let lineTextWidth = estimatedWidth(of: line, sizePoints: sizePoints)
            lineCount += max(1, Int((lineTextWidth / lineWidth).rounded(.up)))
        }
        return Int((Double(lineCount) * sizePoints * lineHeightPerPoint * Double(EMU.perPoint)).rounded(.up))
    }

    /// The first (largest) of `candidates` whose wrapped height fits `height`; the last one otherwise.
    static func largestSize(for text: String, candidates: [Double], width: Int, height: Int) -> Double {
        for size in candidates where estimatedHeight(of: text, sizePoints: size, width: width) <= height {
            return size
        }
        return candidates.last ?? 12
    }

    /// Full-width (CJK, kana, symbols) characters take 1 em, ASCII about 0.6 em.
    /// Slightly generous so that an estimate errs towards a smaller font, never overflow.
    private static func estimatedWidth(of line: String, sizePoints: Double) -> Double {
        var ems = 0.0
        for scalar in line.unicodeScalars {
            ems += scalar.value < 0x2E80 ? 0.6 : 1.0
        }
        // One extra em per line covers kinsoku shifts (punctuation that may not start a line).
        return (ems + 1) * sizePoints * Double(EMU.perPoint)
    }
}
