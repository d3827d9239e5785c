/// The SMTP envelope of one message: who sent it and to whom, as opposed to its header fields.
///
/// The envelope is what the sink stores as `Return-Path`, `Delivered-To` and `Received`, because
/// the header `To:` of a test mail often differs from where it was actually delivered.
public struct MailEnvelope: Sendable, Hashable {
    /// The reverse path of `MAIL FROM`; empty for the null sender `<>`.
    public var mailFrom: String
    /// The forward paths of every accepted `RCPT TO`, in order.
    public var recipients: [String]
    /// The name the client gave in HELO or EHLO.
    public var clientName: String
    /// The client's IP address as text, when known.
    public var clientAddress: String?

    /// Creates an envelope.
    public init(mailFrom: String, recipients: [String], clientName: String = "", clientAddress: String? = nil) {
        self.mailFrom = mailFrom
        self.recipients = recipients
        self.clientName = clientName
        self.clientAddress = clientAddress
    }
}
