/// The form an ID（メールアドレス） is looked up by: trimmed and lowercased, so
/// " Taro@Example.JP " finds "taro@example.jp".
enum EmailKey {
    /// Longer than any real address (RFC 5321 allows 254); refused before it reaches SQLite.
    static let maximumLength = 320

    /// `nil` for input that cannot be an address we stored: empty, absurdly long, or containing
    /// control characters (GRDB binds text NUL-terminated, so "a@b\0x" must never be queried).
    static func normalized(_ email: String) -> String? {
        guard email.utf8.count <= maximumLength * 4 else { return nil }
        let trimmed = email.trimmingWhitespace()
        guard !trimmed.isEmpty, trimmed.count <= maximumLength,
              !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        return trimmed.lowercased()
    }
}

extension String {
    /// Drops leading and trailing Unicode whitespace (including the full-width space U+3000
    /// that Japanese input methods produce) without needing Foundation's CharacterSet.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
