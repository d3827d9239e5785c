/// One mailbox from an address header, e.g. `"山田 太郎" <taro@example.jp>`.
public struct MailAddress: Sendable, Hashable, Codable {
    /// The display name with RFC 2047 encoded words decoded; empty when the header gave none.
    public var name: String
    /// The address itself (`local@domain`), without angle brackets.
    public var address: String

    /// Creates an address from an already decoded display name and a bare address.
    public init(name: String, address: String) {
        self.name = name
        self.address = address
    }

    /// Parses an address-list header value (raw, not yet RFC 2047-decoded) into its mailboxes.
    ///
    /// Group names are dropped and their members kept; comments serve as the name of a bare address.
    public static func list(parsing rawValue: String) -> [MailAddress] {
        MIMEAddressListParser.parse(rawValue)
    }
}
