import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import KenshuServer

/// The browser's one event stream: site and mail events on one connection, held by a shared worker.
struct BrowserEventsTests {
    @Test func siteAndMailEventsTravelOnOneStream() async throws {
        let mailbox = try await MailTestMailbox.make()
        defer { mailbox.remove() }
        let broadcaster = ReloadBroadcaster()
        let stream = BrowserEvents.merged(site: await broadcaster.subscribe(), mail: mailbox.store.events())
        var frames = stream.makeAsyncIterator()
        #expect(await frames.next().map { String(buffer: $0) } == ": kenshu events\n\n")

        await broadcaster.publish(.reload(["v2/login.html"]))
        #expect(await frames.next().map { String(buffer: $0) } == "event: reload\ndata: {\"changed\":[\"v2/login.html\"]}\n\n")
        let id = try await mailbox.deliver(MailTestMailbox.utf8Mail)
        #expect(await frames.next().map { String(buffer: $0) } == "event: mail-added\ndata: \(id)\n\n")
        await broadcaster.publish(.failed("Content/pages/login.md:2:8: error: boom"))
        let failure = try #require(await frames.next().map { String(buffer: $0) })
        #expect(failure.hasPrefix("event: build-error\ndata: {\"message\":\"Content/pages/login.md:2:8: error: boom\"}"))

        // The server shutting down ends the site's streams: the browser's stream ends too, or the
        // HTTP server would wait on it forever.
        await broadcaster.finish()
        #expect(await frames.next() == nil)
    }

    @Test func theWorkerAndTheStreamAreServed() async throws {
        let mailbox = try await MailTestMailbox.make()
        defer { mailbox.remove() }
        let router = Router(context: KenshuRequestContext.self)
        BrowserEvents.add(to: router, mailStore: mailbox.store)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/_kenshu/hub.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
                let source = String(buffer: response.body)
                #expect(source.contains(#"new EventSource("/_kenshu/events")"#))
                #expect(source.contains("self.onconnect"))
            }
        }
        // `kenshu mail` alone: the stream ends when the store's events end.
        let stream = BrowserEvents.merged(site: nil, mail: mailbox.store.events())
        var frames = stream.makeAsyncIterator()
        _ = await frames.next()
        mailbox.store.finishEvents()
        #expect(await frames.next() == nil)
    }

    @Test func everyPageScriptListensThroughTheSharedWorker() {
        for script in [LiveReloadScript.source, MailInboxView.script] {
            #expect(script.contains(#"new SharedWorker("/_kenshu/hub.js""#))
            // One stream of its own only where the browser has no shared worker.
            #expect(script.components(separatedBy: "new EventSource(").count == 2)
        }
        #expect(MailInboxView.script.contains(#"kenshuEvents.on("mail-added""#))
        // Frames of the gallery open nothing: the gallery reloads them.
        #expect(LiveReloadScript.source.contains("if (window.frameElement) { return; }"))
    }
}
