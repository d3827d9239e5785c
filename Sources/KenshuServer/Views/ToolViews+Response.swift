import Hummingbird

extension ToolViews {
    /// The policy for the tool's pages: scripts and styles only from this server (styles also
    /// inline), nothing remote, so neither a mail's HTML nor anything it references can run or
    /// phone home.
    static let pagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src data: cid:; "
        + "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    /// `template` rendered with `view`, with the headers every tool page carries: never cached,
    /// never indexed, never sniffed, no referrer, the page policy.
    func response(_ template: Template, _ view: some ToolViewModel, status: HTTPResponse.Status = .ok) -> Response {
        let headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-store",
            .contentSecurityPolicy: Self.pagePolicy,
            .init("X-Robots-Tag")!: "noindex",
            .init("X-Content-Type-Options")!: "nosniff",
            .init("Referrer-Policy")!: "no-referrer",
        ]
        return Response(status: status, headers: headers,
                        body: .init(byteBuffer: ByteBuffer(string: render(template, view))))
    }
}
