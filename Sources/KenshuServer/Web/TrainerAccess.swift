import Hummingbird
import Logging

/// What stays the trainer's when the server is reachable from a network: the console, the
/// inbox, the mail API and the facilitator's pages answer only requests from this machine, or
/// ones that bring the trainer token printed at start-up (once as `?token=`, then a cookie).
/// Anything else gets 403 and is logged with the peer's address, so a trainer sees who tried.
///
/// One middleware in front of every trainer route, by path, so a new trainer feature cannot
/// forget its check: the paths are listed here and nowhere else.
struct TrainerAccess: RouterMiddleware {
    typealias Context = KenshuRequestContext

    /// Path prefixes that belong to the trainer.
    static let prefixes = ["/trainer", "/mail", "/api/v1", "/facilitator"]

    let token: String?
    let views: ToolViews
    let logger: Logger

    init(token: String?, views: ToolViews = .shared, logger: Logger = Logger(label: "kenshu.trainer")) {
        self.token = token
        self.views = views
        self.logger = logger
    }

    static func isTrainerPath(_ path: String) -> Bool {
        prefixes.contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.isTrainerPath(request.uri.path) else { return try await next(request, context) }
        if let refusal = Self.refusal(request, isLoopback: context.isLoopback, token: token, views: views) {
            logger.warning("refused \(request.method) \(request.uri.path) from \(context.remoteAddress?.ipAddress ?? "an unknown peer"): the trainer's pages answer this machine or the trainer token only")
            return refusal
        }
        var response = try await next(request, context)
        if let token, let given = request.uri.queryParameters.get("token"), CSRFToken.matches(String(given), token) {
            response.setCookie(FlowCookie.trainer.set(token))
        }
        return response
    }

    /// Nil when the request may use the trainer's pages.
    static func refusal(_ request: Request, isLoopback: Bool, token: String?, views: ToolViews = .shared) -> Response? {
        if isLoopback { return nil }
        guard let token else { return refusalPage(askForToken: false, views: views) }
        let given = request.uri.queryParameters.get("token").map { String($0) } ?? FlowCookie.trainer.value(in: request)
        if CSRFToken.matches(given, token) { return nil }
        return refusalPage(askForToken: true, views: views)
    }

    /// 403 with the page another machine gets instead.
    static func refusalPage(askForToken: Bool, views: ToolViews) -> Response {
        let refusal = TrainerConsoleView.refusal(askForToken: askForToken)
        return views.response(refusal.template, refusal.page, status: .forbidden)
    }
}
