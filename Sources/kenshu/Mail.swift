import ArgumentParser
import Foundation
import Hummingbird
import KenshuMail
import KenshuServer
import Logging
import NIOPosix
import ServiceLifecycle

/// Options of the mail sink, shared by `kenshu mail` and `kenshu serve`.
struct MailSinkOptions: ParsableArguments {
    @Option(help: "SMTP port of the mail sink.")
    var smtpPort: Int = 1025

    @Option(help: "Data directory; mail is stored under DIR/mail (Maildir: tmp/, new/, cur/).")
    var data: String = ".kenshu"

    @Option(help: "Keep at most this many messages; the oldest are pruned.")
    var maxMessages: Int = 5000

    @Option(help: "Largest message accepted, in bytes.")
    var maxMessageSize: Int = 25 * 1024 * 1024

    func validate() throws {
        guard (0...65535).contains(smtpPort) else { throw ValidationError("--smtp-port must be 0…65535") }
        guard maxMessages > 0 else { throw ValidationError("--max-messages must be at least 1") }
    }

    /// Opens the Maildir and starts the SMTP listener.
    func start(host: String, logger: Logger) async throws -> (MaildirStore, SMTPServer) {
        let directory = URL(fileURLWithPath: data).appendingPathComponent("mail").standardizedFileURL.path
        // Blocking file IO: the deliveries' group commit (one round at a time), inbox reads,
        // read flags, deletes and pruning.
        let diskPool = NIOThreadPool(numberOfThreads: 4)
        diskPool.start()
        let store = try await MaildirStore.open(directory: directory, configuration: .init(retentionLimit: maxMessages),
                                                threadPool: diskPool)
        var session = SMTPSession.Configuration()
        session.maximumMessageSize = maxMessageSize
        let server = try await SMTPServer.start(host: host, port: smtpPort, store: store, configuration: session,
                                                group: MultiThreadedEventLoopGroup.singleton)
        logger.info("SMTP sink on \(host):\(server.port); \(store.count) messages in \(directory)")
        // The event loops and the disk pool exist now; threads started later inherit the policy.
        if BatchScheduling.adopt() > 0 {
            logger.debug("SCHED_BATCH refused for some threads; they keep the default policy")
        }
        return (store, server)
    }
}

/// `kenshu mail`: the SMTP sink alone, with its web inbox and Mailpit-compatible API.
/// Every message is on disk (Maildir) before `250`.
struct Mail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Runs the SMTP mail sink with its web inbox (/mail) and Mailpit-compatible API (/api/v1).")

    @Option(help: "Address to bind (SMTP and HTTP). Keep 127.0.0.1 unless others must reach this machine.")
    var host: String = "127.0.0.1"

    @Option(help: "HTTP port of the inbox and the API.")
    var httpPort: Int = 8025

    @OptionGroup var mail: MailSinkOptions

    func run() async throws {
        let logger = Logger(label: "kenshu")
        let (store, server) = try await mail.start(host: host, logger: logger)
        let router = Router(context: KenshuRequestContext.self)
        MailRoutes.add(to: router, store: store)
        BrowserEvents.add(to: router, mailStore: store)
        router.get("/") { _, _ in Response(status: .seeOther, headers: [.location: "/mail"]) }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: httpPort), serverName: "kenshu"),
            onServerRunning: { [host, httpPort] channel in
                // With --http-port 0 the system picks the port: print the one bound.
                let port = channel.localAddress?.port ?? httpPort
                logger.info("inbox at http://\(host):\(port)/mail (Ctrl-C stops)")
            },
            logger: logger)
        let services = ServiceGroup(configuration: .init(
            services: [app, SMTPSinkService(server: server, store: store)],  // stopped in reverse order
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await services.run()
    }
}

/// Keeps the SMTP listener open until the process is asked to stop; then closes it and ends
/// the inbox's event streams so the HTTP server can stop too.
struct SMTPSinkService: Service {
    let server: SMTPServer
    let store: MaildirStore

    func run() async throws {
        try? await gracefulShutdown()
        store.finishEvents()
        try await server.shutdown()
    }
}
