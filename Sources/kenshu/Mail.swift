import ArgumentParser
import Foundation
import KenshuMail
import Logging
import NIOPosix
import ServiceLifecycle

/// `kenshu mail`: the SMTP sink alone. Every message is on disk (Maildir) before `250`.
struct Mail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Runs the SMTP mail sink: catches every mail sent to it and stores it as Maildir .eml files.")

    @Option(help: "Address to bind. Keep 127.0.0.1 unless others must reach this machine.")
    var host: String = "127.0.0.1"

    @Option(help: "SMTP port.")
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

    func run() async throws {
        let logger = Logger(label: "kenshu")
        let directory = URL(fileURLWithPath: data).appendingPathComponent("mail").standardizedFileURL.path
        let store = try await MaildirStore.open(directory: directory, configuration: .init(retentionLimit: maxMessages))
        var session = SMTPSession.Configuration()
        session.maximumMessageSize = maxMessageSize
        let server = try await SMTPServer.start(host: host, port: smtpPort, store: store, configuration: session,
                                                group: MultiThreadedEventLoopGroup.singleton)
        logger.info("SMTP sink listening on \(host):\(server.port); \(store.count) messages in \(directory) (Ctrl-C stops)")
        let services = ServiceGroup(configuration: .init(
            services: [SMTPSinkService(server: server)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await services.run()
    }
}

/// Keeps the SMTP listener open until the process is asked to stop.
struct SMTPSinkService: Service {
    let server: SMTPServer

    func run() async throws {
        try? await gracefulShutdown()
        try await server.shutdown()
    }
}
