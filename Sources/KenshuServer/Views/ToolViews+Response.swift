import Hummingbird

extension ToolViews {
    /// `template` rendered with `view` as a response. `headers` is for pages with other needs
    /// (the flows' pages send their own, without the inbox's policy).
    func response(_ template: Template, _ view: some ToolViewModel, status: HTTPResponse.Status = .ok,
                  headers: HTTPFields = SecurityHeaders.toolPage) -> Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: render(template, view))))
    }
}
