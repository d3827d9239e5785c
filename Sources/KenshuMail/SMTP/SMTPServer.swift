import NIOCore
import NIOPosix

/// A running SMTP sink: accepts mail on a TCP port and stores it in a `MaildirStore`.
public final class SMTPServer: Sendable {
    /// The port actually bound; useful when started with port 0.
    public let port: Int
    private let channel: any Channel

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    /// Binds the listener and starts accepting connections.
    ///
    /// It binds to loopback by default because the sink accepts mail for any address and must
    /// not become an open relay target on a network.
    public static func start(
        host: String = "127.0.0.1",
        port: Int,
        store: MaildirStore,
        configuration: SMTPSession.Configuration = SMTPSession.Configuration(),
        group: any EventLoopGroup
    ) async throws -> SMTPServer {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // Most mails fit in one read: a 16 KiB first buffer (NIO's default is 2 KiB) saves a
            // couple of read calls per message; the allocator still adapts to larger messages.
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 16 * 1024, maximum: 64 * 1024))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handlers = channel.pipeline.syncOperations
                    try handlers.addHandler(IdleStateHandler(readTimeout: configuration.idleTimeout))
                    try handlers.addHandler(
                        SMTPServerHandler(configuration: configuration) { envelope, data, eventLoop in
                            store.deliver(envelope, data: data, eventLoop: eventLoop)
                        }
                    )
                }
            }
            .bind(host: host, port: port)
            .get()
        return SMTPServer(channel: channel, port: channel.localAddress?.port ?? port)
    }

    /// Stops accepting new connections; connections already open finish on their own.
    public func shutdown() async throws {
        try await self.channel.close()
    }
}
