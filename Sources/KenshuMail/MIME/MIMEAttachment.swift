/// A decoded non-body part of a message: a file attachment or an inline resource such as an image
/// referenced from the HTML by `cid:`.
public struct MIMEAttachment: Sendable {
    /// Dotted position of the part in the MIME tree, numbered as Mailpit does (`2`, `1.2`).
    public var partID: String
    /// The file name, from Content-Disposition `filename` or Content-Type `name`, decoded; may be empty.
    public var fileName: String
    /// The lowercased media type, e.g. `application/pdf`.
    public var contentType: String
    /// The Content-ID without angle brackets; empty when the part has none.
    public var contentID: String
    /// The content with its transfer encoding removed.
    public var data: [UInt8]
    /// The decoded size in bytes.
    public var size: Int

    /// Creates an attachment; `size` is taken from `data`.
    public init(partID: String, fileName: String, contentType: String, contentID: String, data: [UInt8]) {
        self.partID = partID
        self.fileName = fileName
        self.contentType = contentType
        self.contentID = contentID
        self.data = data
        self.size = data.count
    }
}
