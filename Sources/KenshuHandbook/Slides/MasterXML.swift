/// The slide master and its single "blank" layout.
///
/// All slide content is placed in free text boxes, so the layout needs no placeholders;
/// the master keeps a title and body placeholder so a trainer who adds a slide in
/// PowerPoint still gets the usual title/body styles.
enum MasterXML {
    static let masterID = 2_147_483_648
    /// Layout ids share the master's id space and must be above it.
    static let blankLayoutID = 2_147_483_649
    static let blankLayoutFileName = "slideLayout1.xml"

    static let colorMap = #"<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" "#
        + #"accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>"#

    static func slideMaster() -> String {
        let margin = EMU.inches(0.5)
        let titleFrame = EMURect(x: margin, y: EMU.inches(0.4), width: EMU.slideWidth - 2 * margin, height: EMU.inches(1.2))
        let bodyFrame = EMURect(x: margin, y: EMU.inches(1.8), width: EMU.slideWidth - 2 * margin,
                                height: EMU.slideHeight - EMU.inches(2.3))
        return XMLText.declaration
            + "<p:sldMaster \(OOXMLNamespace.presentationMLDeclarations)><p:cSld>"
            + "<p:bg><p:bgPr><a:solidFill><a:schemeClr val=\"bg1\"/></a:solidFill><a:effectLst/></p:bgPr></p:bg>"
            + SlideXML.shapeTree(
                placeholder(id: 2, name: "Title Placeholder 1", type: "title", index: nil, frame: titleFrame,
                            sample: "タイトル")
                + placeholder(id: 3, name: "Text Placeholder 2", type: "body", index: 1, frame: bodyFrame,
                              sample: "テキスト"))
            + "</p:cSld>"
            + colorMap
            + "<p:sldLayoutIdLst><p:sldLayoutId id=\"\(blankLayoutID)\" r:id=\"rId1\"/></p:sldLayoutIdLst>"
            + "<p:txStyles>"
            + "<p:titleStyle>" + levelOneStyle(sizePoints: 36, font: "+mj") + "</p:titleStyle>"
            + "<p:bodyStyle>" + levelOneStyle(sizePoints: 24) + "</p:bodyStyle>"
            + "<p:otherStyle>" + levelOneStyle(sizePoints: 18) + "</p:otherStyle>"
            + "</p:txStyles></p:sldMaster>"
    }

    static func slideMasterRelationships() -> String {
        PartRelationship.relationshipsXML([
            PartRelationship(id: "rId1", type: RelationshipType.slideLayout,
                             target: "../slideLayouts/\(blankLayoutFileName)"),
            PartRelationship(id: "rId2", type: RelationshipType.theme, target: "../theme/theme1.xml"),
        ])
    }

    static func blankLayout() -> String {
        XMLText.declaration
            + "<p:sldLayout \(OOXMLNamespace.presentationMLDeclarations) type=\"blank\" preserve=\"1\">"
            + "<p:cSld name=\"白紙\">" + SlideXML.shapeTree("") + "</p:cSld>"
            + "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"
    }

    static func blankLayoutRelationships() -> String {
        PartRelationship.relationshipsXML([
            PartRelationship(id: "rId1", type: RelationshipType.slideMaster,
                             target: "../slideMasters/slideMaster1.xml"),
        ])
    }

    /// `a:lvl1pPr` using the theme fonts (`+mn-ea` → the theme's Meiryo), for text styles.
    static func levelOneStyle(sizePoints: Double, font: String = "+mn") -> String {
        let size = Int((sizePoints * 100).rounded())
        return #"<a:lvl1pPr marL="0" algn="l" defTabSz="914400" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1">"#
            + #"<a:defRPr sz="\#(size)" kern="1200"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill>"#
            + #"<a:latin typeface="\#(font)-lt"/><a:ea typeface="\#(font)-ea"/><a:cs typeface="\#(font)-cs"/>"#
            + "</a:defRPr></a:lvl1pPr>"
    }

    private static func placeholder(id: Int, name: String, type: String, index: Int?, frame: EMURect,
                                    sample: String) -> String {
        let indexAttribute = index.map { #" idx="\#($0)""# } ?? ""
        return "<p:sp><p:nvSpPr>"
            + #"<p:cNvPr id="\#(id)" name="\#(name)"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>"#
            + #"<p:nvPr><p:ph type="\#(type)"\#(indexAttribute)/></p:nvPr></p:nvSpPr>"#
            + #"<p:spPr><a:xfrm><a:off x="\#(frame.x)" y="\#(frame.y)"/><a:ext cx="\#(frame.width)" cy="\#(frame.height)"/></a:xfrm>"#
            + #"<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>"#
            + #"<p:txBody><a:bodyPr vert="horz" lIns="91440" tIns="45720" rIns="91440" bIns="45720" rtlCol="0"/>"#
            + #"<a:lstStyle/><a:p><a:r><a:rPr lang="ja-JP" altLang="en-US"/><a:t>\#(sample)</a:t></a:r></a:p>"#
            + "</p:txBody></p:sp>"
    }
}
