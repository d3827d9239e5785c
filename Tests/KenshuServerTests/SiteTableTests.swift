import Foundation
import Hummingbird
import HummingbirdTesting
import KenshuSite
import Testing
@testable import KenshuServer

/// The table behind `SiteMiddleware` (the router layer) and how rebuilds fill it.
struct SiteTableTests {
    static let script = #"<script src="/_kenshu/live.js"></script>"#

    static let site: [String: Data] = [
        "index.html": Data("<html><body>gallery</body></html>".utf8),
        "v2/index.html": Data("<html><body>v2 top</body></html>".utf8),
        "v2/home.html": Data("<!DOCTYPE html><html><body><p>ホーム</p></body></html>".utf8),
        "assets/kenshu.css": Data("body{}".utf8),
    ]

    /// An empty Output/ folder: whatever is served without a file on disk came from the cache.
    func makeOutput() throws -> URL {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        return output
    }

    @Test func servesTheBuildFromMemoryWithTheScript() async throws {
        let cache = SiteTable()
        cache.update(with: Self.site)
        let output = try makeOutput()
        defer { try? FileManager.default.removeItem(at: output) }
        let app = Application(router: DevServer.router(output: output, broadcaster: ReloadBroadcaster(), table: cache))
        try await app.test(.router) { client in
            try await client.execute(uri: "/v2/home.html", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(String(buffer: response.body) == "<!DOCTYPE html><html><body><p>ホーム</p>\(Self.script)</body></html>")
                #expect(response.headers[.contentLength] == String(response.body.readableBytes))
            }
            for (uri, text) in [("/", "gallery"), ("/v2/", "v2 top"), ("/v2", "v2 top"), ("/v2/index.html", "v2 top")] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    #expect(String(buffer: response.body) == "<html><body>\(text)\(Self.script)</body></html>", "\(uri)")
                }
            }
            try await client.execute(uri: "/assets/kenshu.css?v=2", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/css")
                #expect(response.headers[.cacheControl] == "no-cache")
                #expect(String(buffer: response.body) == "body{}")
            }
            try await client.execute(uri: "/v2/ho%6De.html", method: .get) { response in
                #expect(String(buffer: response.body).contains("ホーム"))
            }
        }
    }

    @Test func aRebuiltPageIsServedNewBeforeTheReloadEvent() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-cache-rebuild-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("Content"), output = root.appendingPathComponent("Output")
        @Sendable func write(_ path: String, _ text: String) throws {
            let url = content.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try write("site.yaml", "editions:\n  - id: a\n")
        try write("templates/t.mustache", "<html><body><p>{{page.title}}</p></body></html>\n")
        try write("pages/index.md", "---\ntemplate: t\ntitle: one\n---\n")
        let cache = SiteTable()
        let broadcaster = ReloadBroadcaster()
        let rebuilder = SiteRebuilder(builder: SiteBuilder(content: content, displayRoot: "Content", output: output),
                                      broadcaster: broadcaster, table: cache, logger: .init(label: "test"))
        let app = Application(router: DevServer.router(output: output, broadcaster: broadcaster, table: cache))
        #expect(await rebuilder.rebuild(reason: "first") == ["a/index.html"])
        #expect(cache.count == 1)

        try await app.test(.router) { client in
            let firstTag = try await client.execute(uri: "/a/", method: .get) { response in
                #expect(String(buffer: response.body) == "<html><body><p>one</p>\(Self.script)</body></html>\n")
                return try #require(response.headers[.eTag])
            }

            // Whoever hears the reload event asks for the page at once: it must be the new one.
            let events = await broadcaster.subscribe()
            let seenOnReload = Task { () -> String? in
                var iterator = events.makeAsyncIterator()
                guard case .reload = await iterator.next() else { return nil }
                guard case .hit(let entry) = cache.lookup(requestPath: "/a/") else { return nil }
                return String(buffer: entry.body)
            }
            try write("pages/index.md", "---\ntemplate: t\ntitle: two\n---\n")
            #expect(await rebuilder.rebuild(changed: ["pages/index.md"], reason: "edit") == ["a/index.html"])
            #expect(await seenOnReload.value == "<html><body><p>two</p>\(Self.script)</body></html>\n")

            try await client.execute(uri: "/a/index.html", method: .get) { response in
                #expect(String(buffer: response.body).contains("<p>two</p>"))
            }
            // The old ETag no longer matches: the new page, not a 304.
            try await client.execute(uri: "/a/", method: .get, headers: [.ifNoneMatch: firstTag]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("<p>two</p>"))
            }

            // A broken build keeps the last good page in the cache too.
            try write("pages/index.md", "---\ntemplate: t\ntitle: [broken\n---\n")
            #expect(await rebuilder.rebuild(changed: ["pages/index.md"], reason: "broken").isEmpty)
            try await client.execute(uri: "/a/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("<p>two</p>"))
            }
        }
    }

    @Test func aMissFallsThroughToTheFilesOnDisk() async throws {
        let cache = SiteTable()
        cache.update(with: Self.site)
        let output = try makeOutput()
        defer { try? FileManager.default.removeItem(at: output) }
        // Written by hand, not by the build: served from disk, HTML still with the script.
        try Data("<html><body>by hand</body></html>".utf8).write(to: output.appendingPathComponent("extra.html"))
        try Data("hand".utf8).write(to: output.appendingPathComponent("notes.txt"))
        let app = Application(router: DevServer.router(output: output, broadcaster: ReloadBroadcaster(), table: cache))
        try await app.test(.router) { client in
            try await client.execute(uri: "/extra.html", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "<html><body>by hand\(Self.script)</body></html>")
            }
            try await client.execute(uri: "/notes.txt", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "hand")
            }
            try await client.execute(uri: "/nope.html", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/_kenshu/live.js", method: .get) { response in
                #expect(String(buffer: response.body).contains("EventSource"))
            }
            // Only GET and HEAD are answered from the cache; a POST goes on to the routes.
            try await client.execute(uri: "/v2/home.html", method: .post) { response in
                #expect(response.status != .ok)
                #expect(!String(buffer: response.body).contains("ホーム"))
            }
        }
        // A file the next build no longer writes is gone from the cache.
        var smaller = Self.site
        smaller["v2/home.html"] = nil
        cache.update(with: smaller)
        guard case .miss = cache.lookup(requestPath: "/v2/home.html") else { Issue.record("expected a miss"); return }
    }

    @Test func headSendsTheHeadersWithoutTheBody() async throws {
        let cache = SiteTable()
        cache.update(with: Self.site)
        let output = try makeOutput()
        defer { try? FileManager.default.removeItem(at: output) }
        let app = Application(router: DevServer.router(output: output, broadcaster: ReloadBroadcaster(), table: cache))
        try await app.test(.router) { client in
            let length = try await client.execute(uri: "/v2/home.html", method: .get) { $0.headers[.contentLength] }
            try await client.execute(uri: "/v2/home.html", method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0)
                #expect(response.headers[.contentLength] == length)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.eTag] != nil)
            }
        }
    }

    @Test func pathsLeavingTheSiteAreRejected() async throws {
        let cache = SiteTable()
        cache.update(with: Self.site)
        let output = try makeOutput()
        defer { try? FileManager.default.removeItem(at: output) }
        let app = Application(router: DevServer.router(output: output, broadcaster: ReloadBroadcaster(), table: cache))
        try await app.test(.router) { client in
            for uri in ["/../index.html", "/v2/../index.html", "/v2/%2e%2e/index.html", "/v2/%2E%2E/%2e%2e/etc/passwd",
                        "/v2/home.html%00", "/v2/..", "/%00"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .badRequest, "\(uri)")
                    #expect(!String(buffer: response.body).contains("gallery"), "\(uri)")
                }
            }
        }
        for path in ["/../index.html", "/v2/%2e%2e/x", "/a/..", "/x\u{0}.html"] {
            guard case .rejected = cache.lookup(requestPath: path) else { Issue.record("\(path) not rejected"); continue }
        }
        // `.`, `...` and empty segments lead nowhere outside, but are not the site's own paths either.
        for path in ["/./index.html", "//index.html", "/v2//home.html", "/.../index.html"] {
            guard case .miss = cache.lookup(requestPath: path) else { Issue.record("\(path) not a miss"); continue }
        }
    }

    @Test func ifNoneMatchGetsNotModified() async throws {
        let cache = SiteTable()
        cache.update(with: Self.site)
        let output = try makeOutput()
        defer { try? FileManager.default.removeItem(at: output) }
        let app = Application(router: DevServer.router(output: output, broadcaster: ReloadBroadcaster(), table: cache))
        try await app.test(.router) { client in
            let tag = try await client.execute(uri: "/assets/kenshu.css", method: .get) { try #require($0.headers[.eTag]) }
            #expect(tag.hasPrefix("\"") && tag.hasSuffix("\""))
            for match in [tag, "W/\(tag)", "\"other\", \(tag)", "*"] {
                try await client.execute(uri: "/assets/kenshu.css", method: .get, headers: [.ifNoneMatch: match]) { response in
                    #expect(response.status == .notModified, "\(match)")
                    #expect(response.body.readableBytes == 0, "\(match)")
                    #expect(response.headers[.eTag] == tag, "\(match)")
                }
            }
            try await client.execute(uri: "/assets/kenshu.css", method: .get, headers: [.ifNoneMatch: "\"other\""]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "body{}")
            }
        }
        // The same bytes keep their tag across updates; other bytes get another.
        guard case .hit(let before) = cache.lookup(requestPath: "/assets/kenshu.css") else { Issue.record("miss"); return }
        cache.update(with: Self.site)
        guard case .hit(let same) = cache.lookup(requestPath: "/assets/kenshu.css") else { Issue.record("miss"); return }
        var changed = Self.site
        changed["assets/kenshu.css"] = Data("body{color:red}".utf8)
        cache.update(with: changed)
        guard case .hit(let after) = cache.lookup(requestPath: "/assets/kenshu.css") else { Issue.record("miss"); return }
        #expect(same.eTag == before.eTag)
        #expect(after.eTag != before.eTag)
        #expect(String(buffer: after.body) == "body{color:red}")
    }

    @Test func pagesTheFlowsRenderAreMarked() {
        let cache = SiteTable()
        cache.update(with: Self.site, renderedPerRequest: ["v2/home.html"])
        let request: (String) -> SiteTable.Answer = {
            cache.answer(method: .get, path: $0, headers: [:], includingPagesRenderedPerRequest: false)
        }
        guard case .pass = request("/v2/home.html") else { Issue.record("a flow page answered as built"); return }
        guard case .send(.ok, _, _) = request("/v2/index.html") else { Issue.record("a static page not answered"); return }
        guard case .send(.ok, _, _) = cache.answer(method: .get, path: "/v2/home.html", headers: [:],
                                                   includingPagesRenderedPerRequest: true)
        else { Issue.record("the router layer must still answer it"); return }
        // The mark follows the flows, not the bytes: the next update may lift it.
        cache.update(with: Self.site)
        guard case .send(.ok, _, _) = request("/v2/home.html") else { Issue.record("mark not lifted"); return }
    }

    @Test func theScriptGoesBeforeTheLastClosingBody() {
        func inject(_ html: String) -> String {
            String(buffer: LiveReloadScript.inject(into: Data(html.utf8)))
        }
        #expect(inject("<body>a</body>b</body>") == "<body>a</body>b\(Self.script)</body>")
        #expect(inject("<p>no body tag</p>") == "<p>no body tag</p>\(Self.script)")
        #expect(inject("") == Self.script)
        #expect(inject("</body>") == "\(Self.script)</body>")
    }
}
