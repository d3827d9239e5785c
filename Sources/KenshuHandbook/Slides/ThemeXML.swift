/// `ppt/theme/themeN.xml`: colours, fonts and the minimum format scheme.
///
/// The format scheme's lists must hold at least three entries each (schema minimum);
/// PowerPoint reports the file as damaged otherwise, so each list repeats a plain style.
enum ThemeXML {
    static func theme(name: String = "Kenshu") -> String {
        XMLText.declaration
            + #"<a:theme xmlns:a="\#(OOXMLNamespace.drawing)" name="\#(XMLText.escape(name))"><a:themeElements>"#
            + colorScheme + fontScheme + formatScheme
            + "</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    }

    private static let colorScheme = #"<a:clrScheme name="Kenshu">"#
        + #"<a:dk1><a:srgbClr val="1A1A1A"/></a:dk1><a:lt1><a:srgbClr val="FFFFFF"/></a:lt1>"#
        + #"<a:dk2><a:srgbClr val="333F50"/></a:dk2><a:lt2><a:srgbClr val="EEECE1"/></a:lt2>"#
        + #"<a:accent1><a:srgbClr val="E60012"/></a:accent1><a:accent2><a:srgbClr val="0068B7"/></a:accent2>"#
        + #"<a:accent3><a:srgbClr val="009944"/></a:accent3><a:accent4><a:srgbClr val="F39800"/></a:accent4>"#
        + #"<a:accent5><a:srgbClr val="8064A2"/></a:accent5><a:accent6><a:srgbClr val="4D4D4D"/></a:accent6>"#
        + #"<a:hlink><a:srgbClr val="0563C1"/></a:hlink><a:folHlink><a:srgbClr val="954F72"/></a:folHlink>"#
        + "</a:clrScheme>"

    /// Major and minor fonts are both the Japanese default; `a:font script="Jpan"` is what
    /// PowerPoint consults for Japanese text when the editing language is Japanese.
    private static var fontScheme: String {
        let face = DeckFonts.themeTypeface
        let fonts = #"<a:latin typeface="\#(face)"/><a:ea typeface="\#(face)"/><a:cs typeface=""/>"#
            + #"<a:font script="Jpan" typeface="\#(face)"/>"#
        return #"<a:fontScheme name="Kenshu">"#
            + "<a:majorFont>\(fonts)</a:majorFont><a:minorFont>\(fonts)</a:minorFont></a:fontScheme>"
    }

    private static var formatScheme: String {
        let fill = #"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#
        let line = #"<a:ln w="9525" cap="flat" cmpd="sng" algn="ctr">\#(fill)<a:prstDash val="solid"/></a:ln>"#
        let effect = "<a:effectStyle><a:effectLst/></a:effectStyle>"
        func three(_ item: String) -> String { item + item + item }
        return #"<a:fmtScheme name="Kenshu">"#
            + "<a:fillStyleLst>\(three(fill))</a:fillStyleLst>"
            + "<a:lnStyleLst>\(three(line))</a:lnStyleLst>"
            + "<a:effectStyleLst>\(three(effect))</a:effectStyleLst>"
            + "<a:bgFillStyleLst>\(three(fill))</a:bgFillStyleLst>"
            + "</a:fmtScheme>"
    }
}
