import Foundation

/// A stored mail (`.eml` bytes) parsed for display: headers, addresses, date, the text and HTML bodies,
/// attachments, inline resources and a snippet for list views.
///
/// Parsing is best effort and never fails: the declared charset is always used (never guessed over),
/// damaged encodings keep what decodes, and nesting and part counts are bounded (see ``MIMEPartParser``)
/// so hostile input stays cheap.
public struct MIMEMessage: Sendable {
    /// The top-level header fields in order, unfolded, with raw and decoded values.
    public var headers: [MIMEHeader]
    /// The subject, RFC 2047-decoded; empty when absent.
    public var subject: String
    /// The `From` mailboxes.
    public var from: [MailAddress]
    /// The `To` mailboxes.
    public var to: [MailAddress]
    /// The `Cc` mailboxes.
    public var cc: [MailAddress]
    /// The `Bcc` mailboxes.
    public var bcc: [MailAddress]
    /// The `Reply-To` mailboxes.
    public var replyTo: [MailAddress]
    /// The `Date` header as an instant; `nil` when absent or unreadable.
    public var date: Date?
    /// The `Message-ID` without angle brackets; empty when absent.
    public var messageID: String
    /// The first text/plain part that is not an attachment, decoded, line ends normalised to LF.
    public var text: String?
    /// The first text/html part that is not an attachment, decoded, line ends normalised to LF.
    public var html: String?
    /// Parts with `Content-Disposition: attachment`, and other non-body parts that are not inline resources.
    public var attachments: [MIMEAttachment]
    /// Inline parts with a Content-ID, such as images the HTML references with `cid:`.
    public var inline: [MIMEAttachment]
    /// About the first 250 characters of the text (or of the HTML without tags), whitespace collapsed.
    public var snippet: String

    /// Parses `bytes`; never throws and never traps, whatever the input.
    public init(parsing bytes: [UInt8]) {
        var parser = MIMEPartParser(bytes: bytes)
        let root = parser.parseMessage()
        let summary = MIMEHeaderSummary(headers: root.headers)
        headers = root.headers
        subject = summary.subject
        from = summary.from
        to = summary.to
        cc = summary.cc
        bcc = summary.bcc
        replyTo = summary.replyTo
        date = summary.date
        messageID = summary.messageID
        text = nil
        html = nil
        attachments = []
        inline = []
        snippet = ""
        collect(root, in: bytes)
        snippet = MIMESnippet.make(text: text, html: html)
    }

    /// Reads only the top-level header block, for list views that must not pay for bodies.
    public static func headers(parsing bytes: [UInt8]) -> MIMEHeaderSummary {
        MIMEHeaderSummary(parsing: bytes)
    }

    /// The first header named `name` (case-insensitive), RFC 2047-decoded.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Walks the tree in order, assigning each leaf to the text body, the HTML body, the attachments or
    /// the inline resources.
    private mutating func collect(_ part: MIMEPart, in bytes: [UInt8]) {
        if !part.children.isEmpty {
            for child in part.children { collect(child, in: bytes) }
            return
        }
        let disposition = part.disposition.value
        let fileName = part.fileName
        let isAttachment = disposition == "attachment" || (!fileName.isEmpty && disposition != "inline")
        if !isAttachment {
            if part.mediaType == "text/plain", text == nil {
                text = part.decodedText(in: bytes)
                return
            }
            if part.mediaType == "text/html", html == nil {
                html = part.decodedText(in: bytes)
                return
            }
        }
        if part.isMultipart && part.bodyRange.isEmpty { return }
        let attachment = MIMEAttachment(
            partID: part.partID.isEmpty ? "1" : part.partID,
            fileName: fileName,
            contentType: part.mediaType,
            contentID: part.contentID,
            data: part.decodedBody(in: bytes)
        )
        if disposition != "attachment", !attachment.contentID.isEmpty {
            inline.append(attachment)
        } else {
            attachments.append(attachment)
        }
    }
}
