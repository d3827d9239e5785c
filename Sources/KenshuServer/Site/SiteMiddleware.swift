import Foundation
import Hummingbird

/// The router's one layer for the site: resolves the request once in `SiteTable` and answers
/// from what it finds — a file as built, a live page through the served flows, or (a miss) a
/// page put into Output/ by hand, read from disk with the live-reload script. Anything else
/// (other methods, byte ranges, files not in the table) goes on to `FileMiddleware`.
struct SiteMiddleware<Context: RequestContext>: RouterMiddleware {
    let table: SiteTable
    let output: OutputFolder
    /// The served flows, once a build has given them their accounts; nil serves pages as built.
    let flows: @Sendable () -> LiveFlows?
    /// Told of the pages a followed browser (a study's participant) is shown.
    var observer: @Sendable () -> (any PageObserver)? = { nil }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch table.resolve(path: request.uri.path) {
        case .rejected:
            throw HTTPError(.badRequest)
        case .file(let entry):
            // A frame (the gallery's) is not a page the participant went to.
            if entry.isHTML, request.method == .get, request.headers[Self.secFetchDest] != "iframe",
               let observer = observer(), observer.mayFollow(request) {
                return try await show(entry, request, observer: observer)
            }
            return try await send(entry, request, context: context, next: next)
        case .live(let page, let site, let built):
            guard let flows = flows() else { return try await send(built, request, context: context, next: next) }
            if request.method == .post { return try await flows.post(request, page: page, site: site) }
            guard request.method == .get || request.method == .head else { return try await next(request, context) }
            // The gallery shows every screen in frames, as built: there a MyPage screen is the
            // picture of the build (the same bytes as Output/ and the gallery publish), not a
            // redirect to the login screen. It never carries a signed-in account's data.
            if request.headers[Self.secFetchDest] == "iframe" { return try await send(built, request, context: context, next: next) }
            return try await flows.get(request, page: page, site: site)
        case .miss:
            guard request.method == .get || request.method == .head,
                  let file = output.htmlFile(for: request.uri.path),
                  let data = FileManager.default.contents(atPath: file.path) else {
                return try await next(request, context)
            }
            let html = LiveReloadScript.inject(into: data)
            var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
            SecurityHeaders.add(to: &headers, isHTML: true)
            headers[.contentLength] = String(html.readableBytes)
            return Response(status: .ok, headers: headers, body: request.method == .head ? .init() : .init(byteBuffer: html))
        }
    }

    static var secFetchDest: HTTPFields.Element.Name { .init("Sec-Fetch-Dest")! }

    /// A page as built, shown to a followed browser: recorded, and sent as the observer made it
    /// (never a 304: the view is recorded each time it is shown).
    private func show(_ entry: SiteTable.Entry, _ request: Request, observer: any PageObserver) async throws -> Response {
        let path = request.uri.path
        guard let shown = try await observer.offload({ observer.shown(entry.body, path: path, request: request) }) else {
            return Response(status: .ok, headers: entry.headers, body: .init(byteBuffer: entry.body))
        }
        var headers = entry.headers
        headers[.eTag] = nil
        headers[.contentLength] = String(shown.page.readableBytes)
        var response = Response(status: .ok, headers: headers, body: .init(byteBuffer: shown.page))
        for cookie in shown.cookies { response.setCookie(cookie) }
        return response
    }

    private func send(_ entry: SiteTable.Entry, _ request: Request, context: Context,
                      next: (Request, Context) async throws -> Response) async throws -> Response {
        switch SiteTable.answer(entry, method: request.method, headers: request.headers) {
        case .send(let status, let headers, let body):
            return Response(status: status, headers: headers, body: body.map { .init(byteBuffer: $0) } ?? .init())
        case .pass, .reject:
            return try await next(request, context)
        }
    }
}
