import Foundation
import Yams

/// A Content file that starts with YAML front matter between two `---` lines, then a body:
/// pages (`pages/**.md`) and the manual's procedures (`manual/procedures/*.md`).
struct FrontMatter {
    /// The front matter, parsed with positions that count from the top of the file.
    var root: Node
    var body: String
    /// The line of the file the body starts on, for positions inside it.
    var bodyLine: Int
    var file: SourceLocation
    /// The YAML starts on the file's second line.
    static let lineOffset = 1

    /// `what` names the file's kind in the messages ("a page"), `needs` its required keys.
    static func parse(_ text: String, displayPath: String, what: String, needs: String) throws(ContentError) -> FrontMatter {
        let file = SourceLocation(path: displayPath, line: 1, column: 1)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else {
            throw ContentError(file, "\(what) starts with front matter: a line `---`, YAML, and a closing `---`")
        }
        guard let close = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else {
            throw ContentError(file, "front matter is not closed: add a line `---` after the YAML")
        }
        let yaml = lines[1..<close].joined(separator: "\n")
        guard let root = try YAMLContent.parse(yaml, path: displayPath, lineOffset: lineOffset), case .mapping = root else {
            throw ContentError(file.shifted(lines: 1), "front matter must be a YAML mapping \(needs)")
        }
        return FrontMatter(root: root, body: lines[(close + 1)...].joined(separator: "\n"), bodyLine: close + 2, file: file)
    }

    /// Where a node of the front matter is, as `file:line:col`.
    func location(of node: Node) -> SourceLocation {
        YAMLContent.location(of: node, path: file.path, lineOffset: Self.lineOffset)
    }
}
