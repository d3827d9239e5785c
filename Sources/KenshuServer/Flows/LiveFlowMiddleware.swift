import Foundation
import Hummingbird
import KenshuAccounts
import KenshuSite
import NIOCore
import NIOPosix

/// Gives the pages their behaviour when served. A page whose front matter asks for it (a form
/// `handler`, an action `handler`, `signed_in`, `mp_signed_in`, …) is rendered per request
/// from the same templates as `kenshu build`, with a CSRF token and the signed-in account's
/// data; its forms post back to the page itself, and the handler's outcome decides the next
/// page. Every other file falls through to the static site.
struct LiveFlowMiddleware<Context: RequestContext>: RouterMiddleware {
    let flows: LiveFlows

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head || request.method == .post,
              let path = Self.outputPath(for: request.uri.path) else {
            return try await next(request, context)
        }
        let site = flows.sites.site
        guard let page = site.page(path), LivePageRules(page).isLive else {
            return try await next(request, context)
        }
        if request.method == .post {
            return try await flows.post(request, page: page, site: site)
        }
        // The gallery shows every screen in frames, as built: there a MyPage screen must be the
        // picture, not a redirect to the login screen.
        if request.headers[Self.secFetchDest] == "iframe" {
            return try await next(request, context)
        }
        return try await flows.get(request, page: page, site: site)
    }

    static var secFetchDest: HTTPFields.Element.Name { .init("Sec-Fetch-Dest")! }

    /// `v2/login.html` for `/v2/login.html`; folders mean their `index.html`. Nil for anything
    /// that is not an HTML page path or tries to leave the root.
    static func outputPath(for uriPath: String) -> String? {
        let decoded = uriPath.contains("%") ? (uriPath.removingPercentEncoding ?? uriPath) : uriPath
        var parts = decoded.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !parts.contains(where: { $0 == ".." || $0 == "." || $0.contains("\0") }) else { return nil }
        if decoded.hasSuffix("/") || parts.last.map({ !$0.contains(".") }) ?? true { parts.append("index.html") }
        let path = parts.joined(separator: "/")
        return path.hasSuffix(".html") ? path : nil
    }
}

/// What a page's front matter says about serving it.
struct LivePageRules {
    let page: LiveSite.Page

    init(_ page: LiveSite.Page) { self.page = page }

    var form: [String: Any]? { page.values["form"] as? [String: Any] }
    var formHandler: String? { LiveValues.string(form?["handler"]) }
    /// Buttons that post: the page's `actions` and `live_actions` with a `handler`.
    var actions: [[String: Any]] {
        (LiveValues.dictionaries(page.values["actions"]) + LiveValues.dictionaries(page.values["live_actions"]))
            .filter { LiveValues.string($0["handler"]) != nil }
    }
    var needsHelloWorkSession: Bool { LiveValues.bool(page.values["signed_in"]) }
    var needsMynaSession: Bool { LiveValues.bool(page.values["mp_signed_in"]) || LiveValues.bool(page.values["mp_session_required"]) }
    var linkedAlternative: String? { LiveValues.string(page.values["linked_alternative"]) }
    var unlinkedAlternative: String? { LiveValues.string(page.values["unlinked_alternative"]) }

    var isLive: Bool {
        formHandler != nil || !actions.isEmpty || needsHelloWorkSession || needsMynaSession
            || linkedAlternative != nil || unlinkedAlternative != nil
    }

    /// The handler a POST names (`action` for buttons, else the form's), when this page offers it.
    func handler(named submitted: String?) -> (name: String, target: [String: Any])? {
        guard let submitted else { return formHandler.map { ($0, form ?? [:]) } }
        if submitted == "logout", needsHelloWorkSession { return (submitted, [:]) }
        if submitted == "myna-logout", LiveValues.bool(page.values["mp_signed_in"]) { return (submitted, [:]) }
        return actions.first { LiveValues.string($0["handler"]) == submitted }.map { (submitted, $0) }
    }
}

/// The served flows: sessions and CSRF around the rules in `Accounts`.
public struct LiveFlows: Sendable {
    public let sites: LiveSiteStore
    public let accounts: Accounts
    public let mailer: FlowMailer
    /// Password hashing and SQLite block; they run here, off the event loops.
    let pool: NIOThreadPool
    /// Longest accepted value of any field; longer input gets the `too_long` message.
    static let maximumFieldLength = 256
    static let maximumBody = 16 * 1024

    public init(sites: LiveSiteStore, accounts: Accounts, mailer: FlowMailer, pool: NIOThreadPool = .singleton) {
        self.sites = sites
        self.accounts = accounts
        self.mailer = mailer
        self.pool = pool
    }

