import Foundation

/// The fields a message list shows, read from the header block alone so that listing a large mailbox does
/// not decode bodies.
public struct MIMEHeaderSummary: Sendable {
    /// The subject, RFC 2047-decoded; empty when absent.
    public var subject: String
    /// The `From` mailboxes.
    public var from: [MailAddress]
    /// The `To` mailboxes.
    public var to: [MailAddress]
    /// The `Cc` mailboxes.
    public var cc: [MailAddress]
    /// The `Bcc` mailboxes (present only in mail stored by the sender's side, such as a sink).
    public var bcc: [MailAddress]
    /// The `Reply-To` mailboxes.
    public var replyTo: [MailAddress]
    /// The `Date` header as an instant; `nil` when absent or unreadable.
    public var date: Date?
    /// The `Message-ID` without angle brackets; empty when absent.
    public var messageID: String

    /// Reads the summary from the top-level header block of `bytes` and ignores the body.
    public init(parsing bytes: [UInt8]) {
        self.init(headers: MIMEHeaderBlock.parse(bytes, in: 0..<bytes.count).headers)
    }

    /// Derives the summary from already parsed header fields.
    init(headers: [MIMEHeader]) {
        func first(_ name: String) -> MIMEHeader? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
        }
        func addresses(_ name: String) -> [MailAddress] {
            headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }
                .flatMap { MailAddress.list(parsing: $0.rawValue) }
        }
        subject = first("Subject")?.value ?? ""
        from = addresses("From")
        to = addresses("To")
        cc = addresses("Cc")
        bcc = addresses("Bcc")
        replyTo = addresses("Reply-To")
        date = first("Date").flatMap { MIMEDateParser.parse($0.rawValue) }
        messageID = (first("Message-ID")?.rawValue ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "<> \t"))
    }
}
