import Foundation

/// Parses RFC 5322 address lists leniently: display names in quotes or as atoms, RFC 2047 words in
/// names, groups, comments, bare addresses, and commas inside quoted names.
///
/// Works on the raw header value, because decoding encoded words first could put commas or angle
/// brackets into the text and change how it splits.
enum MIMEAddressListParser {
    /// Addresses kept per header, to bound memory on hostile input.
    static let maximumAddressCount = 10_000

    /// The mailbox being assembled while scanning.
    private struct PendingMailbox {
        var words: [String] = []
        var angleAddress: String?
        var comments: [String] = []

        var isEmpty: Bool { words.isEmpty && angleAddress == nil }
    }

    /// Parses `raw` into mailboxes, skipping entries that hold no address.
    static func parse(_ raw: String) -> [MailAddress] {
        let scalars = Array(raw.unicodeScalars)
        var result: [MailAddress] = []
        var pending = PendingMailbox()
        var index = 0

        func finish() {
            if let address = mailbox(from: pending), result.count < maximumAddressCount {
                result.append(address)
            }
            pending = PendingMailbox()
        }

        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case " ", "\t", "\r", "\n":
                index += 1
            case ",", ";":
                finish()
                index += 1
            case ":":
                if pending.angleAddress == nil { pending.words.removeAll() }
                index += 1
            case "\"":
                let (text, next) = quotedString(in: scalars, from: index + 1)
                pending.words.append(text)
                index = next
            case "(":
                let (text, next) = comment(in: scalars, from: index + 1)
                pending.comments.append(text)
                index = next
            case "<":
                var end = index + 1
                while end < scalars.count, scalars[end] != ">" { end += 1 }
                var inside = String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
                if let colon = inside.lastIndex(of: ":") {
                    inside = String(inside[inside.index(after: colon)...])
                }
                pending.angleAddress = inside.filter { !$0.isWhitespace }
                index = min(end + 1, scalars.count)
            default:
                var end = index
                while end < scalars.count, !isDelimiter(scalars[end]) { end += 1 }
                pending.words.append(String(String.UnicodeScalarView(scalars[index..<end])))
                index = end
            }
        }
        finish()
        return result
    }

    /// Characters that end an atom.
    private static func isDelimiter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\t", "\r", "\n", ",", ";", ":", "\"", "(", "<": return true
        default: return false
        }
    }

    /// Reads a quoted string starting after its opening quote; returns its content and the next index.
    private static func quotedString(in scalars: [Unicode.Scalar], from start: Int) -> (String, Int) {
        var text = String.UnicodeScalarView()
        var index = start
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\", index + 1 < scalars.count {
                text.append(scalars[index + 1])
                index += 2
            } else if scalar == "\"" {
                return (String(text), index + 1)
            } else {
                text.append(scalar)
                index += 1
            }
        }
        return (String(text), index)
    }

    /// Reads a (possibly nested) comment starting after its `(`; returns its content and the next index.
    private static func comment(in scalars: [Unicode.Scalar], from start: Int) -> (String, Int) {
        var text = String.UnicodeScalarView()
        var depth = 1
        var index = start
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\", index + 1 < scalars.count {
                text.append(scalars[index + 1])
                index += 2
                continue
            }
            if scalar == "(" { depth += 1 }
            if scalar == ")" {
                depth -= 1
                if depth == 0 { return (String(text), index + 1) }
            }
            text.append(scalar)
            index += 1
        }
        return (String(text), index)
    }

    /// Turns the collected words into a mailbox: with `<…>` the words are the display name; without it
    /// they are the address and a comment, if any, is the name.
    private static func mailbox(from pending: PendingMailbox) -> MailAddress? {
        guard !pending.isEmpty else { return nil }
        if let address = pending.angleAddress {
            var name = MIMEEncodedWord.decode(pending.words.joined(separator: " "))
            if name.isEmpty, let comment = pending.comments.first {
                name = MIMEEncodedWord.decode(comment)
            }
            guard !address.isEmpty || !name.isEmpty else { return nil }
            return MailAddress(name: name.trimmingCharacters(in: .whitespaces), address: address)
        }
        let address = pending.words.joined()
        guard !address.isEmpty else { return nil }
        let name = pending.comments.first.map { MIMEEncodedWord.decode($0) } ?? ""
        return MailAddress(name: name.trimmingCharacters(in: .whitespaces), address: address)
    }
}
