import NIOCore

/// One SMTP reply (RFC 5321 §4.2): a three-digit code and one or more text lines.
///
/// Replies are values so the pure `SMTPSession` can produce them and the channel handler can
/// encode them; the enhanced status code (RFC 3463) is part of the text, e.g. `2.1.0 Ok`.
public struct SMTPReply: Sendable, Hashable {
    /// The three-digit reply code, e.g. 250.
    public var code: Int
    /// The text lines; a multi-line reply uses `250-` continuation for all but the last.
    public var lines: [String]

    /// Creates a reply with one or more text lines.
    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines.isEmpty ? [""] : lines
    }

    /// Creates a single-line reply.
    public init(code: Int, _ text: String) {
        self.init(code: code, lines: [text])
    }

    /// The wire form: every line CRLF-terminated, continuation lines joined with `-`.
    public var encoded: String {
        var buffer = ByteBuffer()
        self.write(into: &buffer)
        return String(buffer: buffer)
    }

    /// Appends the wire form to `buffer`, without an intermediate string.
    public func write(into buffer: inout ByteBuffer) {
        for (index, line) in self.lines.enumerated() {
            buffer.writeString(String(self.code))
            buffer.writeInteger(index == self.lines.count - 1 ? UInt8(ascii: " ") : UInt8(ascii: "-"))
            buffer.writeString(line)
            buffer.writeStaticString("\r\n")
        }
    }

    /// Whether the code is a transient (4xx) or permanent (5xx) failure.
    public var isFailure: Bool { code >= 400 }
}
