#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// This machine's address on the local network, for `kenshu serve --lan`: the first IPv4
/// address of an interface that is up, not loopback, preferring the private ranges a
/// classroom's Wi-Fi hands out (10/8, 172.16/12, 192.168/16) over anything else.
public enum LANAddress {
    public struct Candidate: Sendable, Equatable {
        public var interface: String
        public var address: String
    }

    /// Every up, non-loopback IPv4 address, private ranges first, then by interface name.
    public static func candidates() -> [Candidate] {
        var found: [Candidate] = []
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            let flags = Int32(entry.pointee.ifa_flags)
            guard flags & Int32(IFF_UP) != 0, flags & Int32(IFF_LOOPBACK) == 0,
                  let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard getnameinfo(address, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count),
                              nil, 0, NI_NUMERICHOST) == 0 else { continue }
            let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            found.append(Candidate(interface: String(cString: entry.pointee.ifa_name), address: text))
        }
        return found.sorted { (isPrivate($0.address) ? 0 : 1, $0.interface) < (isPrivate($1.address) ? 0 : 1, $1.interface) }
    }

    /// The address to announce, or nil when the machine has no network.
    public static func preferred() -> String? { candidates().first?.address }

    static func isPrivate(_ address: String) -> Bool {
        let parts = address.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 4 else { return false }
        return parts[0] == 10 || (parts[0] == 172 && (16...31).contains(parts[1])) || (parts[0] == 192 && parts[1] == 168)
    }
}
