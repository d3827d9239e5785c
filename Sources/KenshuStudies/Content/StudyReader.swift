import KenshuSite
import Yams

/// Reads the nodes of one study file, naming the place of every problem as `file:line:col`.
struct StudyReader {
    /// As the messages print it: `Content/studies/chapter3.yaml`.
    let path: String

    func at(_ node: Node) -> SourceLocation { YAMLContent.location(of: node, path: path) }

    func missing(_ key: String, in node: Node, what: String, hint: String) -> ContentError {
        ContentError(at(node), "\(what) has no `\(key):` (\(hint))")
    }

    /// Fails on the first key not in `keys`, suggesting the closest one, so a misspelt
    /// `time_limt` does not silently leave a task without its limit.
    func allow(_ keys: [String], in node: Node, what: String) throws(ContentError) {
        guard case .mapping(let mapping) = node else { throw ContentError(at(node), "\(what) must be a mapping of keys") }
        for (key, _) in mapping {
            let name = key.string ?? ""
            guard !keys.contains(name) else { continue }
            throw ContentError(at(key), "unknown key `\(name)` in \(what)\(Self.suggestion(name, among: keys))")
        }
    }

    /// `; did you mean `x`?` for a close name, else the list of names (`known: a, b`).
    static func suggestion(_ name: String, among known: [String], listedAs label: String = "known") -> String {
        let close = known.min { (editDistance($0, name), $0) < (editDistance($1, name), $1) }
        if let close, editDistance(close, name) <= 3 { return "; did you mean `\(close)`?" }
        return " (\(label): \(known.joined(separator: ", ")))"
    }

    func text(_ node: Node, _ what: String) throws(ContentError) -> String {
        guard case .scalar(let scalar) = node else { throw ContentError(at(node), "\(what) must be text") }
        let text = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ContentError(at(node), "\(what) must not be empty") }
        return text
    }

    /// A whole number written as a plain YAML number (not quoted text), at least `minimum`.
    func int(_ node: Node, _ what: String, minimum: Int) throws(ContentError) -> Int {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any,
              YAMLContent.isDecimalInteger(scalar.string), let value = Int(scalar.string) else {
            throw ContentError(at(node), "\(what) must be a whole number, not `\(node.string ?? "a list or mapping")`")
        }
        guard value >= minimum else { throw ContentError(at(node), "\(what) must be at least \(minimum)") }
        return value
    }

    func bool(_ node: Node, _ what: String) throws(ContentError) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else {
            throw ContentError(at(node), "\(what) must be true or false")
        }
        switch scalar.string {
        case "true": return true
        case "false": return false
        default: throw ContentError(at(node), "\(what) must be true or false, not `\(scalar.string)`")
        }
    }

    /// A served page path as a study names it: `v2/login.html`, no leading slash, no query.
    func page(_ node: Node, _ what: String) throws(ContentError) -> String {
        let page = try text(node, what)
        guard !page.hasPrefix("/"), !page.contains("?"), !page.contains("#"), !page.contains("://") else {
            throw ContentError(at(node), "\(what) is a page path as served, without a leading `/`, query or host, e.g. v2/login.html")
        }
        return page
    }

    /// A name from a closed list, with a suggestion when misspelt.
    func name(_ node: Node, _ what: String, among known: [String]) throws(ContentError) -> String {
        let name = try text(node, what)
        guard known.contains(name) else {
            throw ContentError(at(node), "unknown \(what) `\(name)`\(Self.suggestion(name, among: known))")
        }
        return name
    }
}
