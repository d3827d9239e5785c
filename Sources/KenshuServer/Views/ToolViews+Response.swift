import Hummingbird

extension ToolViews {
    /// The policy for the tool's pages: scripts and styles only from this server (styles also
    /// inline), nothing remote, so neither a mail's HTML nor anything it references can run or
    /// phone home.
    static let pagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src data: cid:; "
        + "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    /// The headers the inbox and the console carry: never cached, never indexed, never sniffed,
    /// no referrer, the page policy.
    static let pageHeaders: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .cacheControl: "no-store",
        .contentSecurityPolicy: pagePolicy,
        .init("X-Robots-Tag")!: "noindex",
        .init("X-Content-Type-Options")!: "nosniff",
        .init("Referrer-Policy")!: "no-referrer",
    ]

    /// `template` rendered with `view` as a response. `headers` is for pages with other needs
    /// (the flows' pages send their own, without the inbox's policy).
    func response(_ template: Template, _ view: some ToolViewModel, status: HTTPResponse.Status = .ok,
                  headers: HTTPFields = pageHeaders) -> Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: render(template, view))))
    }
}
