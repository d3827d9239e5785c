/// Served paths as studies keep them: without anything that could be a secret or typed text,
/// and in one spelling, so the same page counts as the same page in every path and click map.
///
/// Applied when an event is recorded, not only when reported: a `/join/SECRET` link or a query
/// string with an e-mail address must never reach the log.
public enum StudyPath {
    /// What replaces an id or key in a path.
    public static let placeholder = "…"

    /// Folders whose next segment is a participant's secret or a message id.
    static let idFolders: [[String]] = [["join"], ["mailbox", "m"], ["mail"]]
    /// Names under `idFolders` that are fixed pages, not ids.
    static let fixedNames: Set<String> = ["inbox.js", "inbox.css", "delete-all", "mailbox.js", "events"]

    /// `"/v2/login.html?email=a@b#x"` → `"v2/login.html"`; `"/join/Xk3…"` → `"join/…"`;
    /// `"/v2/"` → `"v2/index.html"`; a segment that looks like a token (16 or more letters, digits,
    /// `-` or `_`, with a digit) → `…`. Idempotent.
    public static func collapse(_ raw: String) -> String {
        var path = Substring(raw)
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<cut] }
        // A full URL (a script may send location.href): keep only its path.
        if let scheme = path.range(of: "://") {
            let rest = path[scheme.upperBound...]
            path = rest.firstIndex(of: "/").map { rest[$0...] } ?? ""
        }
        var segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if path.isEmpty || path.hasSuffix("/") { segments.append("index.html") }
        for folder in idFolders where segments.count > folder.count && Array(segments.prefix(folder.count)) == folder {
            let index = folder.count
            if !fixedNames.contains(segments[index]) { segments[index] = placeholder }
        }
        for index in segments.indices where looksLikeToken(segments[index]) {
            segments[index] = placeholder
        }
        return segments.joined(separator: "/")
    }

    /// The tool's own pages (the mailbox, the inbox, a join link, the consoles): recorded like
    /// any page, but not steps of a route through the mock, so paths leave them out — reading
    /// the mail may come before or after the key page without making a success indirect.
    public static func isToolPage(_ path: String) -> Bool {
        let first = collapse(path).split(separator: "/").first.map(String.init) ?? ""
        return toolFolders.contains(first)
    }

    static let toolFolders: Set<String> = ["mail", "mailbox", "join", "trainer", "facilitator", "_kenshu", "api", "assets"]

    /// Whether a recorded path is `page`: the same path, or the same page in an edition's folder
    /// (`v2/home.html` is `home.html`), so a study may name a page without its edition.
    public static func page(_ recorded: String, is page: String) -> Bool {
        let recorded = collapse(recorded), page = collapse(page)
        if recorded == page { return true }
        guard let slash = recorded.firstIndex(of: "/") else { return false }
        return recorded[recorded.index(after: slash)...] == page
    }

    static func looksLikeToken(_ segment: String) -> Bool {
        guard segment.count >= 16, !segment.contains(".") else { return false }
        var digits = 0
        for character in segment.unicodeScalars {
            switch character {
            case "0"..."9": digits += 1
            case "a"..."z", "A"..."Z", "-", "_": continue
            default: return false
            }
        }
        return digits > 0
    }
}
