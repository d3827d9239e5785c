import Foundation
import Hummingbird
import KenshuMail
import HummingbirdCore
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTPTypes

extension HTTPServerBuilder {
    /// Hummingbird's HTTP/1.1 server with `StaticSiteFastPath` in every connection's pipeline.
    static func http1(answeringFrom cache: SiteTable, serverName: String) -> HTTPServerBuilder {
        .http1(configuration: .init(additionalChannelHandlers: [StaticSiteFastPath(cache: cache, serverName: serverName)]))
    }
}

/// Answers GET and HEAD of the files served as built straight from `SiteTable`, in the
/// connection's channel pipeline, on its event loop: such a request never becomes a Hummingbird
/// `Request`, task or router pass. Measured with bench/http.sh, the router path spends most of
/// a cached page's time on that machinery (task hops between the event loop and Swift's
/// global executor, per-request context and logger), not on the page.
///
/// Everything else goes on to Hummingbird unchanged: other methods, misses, the pages the
/// served flows render per request, `Connection: close`, byte ranges, paths to reject (the
/// router answers 400) — and any request while an earlier one on the connection is still with
/// Hummingbird, so pipelined responses keep their order.
///
/// It sits before the router, so a route or middleware can never take over a path the build
/// writes (other than the flows' pages, which the cache marks). Responses carry what
/// Hummingbird adds to every response: `Date` and `Server`.
final class StaticSiteFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let cache: SiteTable
    private let serverName: String
    /// Requests passed on to Hummingbird whose response has not ended yet.
    private var passedOn = 0
    /// The rest (body, end) of a request answered here is dropped.
    private var answering = false
    /// Responses written since the last flush.
    private var unflushed = false

    static let participantCookie = FlowCookie.participant.rawValue + "="

    init(cache: SiteTable, serverName: String) {
        self.cache = cache
        self.serverName = serverName
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            if passedOn == 0, let (response, body) = answer(request) {
                answering = true
                context.write(wrapOutboundOut(.head(response)), promise: nil)
                if let body { context.write(wrapOutboundOut(.body(body)), promise: nil) }
                context.write(wrapOutboundOut(.end(nil)), promise: nil)
                unflushed = true
                return
            }
            passedOn += 1
            context.fireChannelRead(data)
        case .body:
            if !answering { context.fireChannelRead(data) }
        case .end:
            if answering { answering = false } else { context.fireChannelRead(data) }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if unflushed {
            unflushed = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { passedOn = max(0, passedOn - 1) }
        context.write(data, promise: promise)
    }

    /// The response when the cache answers this request here.
    private func answer(_ request: HTTPRequest) -> (HTTPResponse, ByteBuffer?)? {
        guard var path = request.path else { return nil }
        if let query = path.utf8.firstIndex(of: UInt8(ascii: "?")) { path = String(path[..<query]) }
        if let connection = request.headerFields[.connection], connection.lowercased().contains("close") { return nil }
        // A card's browser may be a study's participant, whose pages are recorded: the router decides.
        if let cookie = request.headerFields[.cookie], cookie.contains(Self.participantCookie), path.hasSuffix(".html") || path.hasSuffix("/") {
            return nil
        }
        guard case .send(let status, var headers, let body) = cache.answer(
            method: request.method, path: path, headers: request.headerFields, includingPagesRenderedPerRequest: false)
        else { return nil }
        headers[.date] = HTTPDate.now
        headers[.server] = serverName
        return (HTTPResponse(status: status, headerFields: headers), body)
    }
}

/// The `Date` header value (RFC 9110 IMF-fixdate), formatted once a second.
enum HTTPDate {
    private static let current = NIOLockedValueBox<(second: Int, text: String)>((-1, ""))

    static var now: String {
        let second = Int(time(nil))
        return current.withLockedValue { current in
            if current.second != second { current = (second, format(second)) }
            return current.text
        }
    }

    static func format(_ second: Int) -> String {
        InternetDate.format(secondsSince1970: second, zone: "GMT")
    }
}
