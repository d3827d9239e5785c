import Foundation
import Hummingbird
import KenshuMail

/// The server-rendered Japanese web inbox under `/mail`. Pages work with JavaScript off; a small
/// external script only reloads the list when the browser's one event stream (`BrowserEvents`) reports new mail.
enum MailInbox {
    /// Messages per list page.
    static let pageSize = 50

    /// `Sec-Fetch-Site`, which HTTPTypes has no constant for.
    static let secFetchSite = HTTPFields.Element.Name("Sec-Fetch-Site")

    /// Registers the `/mail` routes. Loads the page templates now, so a broken install stops at start-up.
    static func add(to router: Router<KenshuRequestContext>, store: MaildirStore, views: ToolViews = .shared) {
        router.get("/mail") { request, _ in
            let query = request.uri.queryParameters.get("q").map { String($0) } ?? ""
            let page = max(1, request.uri.queryParameters.get("page", as: Int.self) ?? 1)
            let matching = await MailRoutes.matchingMessages(store: store, search: MailSearch(parsing: query))
            let start = min((page - 1) * pageSize, matching.count)
            let rows = Array(matching[start...].prefix(pageSize))
            return views.response(.mailList, MailInboxView.ListPage(rows: rows, query: query, page: page,
                                                                    total: matching.count, unread: store.unreadCount))
        }
        router.get("/mail/inbox.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "no-cache"],
                     body: .init(byteBuffer: ByteBuffer(string: MailInboxView.stylesheet)))
        }
        router.get("/mail/inbox.js") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache"],
                     body: .init(byteBuffer: ByteBuffer(string: MailInboxView.script)))
        }
        router.get("/mail/delete-all") { _, _ in
            views.response(.mailDeleteAll, MailInboxView.DeleteAllPage(count: store.count))
        }
        router.post("/mail/delete-all") { request, _ in
            guard isSameOrigin(request) else { return forbidden(views) }
            let form = try await request.body.collect(upTo: 4096)
            guard String(buffer: form).split(separator: "&").contains("confirm=yes") else {
                return redirect(to: "/mail/delete-all")
            }
            try await store.deleteAll()
            return redirect(to: "/mail")
        }
        router.get("/mail/:id") { _, context in
            guard let id = context.parameters.get("id"), let entry = store.message(id: id),
                  let raw = try await store.rawMessage(id: id)
            else { return notFound(views) }
            if !entry.isRead { try await store.setRead(true, ids: [id]) }
            let message = MIMEMessage(parsing: Array(raw.readableBytesView))
            return views.response(.mailMessage, MailInboxView.MessagePage(entry: entry, message: message))
        }
        router.post("/mail/:id/delete") { request, context in
            guard isSameOrigin(request) else { return forbidden(views) }
            guard let id = context.parameters.get("id") else { return notFound(views) }
            try await store.delete(ids: [id])
            return redirect(to: "/mail")
        }
    }

    /// A cheap CSRF defence that suffices on 127.0.0.1: the browser must say the form came from this
    /// origin, via `Sec-Fetch-Site` or an `Origin` whose host matches the request authority (`Host`).
    static func isSameOrigin(_ request: Request) -> Bool {
        if let secFetchSite, let site = request.headers[secFetchSite] { return site == "same-origin" }
        guard let origin = request.headers[.origin], let host = request.head.authority
        else { return false }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }

    /// 303 so the browser follows with GET after a form POST.
    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// The page for a missing message.
    static func notFound(_ views: ToolViews) -> Response {
        views.response(.mailError, MailInboxView.errorPage(title: "メールが見つかりません", detail: "削除されたか、存在しないメールです。"),
                       status: .notFound)
    }

    /// The refusal for a cross-site form post.
    static func forbidden(_ views: ToolViews) -> Response {
        views.response(.mailError, MailInboxView.errorPage(title: "操作できません", detail: "このページ以外からの送信は受け付けません。"),
                       status: .forbidden)
    }
}
