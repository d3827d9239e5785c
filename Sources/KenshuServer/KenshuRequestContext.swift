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
    public var isLoopback: Bool {
        guard let address = remoteAddress?.ipAddress else { return false }
        return address == "127.0.0.1" || address == "::1" || address.hasPrefix("127.") || address == "::ffff:127.0.0.1"
    }
}
