import Foundation
import KenshuMail

/// A parsed mailbox search in Mailpit's query language (`to:`, `from:`, `subject:`, `is:read`,
/// `is:unread`, quoted phrases and free text), shared by the JSON API and the web inbox so both
/// find the same messages. Matching is case-insensitive and every term must match.
struct MailSearch: Sendable, Hashable {
    /// One condition of the query.
    enum Term: Sendable, Hashable {
        case to(String)
        case from(String)
        case subject(String)
        case isRead(Bool)
        case text(String)
    }

    /// The conditions, all of which must hold.
    var terms: [Term]

    /// The longest query considered, so a hostile query cannot make matching expensive.
    static let maximumQueryLength = 1024

    /// Splits `query` into terms; quoted sections (`"…"`) stay one term, also after a prefix
    /// (`subject:"パスワード 再設定"`).
    init(parsing query: String) {
        var terms: [Term] = []
        for token in Self.tokens(String(query.prefix(Self.maximumQueryLength))) {
            let lowered = token.lowercased()
            if lowered == "is:read" {
                terms.append(.isRead(true))
            } else if lowered == "is:unread" {
                terms.append(.isRead(false))
            } else if let value = Self.value(of: token, prefix: "to:") {
                terms.append(.to(value))
            } else if let value = Self.value(of: token, prefix: "from:") {
                terms.append(.from(value))
            } else if let value = Self.value(of: token, prefix: "subject:") {
                terms.append(.subject(value))
            } else {
                terms.append(.text(lowered))
            }
        }
        self.terms = terms.filter { term in
            if case .text(let value) = term { return !value.isEmpty }
            return true
        }
    }

    /// Whether the query has no conditions and so matches everything.
    var isEmpty: Bool { terms.isEmpty }

    /// Whether any term needs the message body (free text also searches the snippet).
    var needsSnippet: Bool {
        terms.contains { if case .text = $0 { return true } else { return false } }
    }

    /// Whether a message with these header fields, read state and snippet matches every term.
    ///
    /// `snippet` is only called when a free-text term is not found in the header fields, so callers
    /// can defer the costly body parse.
    func matches(_ summary: MIMEHeaderSummary, isRead: Bool, snippet: () -> String) -> Bool {
        let subject = summary.subject.lowercased()
        let from = Self.searchable(summary.from)
        let to = Self.searchable(summary.to + summary.cc + summary.bcc)
        var loadedSnippet: String?
        for term in terms {
            switch term {
            case .to(let value):
                if !to.contains(value) { return false }
            case .from(let value):
                if !from.contains(value) { return false }
            case .subject(let value):
                if !subject.contains(value) { return false }
            case .isRead(let wanted):
                if isRead != wanted { return false }
            case .text(let value):
                if subject.contains(value) || from.contains(value) || to.contains(value) { continue }
                if loadedSnippet == nil { loadedSnippet = snippet().lowercased() }
                if !(loadedSnippet ?? "").contains(value) { return false }
            }
        }
        return true
    }

    /// Names and addresses in one lowercased string, so `to:taro` finds `"Taro" <t@example.jp>`.
    private static func searchable(_ addresses: [MailAddress]) -> String {
        addresses.map { "\($0.name) <\($0.address)>" }.joined(separator: ", ").lowercased()
    }

    /// The lowercased value after `prefix`, or nil when `token` does not start with it.
    private static func value(of token: String, prefix: String) -> String? {
        guard token.lowercased().hasPrefix(prefix) else { return nil }
        let value = token.dropFirst(prefix.count).lowercased()
        return value.isEmpty ? nil : value
    }

    /// Whitespace-separated tokens, with double quotes grouping words and being removed.
    private static func tokens(_ query: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        for character in query {
            if character == "\"" {
                quoted.toggle()
            } else if character.isWhitespace && !quoted {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }
}
