import Foundation
import Hummingbird
import KenshuMail

/// One server-sent-event stream for everything the tool's pages listen to: site rebuilds
/// (`reload`, `build-error`) and the mail sink (`mail-added`, `mail-deleted`, `mail-changed`).
///
/// A browser allows six HTTP/1.1 connections per host, and an event stream holds one for as long
/// as the page is open; with a stream per page the gallery's frames or a trainer's seventh tab
/// queued behind streams that never end. So a browser keeps exactly one: pages talk to the
/// shared worker `/_kenshu/hub.js`, which alone holds `/_kenshu/events` (see `BrowserEventsScript`).
public enum BrowserEvents {
    /// The one stream's path.
    static let streamPath = "/_kenshu/events"
    /// The shared worker that holds it for every tab of the browser.
    static let hubPath = "/_kenshu/hub.js"

    /// Registers the stream and the worker. `broadcaster` is nil in `kenshu mail` (no site),
    /// `mailStore` nil when the dev server runs without the sink.
    public static func add(to router: Router<KenshuRequestContext>, broadcaster: ReloadBroadcaster? = nil,
                           mailStore: MaildirStore?) {
        router.get(RouterPath(streamPath)) { _, context in
            // The sink's events name every mail; a participant's phone gets the site's only.
            let mail = context.isLoopback ? mailStore?.events() : nil
            let stream = merged(site: await broadcaster?.subscribe(), mail: mail)
            return Response(status: .ok,
                            headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                            body: .init(asyncSequence: stream))
        }
        router.get(RouterPath(hubPath)) { _, _ in
            script(BrowserEventsScript.hub)
        }
    }

    /// The wire form of both sources, one stream: it ends when either ends (the server is shutting
    /// down) and stops reading both when the browser goes away.
    static func merged(site: AsyncStream<ReloadBroadcaster.Event>?, mail: AsyncStream<MaildirStore.Event>?) -> AsyncStream<ByteBuffer> {
        AsyncStream<ByteBuffer> { continuation in
            // A comment line first, so the browser's EventSource opens at once.
            continuation.yield(ByteBuffer(string: ": kenshu events\n\n"))
            let forward = Task {
                await withTaskGroup(of: Void.self) { group in
                    if let site {
                        group.addTask { for await event in site { continuation.yield(ByteBuffer(string: event.serverSentEvent)) } }
                    }
                    if let mail {
                        group.addTask { for await event in mail { continuation.yield(ByteBuffer(string: serverSentEvent(event))) } }
                    }
                    await group.next()
                    group.cancelAll()
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in forward.cancel() }
        }
    }

    /// The SSE frame for a mail store event; only `mail-added` carries an id, the rest ask for a refresh.
    static func serverSentEvent(_ event: MaildirStore.Event) -> String {
        switch event {
        case .added(let id): "event: mail-added\ndata: \(id)\n\n"
        case .deleted: "event: mail-deleted\ndata: \n\n"
        case .changed: "event: mail-changed\ndata: \n\n"
        }
    }

    /// A script of the tool's own, never cached: a rebuilt binary's script is used at once.
    static func script(_ source: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: source)))
    }
}
