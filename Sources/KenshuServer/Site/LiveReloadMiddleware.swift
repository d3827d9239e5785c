import Foundation
import Hummingbird

/// Serves the HTML pages of `Output/` with the live-reload script added before `</body>`.
/// The files on disk stay exactly what `kenshu build` writes; only the dev server's copy
/// carries the script. Other files fall through to `FileMiddleware`.
/// In `kenshu serve` the pages of the build come from `StaticSiteCache`; this reads from disk
/// only what the cache does not hold (say, a page put into Output/ by hand).
struct LiveReloadMiddleware<Context: RequestContext>: RouterMiddleware {
    let root: URL
    static var scriptTag: String { LiveReloadScript.tag }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head,
              let file = htmlFile(for: request.uri.path) else {
            return try await next(request, context)
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            return try await next(request, context)
        }
        let html = Self.inject(into: data)
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        headers[.contentLength] = String(html.readableBytes)
        return Response(status: .ok, headers: headers,
                        body: request.method == .head ? .init() : .init(byteBuffer: html))
    }

    /// The page with the script tag before its last `</body>` (at the end when there is none).
    static func inject(into html: Data) -> ByteBuffer {
        let tag = Array(scriptTag.utf8)
        let closing = Array("</body>".utf8)
        var buffer = ByteBuffer()
        buffer.reserveCapacity(html.count + tag.count)
        html.withUnsafeBytes { bytes in
            var insertAt = bytes.count
            var start = bytes.count - closing.count
            while start >= 0 {
                if bytes[start] == closing[0], closing.indices.allSatisfy({ bytes[start + $0] == closing[$0] }) {
                    insertAt = start
                    break
                }
                start -= 1
            }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[..<insertAt]))
            buffer.writeBytes(tag)
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[insertAt...]))
        }
        return buffer
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
