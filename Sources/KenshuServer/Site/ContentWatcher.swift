#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Tells when anything under a folder changes, through Linux's inotify (no polling delay).
/// Every sub-folder is watched, including ones created later. Bursts of events (an editor
/// writing a temporary file, renaming it, touching metadata) arrive as one change.
public final class ContentWatcher: @unchecked Sendable {
    private let root: String
    private let descriptor: Int32
    private var watches: [Int32: String] = [:]

    public init(root: String) throws {
        self.root = root
        #if canImport(Glibc)
        descriptor = inotify_init1(Int32(IN_CLOEXEC))
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        addTree(root)
        #else
        descriptor = -1
        #endif
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Each element is the set of paths (relative to the root) that changed in one burst.
    public func changes() -> AsyncStream<Set<String>> {
        AsyncStream { continuation in
            let thread = Thread { [self] in
                while true {
                    let batch = self.nextBurst()
                    if batch.isEmpty { continue }
                    if case .terminated = continuation.yield(batch) { return }
                }
            }
            thread.name = "kenshu content watcher"
            thread.start()
        }
    }

    #if canImport(Glibc)
    private static let mask: UInt32 = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_DELETE_SELF)

    private func addTree(_ path: String) {
        let watch = inotify_add_watch(descriptor, path, Self.mask)
        if watch >= 0 { watches[watch] = path }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for entry in entries where !entry.hasPrefix(".") {
            var isDirectory: ObjCBool = false
            let child = path + "/" + entry
            if FileManager.default.fileExists(atPath: child, isDirectory: &isDirectory), isDirectory.boolValue {
                addTree(child)
            }
        }
    }

    /// Blocks for the first event, then gathers what follows within 15 ms.
    private func nextBurst() -> Set<String> {
        var changed: Set<String> = []
        var timeout: Int32 = -1
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, timeout)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { return changed }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { return changed }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let (watch, eventMask, length, name) = buffer.withUnsafeBytes { raw -> (Int32, UInt32, Int, String) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let nameStart = offset + MemoryLayout<inotify_event>.size
                    let nameBytes = raw[nameStart..<(nameStart + Int(event.len))].prefix { $0 != 0 }
                    return (event.wd, event.mask, Int(event.len), String(decoding: nameBytes, as: UTF8.self))
                }
                offset += MemoryLayout<inotify_event>.size + length
                guard let directory = watches[watch] else { continue }
                let path = name.isEmpty ? directory : directory + "/" + name
                if eventMask & UInt32(IN_ISDIR) != 0, eventMask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                    addTree(path)
                }
                if name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".swp") { continue }
                changed.insert(path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path)
            }
            timeout = 15
        }
    }
    #else
    private func nextBurst() -> Set<String> { Thread.sleep(forTimeInterval: 3600); return [] }
    #endif
}