    /// Runs blocking account work on the thread pool.
    func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(work)
    }

    // MARK: GET

    func get(_ request: Request, page: LiveSite.Page, site: LiveSite) async throws -> Response {
        let rules = LivePageRules(page)
        let pages = LiveSettings(site)
        var viewer: Session?
        if rules.needsHelloWorkSession {
            guard let session = try await helloWorkSession(request) else {
                return redirect(edition: page.edition, to: pages.signIn, clearing: [.session])
            }
            viewer = session
        }
        if rules.needsMynaSession {
            guard let myna = try await mynaSession(request) else {
                return redirect(edition: page.edition, to: pages.mynaSignIn, clearing: [.myna])
            }
            if rules.linkedAlternative != nil || rules.unlinkedAlternative != nil {
                let connected = try await blocking { [accounts] in try accounts.isConnected(residentID: myna.residentID) }
                if connected, let other = rules.linkedAlternative { return redirect(edition: page.edition, to: other) }
                if !connected, let other = rules.unlinkedAlternative { return redirect(edition: page.edition, to: other) }
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
        if let previous = viewer?.previousLogin { merge["seeker"] = ["last_login": JapanTime.fixtureMinute(previous)] }
        guard var html = try site.render(page.outputPath, viewer: viewer?.seekerID, live: live, fields: fields, merge: merge) else {
            return Response(status: .notFound)
        }
        if let body = html.range(of: "</body>", options: .backwards) {
            html.insert(contentsOf: LiveReloadScript.tag, at: body.lowerBound)
        }
        var response = Response(status: status, headers: Self.pageHeaders, body: .init(byteBuffer: ByteBuffer(string: html)))
        for cookie in cookies { response.setCookie(cookie) }
        if request.method == .head { response.body = .init() }
        return response
    }

    /// Served pages are never stored: after ログアウト the back button must not show MyPage again.
    static let pageHeaders: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .cacheControl: "no-store",
        .init("X-Content-Type-Options")!: "nosniff",
        .init("Referrer-Policy")!: "same-origin",
        .init("X-Robots-Tag")!: "noindex",
    ]

    // MARK: POST

    func post(_ request: Request, page: LiveSite.Page, site: LiveSite) async throws -> Response {
        var request = request
        guard let body = try? await request.collectBody(upTo: Self.maximumBody) else {
            return errorPage(status: .contentTooLarge, title: "送信できません", detail: "入力内容が大きすぎます。")
        }
        let form = Self.decodeForm(String(buffer: body))
        guard CSRFToken.matches(form["csrf_token"], FlowCookie.csrf.value(in: request)) else {
            return errorPage(status: .forbidden, title: "操作できません",
                             detail: "画面の有効期限が切れたか、このサイト以外から送信されました。画面を開き直してから、もう一度操作してください。")
        }
        guard let (handler, target) = LivePageRules(page).handler(named: form["action"]) else {
            return errorPage(status: .badRequest, title: "操作できません", detail: "この画面ではその操作はできません。")
        }
        let submission = FlowSubmission(request: request, page: page, site: site, form: form, target: target)
        return try await run(handler, submission)
    }

    /// `application/x-www-form-urlencoded` into name → value; a repeated name keeps the first.
    static func decodeForm(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            guard !name.isEmpty, values[name] == nil else { continue }
            values[name] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return values
    }

    // MARK: Sessions

    func helloWorkSession(_ request: Request) async throws -> Session? {
        guard let id = FlowCookie.session.value(in: request) else { return nil }
        return try await blocking { [accounts] in try accounts.session(id: id) }
    }

    func mynaSession(_ request: Request) async throws -> MynaSession? {
        guard let id = FlowCookie.myna.value(in: request) else { return nil }
        return try await blocking { [accounts] in try accounts.mynaSession(id: id) }
    }

    // MARK: Responses

    /// 303 to a page of the same edition (`home.html` → `/v2/home.html`).
    func redirect(edition: String, to page: String, setting cookies: [Cookie] = [], clearing: [FlowCookie] = []) -> Response {
        var response = Response(status: .seeOther, headers: [.location: "/\(edition)/\(page)", .cacheControl: "no-store"])
        for cookie in cookies { response.setCookie(cookie) }
        for cookie in clearing { response.setCookie(cookie.clear()) }
        return response
    }

    func errorPage(status: HTTPResponse.Status, title: String, detail: String) -> Response {
        let html = """
            <!doctype html>
            <html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex"><title>\(HTMLText.escape(title))</title>
            <link rel="stylesheet" href="/assets/kenshu.css"></head>
            <body><main id="main" class="hw-main"><h1>\(HTMLText.escape(title))</h1><p>\(HTMLText.escape(detail))</p>
            <p><a href="javascript:history.back()">前の画面に戻る</a></p></main></body></html>
            """
        return Response(status: status, headers: Self.pageHeaders, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// site.yaml `live.pages` and `live.messages`.
struct LiveSettings {
    let settings: [String: Any]

    init(_ site: LiveSite) { settings = site.settings }

    private func page(_ key: String, _ fallback: String) -> String {
        LiveValues.string((settings["pages"] as? [String: Any])?[key]) ?? fallback
    }

    var signIn: String { page("sign_in", "login.html") }
    var signedOut: String { page("signed_out", "index.html") }
    var mynaSignIn: String { page("myna_sign_in", "mynaportal/login.html") }
    var mynaSignedOut: String { page("myna_signed_out", "mynaportal/login.html") }

    /// The message for `code`, or the code itself so a missing message is visible, not silent.
    func message(_ code: String) -> String {
        LiveValues.string((settings["messages"] as? [String: Any])?[code]) ?? code
    }
}

/// Escaping for the pages the server writes itself (inbox, trainer console, errors).
enum HTMLText {
    /// Escapes text for element content and double- or single-quoted attribute values.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
