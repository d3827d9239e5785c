import Foundation

/// One file inside the .pptx (OPC) package.
struct PackagePart: Sendable {
    /// Path inside the zip, without a leading slash ("ppt/slides/slide1.xml").
    var path: String
    /// Listed as an `Override` in `[Content_Types].xml`; nil when a `Default` by extension covers it.
    var contentTypeOverride: String?
    var data: Data
    /// PNGs are already deflated; storing them skips work that would not shrink them.
    var shouldCompress: Bool

    static func xml(_ path: String, contentType: String?, _ xml: String) -> PackagePart {
        PackagePart(path: path, contentTypeOverride: contentType, data: Data(xml.utf8), shouldCompress: true)
    }
}

/// A relationship from one part to another (`*.rels`).
struct PartRelationship: Sendable {
    var id: String
    var type: String
    /// Relative to the source part's folder.
    var target: String

    static func relationshipsXML(_ relationships: [PartRelationship]) -> String {
        var xml = XMLText.declaration
        xml += #"<Relationships xmlns="\#(OOXMLNamespace.packageRelationships)">"#
        for relationship in relationships {
            xml += #"<Relationship Id="\#(XMLText.escape(relationship.id))" "#
            xml += #"Type="\#(XMLText.escape(relationship.type))" "#
            xml += #"Target="\#(XMLText.escape(relationship.target))"/>"#
        }
        xml += "</Relationships>"
        return xml
    }
}

/// Relationship type URIs used by the deck.
enum RelationshipType {
    private static let officeDocument = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let document = officeDocument + "/officeDocument"
    static let coreProperties = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
    static let extendedProperties = officeDocument + "/extended-properties"
    static let slideMaster = officeDocument + "/slideMaster"
    static let slideLayout = officeDocument + "/slideLayout"
    static let slide = officeDocument + "/slide"
    static let notesMaster = officeDocument + "/notesMaster"
    static let notesSlide = officeDocument + "/notesSlide"
    static let theme = officeDocument + "/theme"
    static let image = officeDocument + "/image"
    static let presProps = officeDocument + "/presProps"
    static let viewProps = officeDocument + "/viewProps"
    static let tableStyles = officeDocument + "/tableStyles"
}

/// Content types of the parts listed as overrides.
enum ContentType {
    private static let presentationML = "application/vnd.openxmlformats-officedocument.presentationml"
    static let presentation = presentationML + ".presentation.main+xml"
    static let slideMaster = presentationML + ".slideMaster+xml"
    static let slideLayout = presentationML + ".slideLayout+xml"
    static let slide = presentationML + ".slide+xml"
    static let notesMaster = presentationML + ".notesMaster+xml"
    static let notesSlide = presentationML + ".notesSlide+xml"
    static let presProps = presentationML + ".presProps+xml"
    static let viewProps = presentationML + ".viewProps+xml"
    static let tableStyles = presentationML + ".tableStyles+xml"
    static let theme = "application/vnd.openxmlformats-officedocument.theme+xml"
    static let coreProperties = "application/vnd.openxmlformats-package.core-properties+xml"
    static let extendedProperties = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
    static let relationships = "application/vnd.openxmlformats-package.relationships+xml"
    static let png = "image/png"
}
