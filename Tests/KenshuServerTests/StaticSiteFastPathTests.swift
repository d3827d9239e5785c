import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing
@testable import KenshuServer

/// `StaticSiteFastPath`: what it answers in the pipeline, what it leaves to Hummingbird.
struct StaticSiteFastPathTests {
    static let site: [String: Data] = [
        "v2/index.html": Data("<html><body>v2 top</body></html>".utf8),
        "v2/home.html": Data("<html><body>home</body></html>".utf8),
        "assets/kenshu.css": Data("body{}".utf8),
    ]

    /// Counts the requests that reach the router.
    struct CountRequests<Context: RequestContext>: RouterMiddleware {
        let count: NIOLockedValueBox<Int>
        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            count.withLockedValue { $0 += 1 }
            return try await next(request, context)
        }
    }

    /// A real server: the fast path in the pipeline, and behind it a router with the same cache.
    func makeApp(_ cache: SiteTable, routed: NIOLockedValueBox<Int>) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: CountRequests(count: routed))
        router.add(middleware: SiteMiddleware(table: cache, output: OutputFolder(root: URL(fileURLWithPath: "/nonexistent")), flows: { nil }))
        return Application(router: router, server: .http1(answeringFrom: cache, serverName: "kenshu"))
    }

    @Test func filesServedAsBuiltAreAnsweredInThePipeline() async throws {
        let cache = SiteTable()
        cache.update(with: Self.site, renderedPerRequest: ["v2/home.html"])
        let routed = NIOLockedValueBox(0)
        try await makeApp(cache, routed: routed).test(.live) { client in
            try await client.execute(uri: "/v2/index.html?x=1", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"<html><body>v2 top<script src="/_kenshu/live.js"></script></body></html>"#)
                #expect(response.headers[.server] == "kenshu")
                #expect(response.headers[.date]?.hasSuffix(" GMT") == true)
            }
            let tag = try await client.execute(uri: "/assets/kenshu.css", method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentLength] == "6")
                #expect(response.body.readableBytes == 0)
                return try #require(response.headers[.eTag])
            }
            try await client.execute(uri: "/assets/kenshu.css", method: .get, headers: [.ifNoneMatch: tag]) { response in
                #expect(response.status == .notModified)
            }
            // The same connection goes on working after answers made in the pipeline.
            try await client.execute(uri: "/assets/kenshu.css", method: .get) { response in
                #expect(String(buffer: response.body) == "body{}")
            }
        }
        #expect(routed.withLockedValue { $0 } == 0)
    }

    @Test func everythingElseGoesOnToTheRouter() async throws {
        let cache = SiteTable()
        cache.update(with: Self.site, renderedPerRequest: ["v2/home.html"])
        let routed = NIOLockedValueBox(0)
        try await makeApp(cache, routed: routed).test(.live) { client in
            // A page the served flows render per request (the router answers it here from the
            // cache, as SiteMiddleware does when the flows pass a page on).
            try await client.execute(uri: "/v2/home.html", method: .get) { response in
                #expect(String(buffer: response.body).contains("home"))
            }
            #expect(routed.withLockedValue { $0 } == 1)
            // A miss, a POST, a byte range of a non-HTML file.
            try await client.execute(uri: "/nope.html", method: .get) { #expect($0.status == .notFound) }
            #expect(routed.withLockedValue { $0 } == 2)
            try await client.execute(uri: "/v2/index.html", method: .post) { #expect($0.status == .notFound) }
            #expect(routed.withLockedValue { $0 } == 3)
            try await client.execute(uri: "/assets/kenshu.css", method: .get, headers: [.range: "bytes=0-1"]) { _ in }
            #expect(routed.withLockedValue { $0 } == 4)
            // A path that leaves the site: the router rejects it.
            try await client.execute(uri: "/v2/%2e%2e/v2/index.html", method: .get) { #expect($0.status == .badRequest) }
            #expect(routed.withLockedValue { $0 } == 5)
            // A page for a card's browser (maybe a study's participant, whose pages are recorded);
            // the same card's stylesheet is still answered here.
            try await client.execute(uri: "/v2/index.html", method: .get, headers: [.cookie: "a=b; kenshu_participant=id.x"]) { #expect($0.status == .ok) }
            #expect(routed.withLockedValue { $0 } == 6)
            try await client.execute(uri: "/assets/kenshu.css", method: .get, headers: [.cookie: "kenshu_participant=id.x"]) { _ in }
            #expect(routed.withLockedValue { $0 } == 6)
            // And a hit is still answered in the pipeline afterwards.
            try await client.execute(uri: "/v2/index.html", method: .get) { #expect($0.status == .ok) }
            #expect(routed.withLockedValue { $0 } == 6)
        }
    }

    func head(_ path: String, method: HTTPRequest.Method = .get) -> HTTPRequestPart {
        .head(HTTPRequest(method: method, scheme: nil, authority: "localhost", path: path))
    }

    @Test func pipelinedResponsesKeepTheirOrder() throws {
        let cache = SiteTable()
        cache.update(with: Self.site)
        let channel = EmbeddedChannel(handler: StaticSiteFastPath(cache: cache, serverName: "kenshu"))
        defer { _ = try? channel.finish() }

        // A miss goes on to Hummingbird...
        try channel.writeInbound(head("/nope.html"))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == head("/nope.html"))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == .end(nil))
        // ...so a hit pipelined behind it must wait its turn there too.
        try channel.writeInbound(head("/assets/kenshu.css"))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == head("/assets/kenshu.css"))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == .end(nil))
        #expect(try channel.readOutbound(as: HTTPResponsePart.self) == nil)

        // Hummingbird answers both; then the connection is free again.
        for _ in 0..<2 {
            try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
            try channel.writeOutbound(HTTPResponsePart.end(nil))
            _ = try channel.readOutbound(as: HTTPResponsePart.self)
            _ = try channel.readOutbound(as: HTTPResponsePart.self)
        }
        try channel.writeInbound(head("/assets/kenshu.css"))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == nil)
        guard case .head(let response) = try channel.readOutbound(as: HTTPResponsePart.self) else {
            Issue.record("expected the response head"); return
        }
        #expect(response.status == .ok)
        #expect(response.headerFields[.contentType] == "text/css")
        #expect(try channel.readOutbound(as: HTTPResponsePart.self) == .body(ByteBuffer(string: "body{}")))
        #expect(try channel.readOutbound(as: HTTPResponsePart.self) == .end(nil))

        // `Connection: close` is left to Hummingbird, which closes after its response.
        try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .get, scheme: nil, authority: "localhost",
                                                                  path: "/assets/kenshu.css", headerFields: [.connection: "close"])))
        guard case .head = try channel.readInbound(as: HTTPRequestPart.self) else { Issue.record("not passed on"); return }
        try channel.writeInbound(HTTPRequestPart.end(nil))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == .end(nil))
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        _ = try channel.readOutbound(as: HTTPResponsePart.self)
        _ = try channel.readOutbound(as: HTTPResponsePart.self)

        // HEAD: no body part.
        try channel.writeInbound(head("/assets/kenshu.css", method: .head))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        guard case .head = try channel.readOutbound(as: HTTPResponsePart.self) else { Issue.record("expected a head"); return }
        #expect(try channel.readOutbound(as: HTTPResponsePart.self) == .end(nil))
    }

    @Test func dateHeaderFormat() {
        #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(1_632_214_800) == "Tue, 21 Sep 2021 09:00:00 GMT")
    }
}
