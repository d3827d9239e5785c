/// Speaker notes: `ppt/notesSlides/notesSlideN.xml`, and the notes master they require.
enum NotesXML {
    /// Where the slide thumbnail and the notes text sit on the portrait notes page
    /// (PowerPoint's defaults for a 16:9 deck).
    private static let slideImageFrame = EMURect(x: 685_800, y: 1_143_000, width: 5_486_400, height: 3_086_100)
    private static let notesTextFrame = EMURect(x: 685_800, y: 4_400_550, width: 5_486_400, height: 3_600_450)
    static let notesTextSizePoints: Double = 12

    /// A notes slide whose body placeholder holds `paragraphs`.
    static func notesSlide(paragraphs: [TextParagraph]) -> String {
        let body = paragraphs.isEmpty ? "<a:p/>" : paragraphs.map { $0.xml() }.joined()
        return XMLText.declaration
            + "<p:notes \(OOXMLNamespace.presentationMLDeclarations)><p:cSld>"
            + SlideXML.shapeTree(
                placeholder(id: 2, name: "Slide Image Placeholder 1", type: "sldImg", index: nil,
                            frame: slideImageFrame, body: nil)
                + placeholder(id: 3, name: "Notes Placeholder 2", type: "body", index: 1,
                              frame: notesTextFrame, body: body))
            + "</p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>"
    }

    /// Targets are relative to `ppt/notesSlides/`; a notes slide points back at its slide.
    static func notesSlideRelationships(slideFileName: String) -> String {
        PartRelationship.relationshipsXML([
            PartRelationship(id: "rId1", type: RelationshipType.notesMaster,
                             target: "../notesMasters/notesMaster1.xml"),
            PartRelationship(id: "rId2", type: RelationshipType.slide, target: "../slides/\(slideFileName)"),
        ])
    }

    /// The notes master: the two placeholders the notes slides inherit from, and the notes text style.
    static func notesMaster() -> String {
        let sampleBody = TextParagraph(runs: [TextRun(text: "ノート", sizePoints: notesTextSizePoints)]).xml()
        return XMLText.declaration
            + "<p:notesMaster \(OOXMLNamespace.presentationMLDeclarations)><p:cSld>"
            + "<p:bg><p:bgRef idx=\"1001\"><a:schemeClr val=\"bg1\"/></p:bgRef></p:bg>"
            + SlideXML.shapeTree(
                placeholder(id: 2, name: "Slide Image Placeholder 1", type: "sldImg", index: 2,
                            frame: slideImageFrame, body: nil)
                + placeholder(id: 3, name: "Notes Placeholder 2", type: "body", index: 3,
                              frame: notesTextFrame, body: sampleBody))
            + "</p:cSld>"
            + MasterXML.colorMap
            + "<p:notesStyle>" + MasterXML.levelOneStyle(sizePoints: notesTextSizePoints) + "</p:notesStyle>"
            + "</p:notesMaster>"
    }

    /// The notes master uses its own theme part (PowerPoint requires one per master).
    static func notesMasterRelationships() -> String {
        PartRelationship.relationshipsXML([
            PartRelationship(id: "rId1", type: RelationshipType.theme, target: "../theme/theme2.xml"),
        ])
    }

    private static func placeholder(id: Int, name: String, type: String, index: Int?,
                                    frame: EMURect, body: String?) -> String {
        let isSlideImage = type == "sldImg"
        let locks = isSlideImage ? #"<a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/>"# : #"<a:spLocks noGrp="1"/>"#
        let indexAttribute = index.map { #" idx="\#($0)""# } ?? ""
        var xml = "<p:sp><p:nvSpPr>"
        xml += #"<p:cNvPr id="\#(id)" name="\#(name)"/><p:cNvSpPr>\#(locks)</p:cNvSpPr>"#
        xml += #"<p:nvPr><p:ph type="\#(type)"\#(indexAttribute)/></p:nvPr></p:nvSpPr>"#
        xml += #"<p:spPr><a:xfrm><a:off x="\#(frame.x)" y="\#(frame.y)"/><a:ext cx="\#(frame.width)" cy="\#(frame.height)"/></a:xfrm>"#
        xml += #"<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>"#
        if isSlideImage {
            xml += #"<a:noFill/><a:ln w="12700"><a:solidFill><a:prstClr val="black"/></a:solidFill></a:ln>"#
        }
        xml += "</p:spPr>"
        if let body {
            xml += #"<p:txBody><a:bodyPr vert="horz" lIns="91440" tIns="45720" rIns="91440" bIns="45720" rtlCol="0"/>"#
            xml += "<a:lstStyle/>" + body + "</p:txBody>"
        }
        xml += "</p:sp>"
        return xml
    }
}
