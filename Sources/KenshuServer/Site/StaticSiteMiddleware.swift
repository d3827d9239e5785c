import Hummingbird

/// Answers GET and HEAD for the files of the last build from `StaticSiteCache`, without touching
/// the disk. Anything else falls through: other methods, files the build did not write (say, put
/// into Output/ by hand: `LiveReloadMiddleware` and `FileMiddleware` serve those from disk), and
/// byte-range requests for non-HTML files (FileMiddleware answers those from the same bytes on disk).
/// Routes registered before this middleware is added are matched first and never reach it.
struct StaticSiteMiddleware<Context: RequestContext>: RouterMiddleware {
    let cache: StaticSiteCache

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch cache.answer(method: request.method, path: request.uri.path, headers: request.headers,
                            includingPagesRenderedPerRequest: true) {
        case .send(let status, let headers, let body):
            return Response(status: status, headers: headers, body: body.map { .init(byteBuffer: $0) } ?? .init())
        case .pass:
            return try await next(request, context)
        case .reject:
            throw HTTPError(.badRequest)
        }
    }
}
