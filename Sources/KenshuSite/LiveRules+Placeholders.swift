import Foundation
import Yams

extension LiveRules {
    /// Fills in `{{rules.NAME}}` (e.g. `{{rules.key_minutes}}` → `50`) in Content prose, when it
    /// is loaded: site.yaml's text (`live.messages`, which the server shows as they are, gallery
    /// titles, …), page front matter and bodies, the manual's notes and procedures. Templates
    /// are not filled here: they read the same numbers as `{{site.rules.NAME}}`.
    ///
    /// Only the `rules.` placeholders are touched; any other `{{…}}` (a collection's
    /// `{{site.viewer}}`, a page's `path`) stays as written for the code that reads it. A
    /// misspelt rule stops the build at its `file:line:col` instead of printing nothing.
    ///
    /// - Parameters:
    ///   - start: where `text` begins in its file. Positions inside it are counted from there,
    ///     which is exact for Markdown and for one-line YAML values.
    func fill(_ text: String, at start: SourceLocation) throws(ContentError) -> String {
        guard text.contains("{{") else { return text }
        var result = ""
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            result += rest[..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "}}") else {
                rest = rest[open.lowerBound...]
                break
            }
            let name = afterOpen[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard name.hasPrefix("rules.") else {
                result += rest[open.lowerBound..<close.upperBound]
                rest = afterOpen[close.upperBound...]
                continue
            }
            let rule = String(name.dropFirst("rules.".count))
            guard let number = values[rule] else {
                throw ContentError(Self.location(of: open.lowerBound, in: text, from: start), unknownPlaceholder(rule))
            }
            result += String(number)
            rest = afterOpen[close.upperBound...]
        }
        result += rest
        return result
    }

    /// `fill` for a YAML scalar: positions count from the value itself (after the opening quote
    /// of a quoted one); a block scalar (`|`, `>`) reports the value's first line.
    func fill(_ scalar: Node.Scalar, node: Node, path: String, lineOffset: Int = 0) throws(ContentError) -> String {
        var start = YAMLContent.location(of: node, path: path, lineOffset: lineOffset)
        switch scalar.style {
        case .singleQuoted, .doubleQuoted:
            start.column = start.column.map { $0 + 1 }
        case .literal, .folded:
            do { return try fill(scalar.string, at: start) } catch { throw ContentError(start, error.message) }
        default:
            break
        }
        return try fill(scalar.string, at: start)
    }

    private func unknownPlaceholder(_ rule: String) -> String {
        let names = values.keys.sorted()
        let close = names.min { editDistance($0, rule) < editDistance($1, rule) }
        let hint = close.map { editDistance($0, rule) <= 3 ? "; did you mean `{{rules.\($0)}}`?" : "" } ?? ""
        return "unknown rule `{{rules.\(rule)}}` (live.rules gives \(names.map { "rules.\($0)" }.joined(separator: ", ")))\(hint)"
    }

    /// `file:line:col` of `index` in `text`, which starts at `start`.
    private static func location(of index: String.Index, in text: String, from start: SourceLocation) -> SourceLocation {
        var location = start
        guard var line = start.line else { return start }
        var column = start.column ?? 1
        for character in text[..<index] {
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        location.line = line
        location.column = column
        return location
    }
}
