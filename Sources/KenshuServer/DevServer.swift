import Foundation
import Hummingbird
import KenshuMail
import KenshuSite
import Logging
import ServiceLifecycle

/// `kenshu serve`: builds the site, serves `Output/`, rebuilds on every change to Content/
/// and reloads the open pages through the browser's one event stream (`BrowserEvents`).
public struct DevServer: Sendable {
    public var builder: SiteBuilder
    public var host: String
    public var port: Int
    /// The mail sink's store: when given, the inbox is served at `/mail` and the Mailpit-style
    /// API at `/api/v1/…` beside the site.
    public var mailStore: MaildirStore?
    /// Run beside the HTTP server and stopped with it (the SMTP listener).
    public var services: [any Service]
    /// The served flows (login, reset, Myna Portal…) and the trainer console; nil serves the
    /// static pages only.
    public var flows: LiveFlows?
    /// Asked of trainer-console requests that do not come from this machine.
    public var trainerToken: String?

    public init(builder: SiteBuilder, host: String = "127.0.0.1", port: Int = 8080,
                mailStore: MaildirStore? = nil, services: [any Service] = [],
                flows: LiveFlows? = nil, trainerToken: String? = nil) {
        self.builder = builder
        self.host = host
        self.port = port
        self.mailStore = mailStore
        self.services = services
        self.flows = flows
        self.trainerToken = trainerToken
    }

    public func run() async throws {
        let logger = Logger(label: "kenshu")
        let broadcaster = ReloadBroadcaster()
        let siteCache = StaticSiteCache()
        let rebuilder = SiteRebuilder(builder: builder, broadcaster: broadcaster, cache: siteCache,
                                      liveSites: flows?.sites, logger: logger)
        await rebuilder.rebuild(reason: "initial build")

        let watcher = try ContentWatcher(root: builder.contentRoot.standardizedFileURL.path)
        let app = Application(
            router: Self.router(output: builder.output, broadcaster: broadcaster, mailStore: mailStore, cache: siteCache,
                                flows: flows, trainerToken: trainerToken),
            // The files served as built are answered from the cache before the router (StaticSiteFastPath).
            server: .http1(answeringFrom: siteCache, serverName: "kenshu"),
            configuration: .init(address: .hostname(host, port: port), serverName: "kenshu"),
            onServerRunning: { [host, port] _ in
                logger.info("serving Output/ at http://\(host):\(port)/ — watching Content/ for changes (Ctrl-C stops)")
            },
            logger: logger
        )
        // Shut down in reverse order: the extra services (the mail sink ends the inbox's event
        // streams) and the watcher (the pages' event streams) first, then the HTTP server,
        // which would otherwise wait on those streams forever.
        let services = ServiceGroup(configuration: .init(
            services: [app, ContentWatchService(watcher: watcher, rebuilder: rebuilder, broadcaster: broadcaster)] + services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await services.run()
    }

    /// The routes, separate from `run()` so tests can drive them with `app.test(.router)`.
    public static func router(output: URL, broadcaster: ReloadBroadcaster, mailStore: MaildirStore? = nil,
                              cache: StaticSiteCache? = nil, flows: LiveFlows? = nil,
                              trainerToken: String? = nil) -> Router<KenshuRequestContext> {
        let router = Router(context: KenshuRequestContext.self)
        if let mailStore { MailRoutes.add(to: router, store: mailStore) }
        // The tool's own scripts and the one event stream, before the site's middlewares: none applies.
        BrowserEvents.add(to: router, broadcaster: broadcaster, mailStore: mailStore)
        router.get("/_kenshu/live.js") { _, _ in BrowserEvents.script(LiveReloadScript.source) }
        let root = output.standardizedFileURL
        if let flows {
            TrainerConsole.add(to: router, flows: flows, token: trainerToken)
            router.add(middleware: LiveFlowMiddleware(flows: flows))
        }
        if let cache { router.add(middleware: StaticSiteMiddleware(cache: cache)) }
        router.add(middleware: LiveReloadMiddleware(root: root))
        router.add(middleware: FileMiddleware(root.path, cacheControl: .init([(MediaType(type: .any), [.noCache])]), searchForIndexHtml: true))
        return router
    }
}

/// Rebuilds on every change until the server shuts down, then closes the open event streams.
struct ContentWatchService: Service {
    let watcher: ContentWatcher
    let rebuilder: SiteRebuilder
    let broadcaster: ReloadBroadcaster

    func run() async throws {
        let broadcaster = broadcaster
        await withGracefulShutdownHandler {
            for await changed in watcher.changes().cancelOnGracefulShutdown() {
                await rebuilder.rebuild(changed: changed, reason: changed.sorted().joined(separator: ", "))
            }
        } onGracefulShutdown: {
            Task { await broadcaster.finish() }
        }
        await broadcaster.finish()
    }
}
