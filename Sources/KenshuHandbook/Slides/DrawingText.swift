/// A run of text with one formatting, rendered as `a:r`.
struct TextRun: Sendable {
    var text: String
    var sizePoints: Double
    var isBold = false
    /// RGB hex without '#'.
    var colorHex = DeckColors.text

    func xml() -> String {
        let size = Int((sizePoints * 100).rounded())
        var rPr = #"<a:rPr lang="ja-JP" altLang="en-US" sz="\#(size)""#
        if isBold { rPr += #" b="1""# }
        rPr += #" dirty="0"><a:solidFill><a:srgbClr val="\#(colorHex)"/></a:solidFill>"#
        rPr += DeckFonts.runFontElements + "</a:rPr>"
        return "<a:r>\(rPr)<a:t>\(XMLText.escape(text))</a:t></a:r>"
    }
}

/// A paragraph (`a:p`); text with line breaks becomes several paragraphs via `paragraphs(_:…)`.
struct TextParagraph: Sendable {
    enum Alignment: String, Sendable {
        case left = "l", center = "ctr", right = "r"
    }

    var runs: [TextRun]
    var alignment: Alignment = .left
    /// Extra space above the paragraph, in points.
    var spaceBeforePoints: Double = 0
    /// Size of the paragraph mark; matters for empty lines, which have no run to size them.
    var endSizePoints: Double? = nil

    func xml() -> String {
        var pPr = #"<a:pPr algn="\#(alignment.rawValue)""#
        if spaceBeforePoints > 0 {
            pPr += #"><a:spcBef><a:spcPts val="\#(Int((spaceBeforePoints * 100).rounded()))"/></a:spcBef></a:pPr>"#
        } else {
            pPr += "/>"
        }
        // The end-of-paragraph properties keep an empty line at the same size as its text.
        let endSize = Int(((endSizePoints ?? runs.last?.sizePoints ?? 18) * 100).rounded())
        let endRPr = #"<a:endParaRPr lang="ja-JP" altLang="en-US" sz="\#(endSize)" dirty="0"/>"#
        return "<a:p>" + pPr + runs.map { $0.xml() }.joined() + endRPr + "</a:p>"
    }

    /// One paragraph per line of `text`, all in one style.
    static func paragraphs(_ text: String, sizePoints: Double, isBold: Bool = false,
                           colorHex: String = DeckColors.text, alignment: Alignment = .left,
                           spaceBeforePoints: Double = 0) -> [TextParagraph] {
        XMLText.lines(text).enumerated().map { index, line in
            TextParagraph(runs: line.isEmpty ? [] : [TextRun(text: line, sizePoints: sizePoints,
                                                             isBold: isBold, colorHex: colorHex)],
                          alignment: alignment,
                          spaceBeforePoints: index == 0 ? spaceBeforePoints : 0,
                          endSizePoints: sizePoints)
        }
    }
}

/// The deck's palette (RGB hex).
enum DeckColors {
    /// The red of the boxes kenshu draws into screenshots.
    static let highlightRed = "E60012"
    static let text = "1A1A1A"
    static let caption = "666666"
    static let white = "FFFFFF"
    static let pointBlue = "0068B7"
    static let referenceGray = "4D4D4D"
}
