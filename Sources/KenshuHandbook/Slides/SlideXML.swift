/// `ppt/slides/slideN.xml` and its relationships.
enum SlideXML {
    /// Fixed relationship ids: every slide uses the one layout, at most one picture and at most one notes slide.
    static let layoutRelationshipID = "rId1"
    static let imageRelationshipID = "rId2"
    static let notesRelationshipID = "rId3"

    static func slide(_ shapes: SlideShapes) -> String {
        XMLText.declaration
            + "<p:sld \(OOXMLNamespace.presentationMLDeclarations)>"
            + "<p:cSld>" + shapeTree(shapes.xml) + "</p:cSld>"
            + "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr>"
            + "</p:sld>"
    }

    /// Targets are relative to `ppt/slides/`.
    static func relationships(layoutFileName: String, imageFileName: String?,
                              notesSlideFileName: String?) -> String {
        var relationships = [PartRelationship(id: layoutRelationshipID, type: RelationshipType.slideLayout,
                                              target: "../slideLayouts/\(layoutFileName)")]
        if let imageFileName {
            relationships.append(PartRelationship(id: imageRelationshipID, type: RelationshipType.image,
                                                  target: "../media/\(imageFileName)"))
        }
        if let notesSlideFileName {
            relationships.append(PartRelationship(id: notesRelationshipID, type: RelationshipType.notesSlide,
                                                  target: "../notesSlides/\(notesSlideFileName)"))
        }
        return PartRelationship.relationshipsXML(relationships)
    }

    /// `p:spTree` with the mandatory group properties (id 1) around `shapesXML`.
    static func shapeTree(_ shapesXML: String) -> String {
        "<p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>"
            + "<p:grpSpPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"0\" cy=\"0\"/>"
            + "<a:chOff x=\"0\" y=\"0\"/><a:chExt cx=\"0\" cy=\"0\"/></a:xfrm></p:grpSpPr>"
            + shapesXML + "</p:spTree>"
    }
}
