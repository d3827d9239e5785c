/// The shapes of one slide's `p:spTree`, in z-order (first added is at the back).
///
/// Shape ids must be unique within a slide and id 1 belongs to the tree itself,
/// so ids are handed out here, counting from 2.
struct SlideShapes: Sendable {
    private(set) var xml = ""
    private var nextShapeID = 2

    enum VerticalAnchor: String, Sendable {
        case top = "t", middle = "ctr", bottom = "b"
    }

    /// An editable text box (`txBox="1"`), optionally filled.
    mutating func addTextBox(name: String, frame: EMURect, paragraphs: [TextParagraph],
                             anchor: VerticalAnchor = .top, fillHex: String? = nil,
                             insetEMU: Int = 91_440) {
        let id = takeShapeID()
        let fill = fillHex.map { #"<a:solidFill><a:srgbClr val="\#($0)"/></a:solidFill>"# } ?? "<a:noFill/>"
        xml += "<p:sp><p:nvSpPr>"
        xml += #"<p:cNvPr id="\#(id)" name="\#(XMLText.escape(name))"/><p:cNvSpPr txBox="1"/><p:nvPr/>"#
        xml += "</p:nvSpPr><p:spPr>" + Self.transform(frame)
        xml += #"<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>"# + fill + "</p:spPr>"
        // Fixed size without autofit: the writer sizes the text to fit, so both PowerPoint and
        // LibreOffice show the same layout without having to recompute a shrink factor.
        xml += #"<p:txBody><a:bodyPr wrap="square" lIns="\#(insetEMU)" tIns="\#(insetEMU)" "#
        xml += #"rIns="\#(insetEMU)" bIns="\#(insetEMU)" rtlCol="0" anchor="\#(anchor.rawValue)">"#
        xml += "<a:noAutofit/></a:bodyPr><a:lstStyle/>"
        xml += paragraphs.isEmpty ? "<a:p/>" : paragraphs.map { $0.xml() }.joined()
        xml += "</p:txBody></p:sp>"
    }

    /// A picture filling `frame`, whose image is the slide relationship `relationshipID`.
    mutating func addPicture(name: String, description: String, frame: EMURect, relationshipID: String) {
        let id = takeShapeID()
        xml += "<p:pic><p:nvPicPr>"
        xml += #"<p:cNvPr id="\#(id)" name="\#(XMLText.escape(name))" descr="\#(XMLText.escape(description))"/>"#
        xml += #"<p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr>"#
        xml += #"<p:blipFill><a:blip r:embed="\#(relationshipID)"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>"#
        xml += "<p:spPr>" + Self.transform(frame) + #"<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>"#
        xml += "</p:pic>"
    }

    /// An unfilled rectangle auto shape with a coloured outline, so a trainer can move or delete it.
    mutating func addOutlineRectangle(name: String, frame: EMURect, colorHex: String, lineWidthEMU: Int) {
        let id = takeShapeID()
        xml += "<p:sp><p:nvSpPr>"
        xml += #"<p:cNvPr id="\#(id)" name="\#(XMLText.escape(name))"/><p:cNvSpPr/><p:nvPr/>"#
        xml += "</p:nvSpPr><p:spPr>" + Self.transform(frame)
        xml += #"<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/>"#
        xml += #"<a:ln w="\#(lineWidthEMU)"><a:solidFill><a:srgbClr val="\#(colorHex)"/></a:solidFill>"#
        xml += #"<a:prstDash val="solid"/><a:miter lim="800000"/></a:ln></p:spPr></p:sp>"#
    }

    private mutating func takeShapeID() -> Int {
        defer { nextShapeID += 1 }
        return nextShapeID
    }

    private static func transform(_ frame: EMURect) -> String {
        #"<a:xfrm><a:off x="\#(frame.x)" y="\#(frame.y)"/><a:ext cx="\#(frame.width)" cy="\#(frame.height)"/></a:xfrm>"#
    }
}
