import Foundation
import Hummingbird
import KenshuAccounts
import KenshuSite
import NIOCore
import NIOPosix

/// The served flows: the manual's rules (`Accounts`) behind the pages whose `PageBehaviour` is
/// live. `SiteMiddleware` hands them the page it resolved; a GET checks the session the page
/// needs and renders it from the same templates as `kenshu build` (with a CSRF token and the
/// signed-in account's data); a POST runs the handler the page offers (`LiveFlows+Post`).
public struct LiveFlows: Sendable {
    /// The served site: the current build's `LiveSite` (the console reads the fixtures from it).
    public let table: SiteTable
    public let accounts: Accounts
    public let mailer: FlowMailer
    /// Password hashing and SQLite block; a post's whole answer runs here, off the event loops.
    let pool: NIOThreadPool
    /// A GET's session lookup and render, apart from the posts' hashing.
    let readPool: NIOThreadPool
    /// Longest accepted value of any field; longer input gets the `too_long` message.
    static let maximumFieldLength = 256
    static let maximumBody = 16 * 1024
    /// Told of every page shown and form submitted for a followed browser (a study's participant).
    let observer: (any PageObserver)?

    public init(table: SiteTable, accounts: Accounts, mailer: FlowMailer, pool: NIOThreadPool = .singleton) {
        self.init(table: table, accounts: accounts, mailer: mailer, pool: pool, observer: nil)
    }

    init(table: SiteTable, accounts: Accounts, mailer: FlowMailer, pool: NIOThreadPool = .singleton, observer: (any PageObserver)?) {
        self.table = table
        self.accounts = accounts
        self.mailer = mailer
        self.pool = pool
        self.observer = observer
        readPool = Self.sharedReadPool
    }

    /// Runs blocking work on the thread pool: a request's whole answer (password hashing,
    /// SQLite, rendering) in one hop off the event loops, not one hop per account call.
    func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(work)
    }

    // MARK: GET

    /// A GET (or HEAD) of a live page. An open page (the sign-in form) needs no account: it is
    /// rendered here. A page behind a session looks it up on `readPool`, not on `pool`, where
    /// the posts hash passwords: with a class signing in at once, a page must not wait behind
    /// forty PBKDF2 runs.
    func get(_ request: Request, page: LiveSite.Page, site: LiveSite) async throws -> Response {
        // A followed browser's page is recorded, which writes and waits for the commit: on the
        // observer's threads, never on the event loop nor in the readers' way.
        if let observer, observer.mayFollow(request) {
            return try await observer.offload { try self.answerGet(request, page: page, site: site) }
        }
        if page.behaviour.access == .open { return try answerGet(request, page: page, site: site) }
        return try await readPool.runIfActive { try self.answerGet(request, page: page, site: site) }
    }

    /// Two threads for a GET's session lookup and render (SQLite reads, no password hashing).
    static let sharedReadPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()

    private func answerGet(_ request: Request, page: LiveSite.Page, site: LiveSite) throws -> Response {
        let behaviour = page.behaviour
        let pages = LiveSettings(site)
        var viewer: Session?
        switch behaviour.access {
        case .open:
            break
        case .helloWork:
            guard let session = try helloWorkSession(request) else {
                return redirect(edition: page.edition, to: pages.signIn, clearing: [.session])
            }
            viewer = session
        case .mynaPortal:
            guard let myna = try mynaSession(request) else {
                return redirect(edition: page.edition, to: pages.mynaSignIn, clearing: [.myna])
            }
            if behaviour.whenLinked != nil || behaviour.whenUnlinked != nil {
                let connected = try accounts.isConnected(residentID: myna.residentID)
                if connected, let other = behaviour.whenLinked { return redirect(edition: page.edition, to: other) }
                if !connected, let other = behaviour.whenUnlinked { return redirect(edition: page.edition, to: other) }
            }
        }
        return try render(page, site: site, request: request, viewer: viewer, status: .ok)
    }

    /// Renders a page as served: a CSRF token (a new cookie when the browser has none), field
    /// states after a failed POST, and the viewer's seeker and previous sign-in on MyPage pages.
    func render(_ page: LiveSite.Page, site: LiveSite, request: Request, viewer: Session?, status: HTTPResponse.Status,
                fields: [String: LiveSite.FieldState] = [:], message: String? = nil, cookies: [Cookie] = []) throws -> Response {
        let (token, newCookie) = CSRFToken.current(in: request)
        let cookies = cookies + [newCookie].compactMap { $0 }
        var live = ["csrf": token]
        if let message { live["message"] = message }
        var merge: [String: [String: String]] = [:]
        let shown = ViewerSettings(site)
        if let viewer, let collection = shown.collection {
            var values: [String: String] = [:]
            if let previous = viewer.previousLogin, let field = shown.previousLoginField { values[field] = JapaneseDate.fixtureMinute(previous) }
            // The account's own name: a participant's, shown on the seeker data they copy.
            if let field = shown.nameField { values[field] = viewer.name }
            if !values.isEmpty { merge[collection] = values }
        }
        guard let html = try site.render(page.outputPath, viewer: viewer?.seekerID, live: live, fields: fields, merge: merge) else {
            return Response(status: .notFound)
        }
        return htmlResponse(html, status: status, request: request, cookies: cookies)
    }

    /// A page the flows wrote, with the live-reload script like every page the dev server sends.
    func htmlResponse(_ html: String, status: HTTPResponse.Status, request: Request, cookies: [Cookie] = []) -> Response {
        var body = LiveReloadScript.inject(into: Data(html.utf8))
        var cookies = cookies
        if request.method == .get || request.method == .post, let observer, observer.mayFollow(request),
           let shown = observer.shown(body, path: request.uri.path, request: request) {
            body = shown.page
            cookies += shown.cookies.filter { new in !cookies.contains { $0.name == new.name } }
        }
        var response = Response(status: status, headers: SecurityHeaders.servedPage,
                                body: request.method == .head ? .init() : .init(byteBuffer: body))
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    // MARK: Sessions

    func helloWorkSession(_ request: Request) throws -> Session? {
        guard let id = FlowCookie.session.value(in: request) else { return nil }
        return try accounts.session(id: id)
    }

    func mynaSession(_ request: Request) throws -> MynaSession? {
        guard let id = FlowCookie.myna.value(in: request) else { return nil }
        return try accounts.mynaSession(id: id)
    }

    // MARK: Responses

    /// 303 to a page of the same edition (`home.html` → `/v2/home.html`).
    func redirect(edition: String, to page: String, setting cookies: [Cookie] = [], clearing: [FlowCookie] = []) -> Response {
        var response = Response(status: .seeOther, headers: [.location: "/\(edition)/\(page)", .cacheControl: "no-store"])
        for cookie in cookies { response.setCookie(cookie) }
        for cookie in clearing { response.setCookie(cookie.clear()) }
        return response
    }

    /// A request the page cannot take, explained in the site's words (site.yaml `live.errors`,
    /// drawn by the template it names).
    /// `back` is the page that refused, which opened again gives a fresh form and token.
    func refusal(_ kind: LiveSettings.Refusal, status: HTTPResponse.Status, page: LiveSite.Page, site: LiveSite,
                 request: Request) -> Response {
        let text = LiveSettings(site).refusal(kind)
        let html = site.renderText(template: LiveSettings(site).errorTemplate,
                                   values: ["title": text.title, "detail": text.detail, "back": "/" + page.outputPath]) ?? text.title
        return htmlResponse(html, status: status, request: request)
    }
}
