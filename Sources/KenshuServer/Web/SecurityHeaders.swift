import Hummingbird

/// The headers fit for a shared network, in one place. Every page the dev server sends carries
/// a Content-Security-Policy that allows only this server's own files (no inline script, no
/// other origin, framed only by its own pages — the gallery) and `nosniff`; pages written per
/// request are also never stored (after ログアウト the back button must not show MyPage again),
/// never indexed and send no referrer to other sites.
enum SecurityHeaders {
    /// The site's pages and the tool's own: nothing but this server's files.
    static let contentSecurityPolicy =
        "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'; object-src 'none'"

    static let nosniff = (HTTPFields.Element.Name("X-Content-Type-Options")!, "nosniff")
    static let csp = HTTPFields.Element.Name("Content-Security-Policy")!

    /// Added to every file served as built (`SiteTable`): the policy on pages, `nosniff` on all.
    static func add(to headers: inout HTTPFields, isHTML: Bool) {
        headers[nosniff.0] = nosniff.1
        if isHTML { headers[csp] = contentSecurityPolicy }
    }

    /// A page written per request (the flows' pages and refusals).
    static let servedPage: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .cacheControl: "no-store",
        nosniff.0: nosniff.1,
        csp: contentSecurityPolicy,
        .init("Referrer-Policy")!: "same-origin",
        .init("X-Robots-Tag")!: "noindex",
    ]

    /// The policy for the tool's pages: scripts and styles only from this server (styles also
    /// inline), nothing remote, so neither a mail's HTML nor anything it references can run or
    /// phone home.
    static let toolPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src data: cid:; "
        + "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    /// The headers the inbox and the console carry: never cached, never indexed, never sniffed,
    /// no referrer, the page policy.
    static let toolPage: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .cacheControl: "no-store",
        .contentSecurityPolicy: toolPolicy,
        .init("X-Robots-Tag")!: "noindex",
        .init("X-Content-Type-Options")!: "nosniff",
        .init("Referrer-Policy")!: "no-referrer",
    ]

    /// The participant's mailbox: the tool page's protections, and a mail's text is shown as
    /// text (no mail HTML), so its own styles and script only.
    static let mailboxPage: HTTPFields = {
        var headers = toolPage
        headers[.contentSecurityPolicy] = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"
        return headers
    }()
}
