import Foundation

/// `Output/` on disk, for what the table does not hold: a page put there by hand is still served
/// with the live-reload script; other files go on to `FileMiddleware`.
struct OutputFolder: Sendable {
    let root: URL

    init(root: URL) { self.root = root.standardizedFileURL }

    /// The HTML file a path names (`/` and folders mean their `index.html`), or nil when the
    /// path is not one, or tries to leave the root.
    func htmlFile(for path: String) -> URL? {
        let decoded = path.removingPercentEncoding ?? path
        let parts = decoded.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.contains(where: { $0 == ".." || $0 == "." || $0.contains("\0") }) else { return nil }
        var url = parts.reduce(root) { $0.appendingPathComponent(String($1)) }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            url.appendPathComponent("index.html")
        }
        return url.pathExtension == "html" ? url : nil
    }
}
