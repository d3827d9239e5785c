import Foundation

/// A structured header value with parameters, such as Content-Type or Content-Disposition.
///
/// Handles quoted values with backslash escapes, RFC 2231 extended values (`filename*=UTF-8''%E3%81%82`)
/// and their continuations (`filename*0*=`, `filename*1*=`), and RFC 2047 words inside plain values
/// (`filename="=?UTF-8?B?…?="`), which many mailers send although the RFC does not allow it.
struct MIMEParameters: Sendable {
    /// Most sections accepted in one RFC 2231 continuation, so a hostile header cannot ask for huge arrays.
    private static let maximumSectionCount = 1_000

    /// The value before the first `;`, lowercased, e.g. `multipart/mixed` or `attachment`.
    let value: String
    /// Decoded parameter values keyed by lowercased name.
    private let values: [String: String]

    /// One piece of a parameter as written in the header.
    private struct Section {
        var index: Int
        var isExtended: Bool
        var text: String
    }

    /// Parses a raw (not RFC 2047-decoded) header value.
    init(parsing raw: String) {
        let pieces = Self.split(raw)
        value = (pieces.first ?? "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()

        var plain: [String: String] = [:]
        var sections: [String: [Section]] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            var name = piece[..<equals].trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            let text = Self.unquote(piece[piece.index(after: equals)...])
            guard !name.isEmpty else { continue }
            guard name.contains("*") else {
                if plain[name] == nil { plain[name] = text }
                continue
            }
            let isExtended = name.hasSuffix("*")
            if isExtended { name.removeLast() }
            var index = 0
            if let star = name.lastIndex(of: "*") {
                guard let number = Int(name[name.index(after: star)...]), number >= 0,
                    number < Self.maximumSectionCount
                else { continue }
                index = number
                name = String(name[..<star])
            }
            if sections[name, default: []].count < Self.maximumSectionCount {
                sections[name, default: []].append(Section(index: index, isExtended: isExtended, text: text))
            }
        }

        var decoded: [String: String] = [:]
        for (name, text) in plain {
            decoded[name] = MIMEEncodedWord.decode(text)
        }
        for (name, parts) in sections {
            decoded[name] = Self.joinExtended(parts)
        }
        values = decoded
    }

    /// The decoded value of the parameter `name` (case-insensitive).
    subscript(name: String) -> String? {
        values[name.lowercased()]
    }

    /// Joins RFC 2231 sections in order; percent-encoded sections contribute bytes, which are converted
    /// together with the charset named in the first section so that characters split across sections survive.
    private static func joinExtended(_ sections: [Section]) -> String {
        let ordered = sections.sorted { $0.index < $1.index }
        var charset: String?
        var bytes: [UInt8] = []
        for (position, section) in ordered.enumerated() {
            var text = Substring(section.text)
            if position == 0, section.isExtended {
                let quoteParts = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                if quoteParts.count == 3 {
                    charset = String(quoteParts[0])
                    text = quoteParts[2]
                }
            }
            if section.isExtended {
                bytes.append(contentsOf: percentDecoded(text))
            } else {
                bytes.append(contentsOf: text.utf8)
            }
        }
        let result = MIMECharset.decode(bytes, charset: charset)
        return result.contains("=?") ? MIMEEncodedWord.decode(result) : result
    }

    /// Decodes `%XX` escapes; a `%` not followed by two hex digits stays as it is.
    private static func percentDecoded(_ text: Substring) -> [UInt8] {
        let input = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "%"), index + 2 < input.count,
                let high = MIMETransferEncoding.hexValue(input[index + 1]), let low = MIMETransferEncoding.hexValue(input[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(input[index])
                index += 1
            }
        }
        return output
    }

    /// Splits at `;` outside quoted strings and comments.
    private static func split(_ raw: String) -> [Substring] {
        var pieces: [Substring] = []
        var start = raw.startIndex
        var index = raw.startIndex
        var inQuotes = false
        var commentDepth = 0
        while index < raw.endIndex {
            let character = raw[index]
            if inQuotes {
                if character == "\\" {
                    index = raw.index(after: index)
                    if index == raw.endIndex { break }
                } else if character == "\"" {
                    inQuotes = false
                }
            } else if character == "\"" {
                inQuotes = true
            } else if character == "(" {
                commentDepth += 1
            } else if character == ")" {
                commentDepth = max(0, commentDepth - 1)
            } else if character == ";", commentDepth == 0 {
                pieces.append(raw[start..<index])
                start = raw.index(after: index)
            }
            index = raw.index(after: index)
        }
        pieces.append(raw[start..<raw.endIndex])
        return pieces
    }

    /// Trims a parameter value and removes surrounding quotes and backslash escapes.
    private static func unquote(_ text: Substring) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("\"") else {
            guard let comment = trimmed.firstIndex(of: "(") else { return trimmed }
            return trimmed[..<comment].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var result = ""
        var index = trimmed.index(after: trimmed.startIndex)
        while index < trimmed.endIndex {
            let character = trimmed[index]
            if character == "\\" {
                index = trimmed.index(after: index)
                if index < trimmed.endIndex { result.append(trimmed[index]) } else { break }
            } else if character == "\"" {
                break
            } else {
                result.append(character)
            }
            index = trimmed.index(after: index)
        }
        return result
    }
}
