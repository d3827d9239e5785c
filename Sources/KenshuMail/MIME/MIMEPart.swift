import Foundation

/// One node of a parsed MIME tree: its headers, parsed content fields, the range of its still-encoded
/// body in the message bytes, and its children when it is a multipart.
struct MIMEPart: Sendable {
    /// Dotted position as Mailpit numbers parts (`1`, `1.2`); empty for the message itself.
    var partID: String
    /// The part's own header fields.
    var headers: [MIMEHeader]
    /// Content-Type with its parameters; the value is the lowercased media type.
    var contentType: MIMEParameters
    /// Content-Disposition with its parameters; the value is empty when the header is absent.
    var disposition: MIMEParameters
    /// The range of the body (after the blank line) in the message bytes, still transfer-encoded.
    var bodyRange: Range<Int>
    /// The sub-parts of a multipart; empty for leaves and for multiparts cut by the depth limit.
    var children: [MIMEPart]

    /// The first header named `name` (case-insensitive).
    func header(_ name: String) -> MIMEHeader? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// The media type, e.g. `text/plain`.
    var mediaType: String { contentType.value }

    /// Whether this part holds other parts.
    var isMultipart: Bool { mediaType.hasPrefix("multipart/") }

    /// The file name from Content-Disposition, else from the Content-Type `name` parameter.
    var fileName: String {
        if let name = disposition["filename"], !name.isEmpty { return name }
        return contentType["name"] ?? ""
    }

    /// The Content-ID without angle brackets.
    var contentID: String {
        guard let raw = header("Content-ID")?.rawValue else { return "" }
        return raw.trimmingCharacters(in: CharacterSet(charactersIn: "<> \t"))
    }

    /// Decodes the body's transfer encoding.
    func decodedBody(in bytes: [UInt8]) -> [UInt8] {
        let encoding = header("Content-Transfer-Encoding")?.rawValue ?? "7bit"
        return MIMETransferEncoding.decode(bytes[bodyRange], encoding: encoding)
    }

    /// Decodes the body to text with the declared charset, line ends normalised to LF.
    func decodedText(in bytes: [UInt8]) -> String {
        let text = MIMECharset.decode(decodedBody(in: bytes), charset: contentType["charset"])
        return text.replacingOccurrences(of: "\r\n", with: "\n")
    }
}
