/// One header field of a message or a body part, unfolded, in the order it appeared.
///
/// Both forms are kept: `rawValue` so that structured fields (addresses, parameters) can be parsed
/// before RFC 2047 decoding changes their syntax, and `value` for display.
public struct MIMEHeader: Sendable, Hashable, Codable {
    /// The field name as written, e.g. `Content-Type` (compare case-insensitively).
    public var name: String
    /// The unfolded value with line breaks removed, not RFC 2047-decoded.
    public var rawValue: String
    /// The value with RFC 2047 encoded words decoded, for display.
    public var value: String

    /// Creates a header from its name and raw value, decoding encoded words for ``value``.
    public init(name: String, rawValue: String) {
        self.name = name
        self.rawValue = rawValue
        self.value = MIMEEncodedWord.decode(rawValue)
    }
}
