import Hummingbird
import NIOCore

/// The request context of `kenshu serve` and `kenshu mail`: Hummingbird's basics plus the peer's
/// address, which the trainer console checks (loopback only unless a token is given).
public struct KenshuRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Whether the request comes from this machine.
    public var isLoopback: Bool { Self.isLoopback(remoteAddress?.ipAddress) }

    /// 127.0.0.0/8 and ::1 (also IPv4-mapped); nil (no peer address) is not loopback.
    static func isLoopback(_ address: String?) -> Bool {
        guard let address else { return false }
        return address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }
}
