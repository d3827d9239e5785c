import Foundation
import Hummingbird

/// Serves the HTML pages of `Output/` with the live-reload script added before `</body>`.
/// The files on disk stay exactly what `kenshu build` writes; only the dev server's copy
/// carries the script. Other files fall through to `FileMiddleware`.
struct LiveReloadMiddleware<Context: RequestContext>: RouterMiddleware {
    let root: URL
    static var scriptTag: String { #"<script src="/_kenshu/live.js"></script>"# }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head,
              let file = htmlFile(for: request.uri.path) else {
            return try await next(request, context)
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            return try await next(request, context)
        }
        var html = String(decoding: data, as: UTF8.self)
        if let body = html.range(of: "</body>", options: .backwards) {
            html.insert(contentsOf: Self.scriptTag, at: body.lowerBound)
        } else {
            html += Self.scriptTag
        }
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        headers[.contentLength] = String(html.utf8.count)
        return Response(status: .ok, headers: headers,
                        body: request.method == .head ? .init() : .init(byteBuffer: ByteBuffer(string: html)))
    }

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
