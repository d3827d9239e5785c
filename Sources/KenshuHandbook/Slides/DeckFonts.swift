/// Font choices for Japanese decks.
///
/// OOXML has no fallback list inside one typeface attribute, so the fallback is layered:
/// text runs name Noto Sans CJK JP explicitly (installed with fonts-noto-cjk on Linux, and
/// what LibreOffice renders), with `charset="-128"` (Shift-JIS) and a sans-serif pitch family
/// so a machine without it substitutes a Japanese gothic instead of a Latin font; the theme's
/// fonts — used by any text a trainer adds later — are Meiryo, which every Japanese Windows has.
enum DeckFonts {
    static let runTypeface = "Noto Sans CJK JP"
    static let themeTypeface = "Meiryo"
    /// Shift-JIS charset and "variable pitch, swiss family", as PowerPoint writes them for
    /// Japanese gothic fonts; they steer font substitution when the typeface is missing.
    static let japaneseCharset = "-128"
    static let sansPitchFamily = "34"

    /// `a:latin` + `a:ea` children for a run's `a:rPr`.
    static var runFontElements: String {
        let attributes = #"typeface="\#(runTypeface)" pitchFamily="\#(sansPitchFamily)" charset="\#(japaneseCharset)""#
        return "<a:latin \(attributes)/><a:ea \(attributes)/>"
    }
}
