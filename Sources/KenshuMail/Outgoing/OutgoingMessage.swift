import Foundation

/// A plain-text mail the server sends itself (the 認証キー mails): UTF-8 text, the subject as an
/// RFC 2047 encoded word, the body in base64 so it passes any relay unchanged, CRLF lines.
public struct OutgoingMessage: Sendable {
    public var from: String
    public var to: String
    public var subject: String
    public var body: String
    public var date: Date
    public var messageID: String

    public init(from: String, to: String, subject: String, body: String, date: Date = Date(), domain: String = "kenshu.localhost") {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        self.messageID = "<\(UUID().uuidString.lowercased())@\(domain)>"
    }

    /// The message as RFC 5322 text.
    public var rendered: String {
        let headers = [
            "From: \(from)",
            "To: \(to)",
            "Subject: \(Self.encodedWords(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
        ]
        let normalized = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        let encoded = Data(normalized.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + encoded + "\r\n"
    }

    /// `=?UTF-8?B?…?=` words of at most 75 characters, split between characters (never inside
    /// one), joined by folding whitespace; ASCII-only text stays as it is.
    static func encodedWords(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !$0.isASCII || $0.value < 0x20 }) else { return text }
        var words: [String] = []
        var chunk = ""
        for character in text {
            let candidate = chunk + String(character)
            // 45 bytes of UTF-8 become 60 base64 characters: with the 12-character wrapper, 72.
            if candidate.utf8.count > 45, !chunk.isEmpty {
                words.append("=?UTF-8?B?\(Data(chunk.utf8).base64EncodedString())?=")
                chunk = String(character)
            } else {
                chunk = candidate
            }
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk.utf8).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
