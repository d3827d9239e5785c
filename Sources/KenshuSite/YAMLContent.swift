import Foundation
import Yams

/// YAML as Content uses it: parsed with positions (for `file:line:col` errors) and turned into
/// the plain values templates read (`[String: Any]`, `[Any]`, `ContentString`, `Int`, `Bool`).
///
/// `package`: other Content readers of this package (KenshuStudies) parse their YAML the same
/// way, so their errors name `file:line:col` alike.
package enum YAMLContent {
    /// Parses one YAML document. `lineOffset` moves positions when the YAML sits inside another
    /// file (front matter starts on line 2 of a page).
    package static func parse(_ text: String, path: String, lineOffset: Int = 0) throws(ContentError) -> Node? {
        do {
            // The basic resolver: `value(of:)` types scalars itself, and Yams's default
            // resolver runs several regular expressions on every plain scalar.
            return try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw describe(error, path: path, lineOffset: lineOffset)
        } catch {
            throw ContentError(SourceLocation(path: path), "cannot read YAML: \(error)")
        }
    }

    private static func describe(_ error: YamlError, path: String, lineOffset: Int) -> ContentError {
        func at(_ mark: Mark) -> SourceLocation {
            SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column)
        }
        switch error {
        case let .scanner(context, problem, mark, _),
             let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let detail = context.map { " (\($0.text) at line \($0.mark.line + lineOffset))" } ?? ""
            return ContentError(at(mark), "YAML syntax error: \(problem)\(detail)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return ContentError(at(context.mark), "duplicate key \(duplicates.joined(separator: ", ")) in mapping")
        case let .reader(problem, _, _, _):
            return ContentError(SourceLocation(path: path), "cannot read YAML: \(problem)")
        default:
            return ContentError(SourceLocation(path: path), "cannot read YAML: \(error)")
        }
    }

    package static func location(of node: Node, path: String, lineOffset: Int = 0) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(path: path) }
        return SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column)
    }

    /// The value templates see. Plain scalars follow a small, predictable rule: decimal
    /// integers without leading zeros are numbers, `true`/`false` are flags, `~`/`null`/empty is
    /// null; everything else (dates, postal codes such as 0600001, job numbers) stays text exactly
    /// as written. Quoted scalars are always text.
    ///
    /// With `rules`, text is prose: its `{{rules.…}}` placeholders are filled in (`LiveRules.fill`).
    static func value(of node: Node, path: String, lineOffset: Int = 0, rules: LiveRules? = nil) throws(ContentError) -> Any {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain || scalar.style == .any {
                let text = scalar.string
                switch text {
                case "true": return true
                case "false": return false
                case "", "~", "null": return ContentNull()
                default:
                    if Self.isDecimalInteger(text), let int = Int(text) { return int }
                }
            }
            if let rules { return ContentString(try rules.fill(scalar, node: node, path: path, lineOffset: lineOffset)) }
            return ContentString(scalar.string)
        case .sequence(let sequence):
            var values: [Any] = []
            values.reserveCapacity(sequence.count)
            for element in sequence { values.append(try value(of: element, path: path, lineOffset: lineOffset, rules: rules)) }
            return values
        case .mapping(let mapping):
            var values: [String: Any] = [:]
            values.reserveCapacity(mapping.count)
            for (key, element) in mapping {
                guard let name = key.string else {
                    throw ContentError(location(of: key, path: path, lineOffset: lineOffset), "keys must be text")
                }
                values[name] = try value(of: element, path: path, lineOffset: lineOffset, rules: rules)
            }
            return values
        case .alias:
            throw ContentError(location(of: node, path: path, lineOffset: lineOffset), "YAML aliases are not supported; repeat the value")
        }
    }
}

extension YAMLContent {
    package static func isDecimalInteger(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard let first = digits.first, digits.count < 19 else { return false }
        return digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber) && (first != "0" || digits.count == 1)
    }
}

extension Node {
    /// The value under `key` of a mapping, with the key's own node (for positions).
    package func entry(_ key: String) -> (key: Node, value: Node)? {
        guard case .mapping(let mapping) = self else { return nil }
        for (k, v) in mapping where k.string == key { return (k, v) }
        return nil
    }
}
