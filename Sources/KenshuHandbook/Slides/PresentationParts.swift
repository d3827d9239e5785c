import Foundation

/// The package-level and presentation-level parts: everything that is not a slide, a master or a theme.
enum PresentationParts {
    /// Presentation relationship ids; slides follow from `firstSlideRelationshipNumber`.
    private static let fixedPresentationRelationships: [PartRelationship] = [
        PartRelationship(id: "rId1", type: RelationshipType.slideMaster, target: "slideMasters/slideMaster1.xml"),
        PartRelationship(id: "rId2", type: RelationshipType.notesMaster, target: "notesMasters/notesMaster1.xml"),
        PartRelationship(id: "rId3", type: RelationshipType.presProps, target: "presProps.xml"),
        PartRelationship(id: "rId4", type: RelationshipType.viewProps, target: "viewProps.xml"),
        PartRelationship(id: "rId5", type: RelationshipType.theme, target: "theme/theme1.xml"),
        PartRelationship(id: "rId6", type: RelationshipType.tableStyles, target: "tableStyles.xml"),
    ]
    private static let firstSlideRelationshipNumber = 7
    /// PowerPoint numbers slide ids from 256.
    private static let firstSlideID = 256

    static func slideRelationshipID(slideIndex: Int) -> String { "rId\(firstSlideRelationshipNumber + slideIndex)" }

    /// `[Content_Types].xml`: defaults by extension plus one override per XML part that needs one.
    static func contentTypes(for parts: [PackagePart]) -> String {
        var xml = XMLText.declaration
        xml += #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        xml += #"<Default Extension="rels" ContentType="\#(ContentType.relationships)"/>"#
        xml += #"<Default Extension="xml" ContentType="application/xml"/>"#
        xml += #"<Default Extension="png" ContentType="\#(ContentType.png)"/>"#
        for part in parts {
            guard let contentType = part.contentTypeOverride else { continue }
            xml += #"<Override PartName="/\#(XMLText.escape(part.path))" ContentType="\#(contentType)"/>"#
        }
        return xml + "</Types>"
    }

    static func rootRelationships() -> String {
        PartRelationship.relationshipsXML([
            PartRelationship(id: "rId1", type: RelationshipType.document, target: "ppt/presentation.xml"),
            PartRelationship(id: "rId2", type: RelationshipType.coreProperties, target: "docProps/core.xml"),
            PartRelationship(id: "rId3", type: RelationshipType.extendedProperties, target: "docProps/app.xml"),
        ])
    }

    /// `docProps/core.xml` with caller-given timestamps so that output is reproducible.
    static func coreProperties(title: String, timestamp: String) -> String {
        XMLText.declaration
            + #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#
            + #"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#
            + #"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
            + "<dc:title>\(XMLText.escape(title))</dc:title><dc:creator>Kenshu</dc:creator>"
            + "<cp:lastModifiedBy>Kenshu</cp:lastModifiedBy><cp:revision>1</cp:revision>"
            + #"<dcterms:created xsi:type="dcterms:W3CDTF">\#(timestamp)</dcterms:created>"#
            + #"<dcterms:modified xsi:type="dcterms:W3CDTF">\#(timestamp)</dcterms:modified>"#
            + "</cp:coreProperties>"
    }

    static func appProperties(slideCount: Int, notesCount: Int) -> String {
        XMLText.declaration
            + #"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" "#
            + #"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#
            + "<Application>Kenshu</Application><PresentationFormat>ワイド画面</PresentationFormat>"
            + "<Slides>\(slideCount)</Slides><Notes>\(notesCount)</Notes><HiddenSlides>0</HiddenSlides>"
            + "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
            + "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    }

    static func presentation(slideCount: Int) -> String {
        var xml = XMLText.declaration
        xml += "<p:presentation \(OOXMLNamespace.presentationMLDeclarations) saveSubsetFonts=\"1\">"
        xml += "<p:sldMasterIdLst><p:sldMasterId id=\"\(MasterXML.masterID)\" r:id=\"rId1\"/></p:sldMasterIdLst>"
        xml += "<p:notesMasterIdLst><p:notesMasterId r:id=\"rId2\"/></p:notesMasterIdLst>"
        if slideCount > 0 {
            xml += "<p:sldIdLst>"
            for index in 0..<slideCount {
                xml += "<p:sldId id=\"\(firstSlideID + index)\" r:id=\"\(slideRelationshipID(slideIndex: index))\"/>"
            }
            xml += "</p:sldIdLst>"
        }
        xml += "<p:sldSz cx=\"\(EMU.slideWidth)\" cy=\"\(EMU.slideHeight)\"/>"
        xml += "<p:notesSz cx=\"\(EMU.notesWidth)\" cy=\"\(EMU.notesHeight)\"/>"
        xml += "<p:defaultTextStyle><a:defPPr><a:defRPr lang=\"ja-JP\"/></a:defPPr>"
        xml += MasterXML.levelOneStyle(sizePoints: 18) + "</p:defaultTextStyle>"
        return xml + "</p:presentation>"
    }

    /// Targets are relative to `ppt/`.
    static func presentationRelationships(slideFileNames: [String]) -> String {
        let slides = slideFileNames.enumerated().map { index, fileName in
            PartRelationship(id: slideRelationshipID(slideIndex: index), type: RelationshipType.slide,
                             target: "slides/\(fileName)")
        }
        return PartRelationship.relationshipsXML(fixedPresentationRelationships + slides)
    }

    static func presentationProperties() -> String {
        XMLText.declaration + "<p:presentationPr \(OOXMLNamespace.presentationMLDeclarations)/>"
    }

    static func viewProperties() -> String {
        XMLText.declaration
            + "<p:viewPr \(OOXMLNamespace.presentationMLDeclarations)>"
            + "<p:normalViewPr><p:restoredLeft sz=\"15620\"/><p:restoredTop sz=\"94660\"/></p:normalViewPr>"
            + "<p:gridSpacing cx=\"76200\" cy=\"76200\"/></p:viewPr>"
    }

    /// The default table style id is the well-known built-in "Medium Style 2 - Accent 1", not a generated id.
    static func tableStyles() -> String {
        XMLText.declaration
            + #"<a:tblStyleLst xmlns:a="\#(OOXMLNamespace.drawing)" def="{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"/>"#
    }
}
