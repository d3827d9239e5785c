/// Builds the short preview shown in message lists from the text body, or from the HTML body with tags,
/// `<style>` and `<script>` removed and common entities decoded.
enum MIMESnippet {
    /// Characters kept in a snippet.
    static let length = 250

    /// The preview for a message with the given bodies; empty when it has neither.
    static func make(text: String?, html: String?) -> String {
        if let text, !text.allSatisfy(\.isWhitespace) {
            return collapse(text.prefix(length * 8))
        }
        if let html {
            return collapse(Substring(stripTags(html.prefix(100_000))))
        }
        return ""
    }

    /// Collapses whitespace runs to one space, trims, and cuts at ``length`` characters.
    private static func collapse(_ text: Substring) -> String {
        var result = ""
        var pendingSpace = false
        for character in text {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" ") }
            pendingSpace = false
            result.append(character)
            if result.count >= length { break }
        }
        return result
    }

    /// Removes tags and the content of `<style>`, `<script>` and `<head>`, replacing tags with spaces.
    private static func stripTags(_ html: Substring) -> String {
        var result = ""
        var index = html.startIndex
        var skipUntil: String?
        while index < html.endIndex {
            let character = html[index]
            guard character == "<" else {
                if skipUntil == nil { result.append(character) }
                index = html.index(after: index)
                continue
            }
            let tagEnd = html[index...].firstIndex(of: ">") ?? html.endIndex
            let tag = html[html.index(after: index)..<tagEnd].lowercased()
            let tagName = String(tag.prefix { $0.isLetter || $0 == "/" })
            if let closing = skipUntil {
                if tagName == closing { skipUntil = nil }
            } else if ["style", "script", "head", "title"].contains(tagName) {
                skipUntil = "/" + tagName
            } else {
                result.append(" ")
            }
            index = tagEnd < html.endIndex ? html.index(after: tagEnd) : html.endIndex
        }
        return decodeEntities(result)
    }

    /// Decodes the named entities common in mail and numeric references.
    private static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named: [String: String] = [
            "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "#39": "'",
        ]
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "&",
                let semicolon = text[index...].prefix(12).firstIndex(of: ";")
            else {
                result.append(character)
                index = text.index(after: index)
                continue
            }
            let name = String(text[text.index(after: index)..<semicolon])
            if let replacement = named[name] {
                result += replacement
            } else if name.hasPrefix("#x") || name.hasPrefix("#X"),
                let value = UInt32(name.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(value)
            {
                result.unicodeScalars.append(scalar)
            } else if name.hasPrefix("#"), let value = UInt32(name.dropFirst()), let scalar = Unicode.Scalar(value) {
                result.unicodeScalars.append(scalar)
            } else {
                result.append(character)
                index = text.index(after: index)
                continue
            }
            index = text.index(after: semicolon)
        }
        return result
    }
}
