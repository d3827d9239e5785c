import Foundation
import Hummingbird
import HummingbirdTesting
import KenshuSite
import Testing
@testable import KenshuServer

struct DevServerTests {
    /// A tiny Output/ folder to serve.
    func makeOutput() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("v2"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("assets"), withIntermediateDirectories: true)
        try Data("<!DOCTYPE html><html><body><p>ホーム</p></body></html>".utf8).write(to: root.appendingPathComponent("v2/home.html"))
        try Data("<html><body>gallery</body></html>".utf8).write(to: root.appendingPathComponent("index.html"))
        try Data("body{}".utf8).write(to: root.appendingPathComponent("assets/kenshu.css"))
        return root
    }

    @Test func htmlPagesGetTheLiveReloadScript() async throws {
        let output = try makeOutput()
        defer { try? FileManager.default.removeItem(at: output) }
        let app = Application(router: DevServer.router(output: output, broadcaster: ReloadBroadcaster()))
        try await app.test(.router) { client in
            try await client.execute(uri: "/v2/home.html", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let body = String(buffer: response.body)
                #expect(body.contains(#"<p>ホーム</p><script src="/_kenshu/live.js"></script></body>"#))
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(String(buffer: response.body).contains("gallery"))
            }
            try await client.execute(uri: "/assets/kenshu.css", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "body{}")
            }
            try await client.execute(uri: "/_kenshu/live.js", method: .get) { response in
                #expect(String(buffer: response.body).contains("EventSource"))
            }
        }
    }

    @Test func pathsCannotLeaveOutput() async throws {
        let output = try makeOutput()
        defer { try? FileManager.default.removeItem(at: output) }
        let app = Application(router: DevServer.router(output: output, broadcaster: ReloadBroadcaster()))
        try await app.test(.router) { client in
            for uri in ["/../../etc/passwd", "/v2/%2e%2e/%2e%2e/etc/hostname", "/nope.html"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect([.notFound, .badRequest].contains(response.status), "\(uri)")
                    #expect(!String(buffer: response.body).contains("root:"), "\(uri)")
                }
            }
        }
        #expect(OutputFolder(root: output).htmlFile(for: "/v2/%2e%2e/%2e%2e/x.html") == nil)
    }

    @Test func broadcasterSendsEventsToEverySubscriber() async throws {
        let broadcaster = ReloadBroadcaster()
        let first = await broadcaster.subscribe()
        let second = await broadcaster.subscribe()
        await broadcaster.publish(.reload(["v2/home.html"]))
        var a = first.makeAsyncIterator(), b = second.makeAsyncIterator()
        #expect(await a.next() == .reload(["v2/home.html"]))
        #expect(await b.next() == .reload(["v2/home.html"]))
        #expect(ReloadBroadcaster.Event.reload(["v2/home.html"]).serverSentEvent == "event: reload\ndata: {\"changed\":[\"v2/home.html\"]}\n\n")
    }

    @Test func aPageOpenedDuringABrokenBuildSeesTheError() async throws {
        let broadcaster = ReloadBroadcaster()
        await broadcaster.publish(.failed("Content/x.md:1:1: boom"))
        var late = await broadcaster.subscribe().makeAsyncIterator()
        #expect(await late.next() == .failed("Content/x.md:1:1: boom"))
    }

    @Test func rebuilderKeepsTheLastGoodSiteOnError() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-rebuild-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("Content"), output = root.appendingPathComponent("Output")
        func write(_ path: String, _ text: String) throws {
            let url = content.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try write("site.yaml", "editions:\n  - id: a\n")
        try write("templates/t.mustache", "<p>{{page.title}}</p>\n")
        try write("pages/index.md", "---\ntemplate: t\ntitle: one\n---\n")
        let broadcaster = ReloadBroadcaster()
        var events = await broadcaster.subscribe().makeAsyncIterator()
        let rebuilder = SiteRebuilder(builder: SiteBuilder(content: content, displayRoot: "Content", output: output),
                                      broadcaster: broadcaster, logger: .init(label: "test"))
        #expect(await rebuilder.rebuild(reason: "first") == ["a/index.html"])
        #expect(await events.next() == .reload(["a/index.html"]))

        try write("pages/index.md", "---\ntemplate: t\ntitle: [broken\n---\n")
        #expect(await rebuilder.rebuild(reason: "broken").isEmpty)
        guard case .failed(let message) = await events.next() else { Issue.record("expected a failure event"); return }
        #expect(message.hasPrefix("Content/pages/index.md:"))
        #expect(FileManager.default.contents(atPath: output.appendingPathComponent("a/index.html").path) == Data("<p>one</p>\n".utf8))

        try write("pages/index.md", "---\ntemplate: t\ntitle: two\n---\n")
        #expect(await rebuilder.rebuild(reason: "fixed") == ["a/index.html"])
        #expect(await events.next() == .reload(["a/index.html"]))
    }

    @Test func watcherReportsChangedFiles() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("pages/deep"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let watcher = try ContentWatcher(root: root.path)
        var changes = watcher.changes().makeAsyncIterator()
        try Data("x".utf8).write(to: root.appendingPathComponent("pages/deep/a.md"))
        let batch = await changes.next()
        #expect(batch?.contains("pages/deep/a.md") == true)
    }
}
