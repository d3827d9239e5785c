import Foundation
import Hummingbird
import KenshuMail
import KenshuSite
import KenshuStudies
import Logging
import NIOCore
import ServiceLifecycle

/// `kenshu serve`, composed in one place: the first build fills the `SiteTable` (and turns the
/// flows on: their accounts are seeded from the fixtures), then the HTTP server answers from the
/// table, the watcher rebuilds on every change to Content/ and the open pages reload through the
/// browser's one event stream (`BrowserEvents`). The mailer, the watcher and any extra services
/// (the SMTP sink) run in one service group and stop together.
public struct DevServer: Sendable {
    public var builder: SiteBuilder
    public var host: String
    public var port: Int
    /// The mail sink's store: when given, the inbox is served at `/mail` and the Mailpit-style
    /// API at `/api/v1/…` beside the site.
    public var mailStore: MaildirStore?
    /// Run beside the HTTP server and stopped with it (the SMTP listener).
    public var services: [any Service]
    /// How the served flows (login, reset, Myna Portal…) and the trainer console open their
    /// accounts; nil serves the pages as built.
    public var flows: FlowsSwitch.Setup?
    /// Sends the flows' mails.
    public var mailer: FlowMailer
    /// Asked of trainer-console requests that do not come from this machine.
    public var trainerToken: String?
    /// `--lan`: this machine's address on the local network, served beside `host` on the same
    /// port with the same routes (participants' phones join here; the trainer stays on loopback).
    public var lanAddress: String?
    /// The usability studies' log (`studies.sqlite` in the data directory): when given, the
    /// facilitator's console and the participants' study pages are served, and a study
    /// participant's pages are recorded.
    public var studyStore: StudyStore?

    public init(builder: SiteBuilder, host: String = "127.0.0.1", port: Int = 8080,
                mailStore: MaildirStore? = nil, services: [any Service] = [],
                flows: FlowsSwitch.Setup? = nil, mailer: FlowMailer, trainerToken: String? = nil, lanAddress: String? = nil,
                studyStore: StudyStore? = nil) {
        self.lanAddress = lanAddress
        self.studyStore = studyStore
        self.builder = builder
        self.host = host
        self.port = port
        self.mailStore = mailStore
        self.services = services
        self.flows = flows
        self.mailer = mailer
        self.trainerToken = trainerToken
    }

    public func run() async throws {
        let logger = Logger(label: "kenshu")
        let broadcaster = ReloadBroadcaster()
        let table = SiteTable()
        let flowsSwitch = FlowsSwitch(setup: flows, mailer: mailer, table: table, logger: logger)
        let desk = studyStore.map { store in
            StudyDesk(store: store, contentRoot: builder.contentRoot.standardizedFileURL, mailStore: mailStore,
                      accounts: { [flowsSwitch] in flowsSwitch.flows?.accounts })
        }
        flowsSwitch.observer = desk
        let rebuilder = SiteRebuilder(builder: builder, broadcaster: broadcaster, table: table, flows: flowsSwitch, logger: logger)
        await rebuilder.rebuild(reason: "initial build")

        let watcher = try ContentWatcher(root: builder.contentRoot.standardizedFileURL.path)
        let router = Self.router(output: builder.output, broadcaster: broadcaster, mailStore: mailStore, table: table,
                                 flows: flowsSwitch, trainerToken: trainerToken, lanAddress: lanAddress.map { "http://\($0):\(port)" },
                                 desk: desk)
        let responder = router.buildResponder()
        func listener(_ address: String, announce: @escaping @Sendable () -> Void) -> some Service {
            Application(
                responder: responder,
                // The files served as built are answered from the table before the router (StaticSiteFastPath).
                server: .http1(answeringFrom: table, serverName: "kenshu"),
                configuration: .init(address: .hostname(address, port: port), serverName: "kenshu"),
                onServerRunning: { _ in announce() },
                logger: logger
            )
        }
        let app = listener(host) { [host, port] in
            logger.info("serving Output/ at http://\(host):\(port)/ — watching Content/ for changes (Ctrl-C stops)")
        }
        let lan: [any Service] = lanAddress.map { address in
            [listener(address) { [port] in
                let join = "http://\(address):\(port)/join"
                logger.notice("participants join at \(join) (the trainer's pages stay on this machine: /trainer, /mail, /api/v1 answer 403 from the network)")
                if let code = try? QRCode(encoding: join) { FileHandle.standardError.write(Data((code.terminalText() + "\n").utf8)) }
            }]
        } ?? []
        // Shut down in reverse order: the extra services (the mail sink ends the inbox's event
        // streams), the mailer (sends what is queued) and the watcher (the pages' event streams)
        // first, then the HTTP server, which would otherwise wait on those streams forever.
        let services = ServiceGroup(configuration: .init(
            services: [app] + lan + [ContentWatchService(watcher: watcher, rebuilder: rebuilder, broadcaster: broadcaster), mailer] + services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await services.run()
    }

    /// The routes, separate from `run()` so tests can drive them with `app.test(.router)`:
    /// the tool's own features first (mail, events, trainer: each a group with its own rules),
    /// then the site, resolved once per request in `table`, then files put into Output/ by hand.
    static func router(output: URL, broadcaster: ReloadBroadcaster, mailStore: MaildirStore? = nil,
                              table: SiteTable = SiteTable(), flows: FlowsSwitch? = nil,
                              trainerToken: String? = nil, lanAddress: String? = nil, desk: StudyDesk? = nil) -> Router<KenshuRequestContext> {
        let router = Router(context: KenshuRequestContext.self)
        // First, so it stands in front of every trainer route registered after it.
        router.add(middleware: TrainerAccess(token: trainerToken))
        if let mailStore { MailRoutes.add(to: router, store: mailStore) }
        // The tool's own scripts and the one event stream, before the site's middleware: none applies.
        BrowserEvents.add(to: router, broadcaster: broadcaster, mailStore: mailStore)
        router.get("/_kenshu/live.js") { _, _ in BrowserEvents.script(LiveReloadScript.source) }
        let root = output.standardizedFileURL
        if let flows { TrainerConsole.add(to: router, flows: flows) }
        Classroom.add(to: router, table: table, flows: flows, mailStore: mailStore, joinBase: lanAddress)
        if let desk {
            Facilitator.add(to: router, desk: desk, flows: flows, joinBase: lanAddress, output: root)
            ParticipantStudy.add(to: router, desk: desk)
        }
        router.add(middleware: SiteMiddleware(table: table, output: OutputFolder(root: root), flows: { flows?.flows },
                                              observer: { desk }))
        router.add(middleware: FileMiddleware(root.path, cacheControl: .init([(MediaType(type: .any), [.noCache])]), searchForIndexHtml: true))
        return router
    }

    /// The routes with flows made beforehand (tests): their table is the one served.
    static func router(output: URL, broadcaster: ReloadBroadcaster, mailStore: MaildirStore? = nil,
                       flows: LiveFlows, trainerToken: String? = nil, desk: StudyDesk? = nil) -> Router<KenshuRequestContext> {
        router(output: output, broadcaster: broadcaster, mailStore: mailStore, table: flows.table,
               flows: FlowsSwitch(flows: flows), trainerToken: trainerToken, desk: desk)
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
