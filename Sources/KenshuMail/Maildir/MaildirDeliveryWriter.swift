import CLinuxFileSync
import NIOConcurrencyHelpers
import NIOCore

import Glibc

/// One message ready to be written: its Maildir unique name and the bytes of the file, which are
/// the trace headers the store prepends followed by the message as received (kept apart so a large
/// message is never copied just to prepend a few lines).
struct MaildirDelivery: Sendable {
    var uniqueName: String
    var traceHeaders: ByteBuffer
    var message: ByteBuffer
}

/// Writes messages into a Maildir's `new/` for a `GroupCommit`, so that each is on stable
/// storage, complete and under its final name before its delivery is reported done.
///
/// Staging writes the file without a name (`O_TMPFILE` in `new/`; where unsupported, under its
/// unique name in `tmp/`); publishing gives it its name in `new/` (a link, or the classic rename
/// from `tmp/`); a sync between the two makes the contents durable first. A name therefore never
/// reaches the disk before its contents: after a crash `new/` holds only complete messages, and a
/// file caught between the steps is unnamed (nothing) or in `tmp/` (removed at the next start-up).
///
/// The sync is `syncfs` of the Maildir's file system rather than an fsync of every file and of
/// the directory: the kernel writes the shared inode-table and directory blocks once and flushes
/// the device once, so a round of twenty messages costs about what one does. Since Linux 5.8
/// `syncfs` reports the write-back errors of the whole file system; an error fails the round.
final class MaildirDeliveryWriter: GroupCommitStore {
    /// The Maildir root.
    let directory: String
    /// Whether files are staged without a name; cleared on the first sign that the kernel or
    /// the file system lacks `O_TMPFILE`, and by tests to exercise the `tmp/` path.
    let writesUnnamedFiles = NIOLockedValueBox(true)
    /// The root directory, kept open to name the file system to `syncfs`.
    private let rootDescriptor: Int32

    /// Opens the Maildir root; its `tmp/` and `new/` must exist.
    init(directory: String) throws {
        let descriptor = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw MaildirStore.FileError(operation: "open", path: directory, errorNumber: errno)
        }
        self.directory = directory
        self.rootDescriptor = descriptor
        // Unnamed files are linked in through /proc (see `publish`).
        if access("/proc/self/fd", F_OK) != 0 {
            self.writesUnnamedFiles.withLockedValue { $0 = false }
        }
    }

    deinit {
        close(self.rootDescriptor)
    }

    /// A written file on its way to its name.
    enum StagedFile {
        /// An `O_TMPFILE` file, reachable only through its open descriptor.
        case unnamed(descriptor: Int32)
        /// A file in `tmp/` (closed).
        case temporary(path: String)
    }

    func stage(_ delivery: MaildirDelivery) throws -> StagedFile {
        if self.writesUnnamedFiles.withLockedValue({ $0 }) {
            let newDirectory = self.path("new")
            let descriptor = Glibc.open(newDirectory, Self.temporaryFileFlag | O_WRONLY | O_CLOEXEC, 0o644)
            if descriptor >= 0 {
                do {
                    try Self.writeAll(delivery, to: descriptor, path: newDirectory)
                } catch {
                    close(descriptor)
                    throw error
                }
                return .unnamed(descriptor: descriptor)
            }
            // EISDIR: a kernel without O_TMPFILE; EOPNOTSUPP: a file system without it.
            guard errno == EISDIR || errno == EOPNOTSUPP || errno == EINVAL else {
                throw MaildirStore.FileError(operation: "open", path: newDirectory, errorNumber: errno)
            }
            self.writesUnnamedFiles.withLockedValue { $0 = false }
        }
        let path = self.path("tmp/\(delivery.uniqueName)")
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw MaildirStore.FileError(operation: "open", path: path, errorNumber: errno) }
        defer { close(descriptor) }
        do {
            try Self.writeAll(delivery, to: descriptor, path: path)
        } catch {
            unlink(path)
            throw error
        }
        return .temporary(path: path)
    }

    func publish(_ staged: StagedFile, of delivery: MaildirDelivery) throws {
        let finalPath = self.path("new/\(delivery.uniqueName)")
        switch staged {
        case .unnamed(let descriptor):
            defer { close(descriptor) }
            // Linking an unnamed file by descriptor goes through /proc (AT_EMPTY_PATH needs a capability).
            guard linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", AT_FDCWD, finalPath, AT_SYMLINK_FOLLOW) == 0 else {
                throw MaildirStore.FileError(operation: "link", path: finalPath, errorNumber: errno)
            }
        case .temporary(let path):
            guard rename(path, finalPath) == 0 else {
                let error = MaildirStore.FileError(operation: "rename", path: path, errorNumber: errno)
                unlink(path)
                throw error
            }
        }
    }

    func abandon(_ staged: StagedFile, of delivery: MaildirDelivery) {
        switch staged {
        case .unnamed(let descriptor): close(descriptor)
        case .temporary(let path): unlink(path)
        }
    }

    func unpublish(_ delivery: MaildirDelivery) {
        unlink(self.path("new/\(delivery.uniqueName)"))
    }

    func sync() throws {
        guard syncfs(self.rootDescriptor) == 0 else {
            throw MaildirStore.FileError(operation: "syncfs", path: self.directory, errorNumber: errno)
        }
    }

    private func path(_ relativePath: String) -> String {
        "\(self.directory)/\(relativePath)"
    }

    /// `O_TMPFILE`: `__O_TMPFILE | O_DIRECTORY`, not exported by the Glibc module (asm-generic value).
    private static let temporaryFileFlag: Int32 = 0o20000000 | O_DIRECTORY

    /// Writes the trace headers and the message with `writev`, continuing after partial writes.
    private static func writeAll(_ delivery: MaildirDelivery, to descriptor: Int32, path: String) throws {
        try delivery.traceHeaders.withUnsafeReadableBytes { headers in
            try delivery.message.withUnsafeReadableBytes { message in
                let parts = [headers, message]
                var part = 0
                var offset = 0
                while part < parts.count {
                    if offset == parts[part].count {
                        part += 1
                        offset = 0
                        continue
                    }
                    var vectors = parts[part...].enumerated().map { index, bytes in
                        let skip = index == 0 ? offset : 0
                        return iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress.map { $0 + skip }), iov_len: bytes.count - skip)
                    }
                    let written = writev(descriptor, &vectors, Int32(vectors.count))
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw MaildirStore.FileError(operation: "write", path: path, errorNumber: errno)
                    }
                    // Advance through the parts by the bytes written.
                    var remaining = written
                    while remaining > 0 {
                        let step = min(remaining, parts[part].count - offset)
                        offset += step
                        remaining -= step
                        if offset == parts[part].count, part + 1 < parts.count {
                            part += 1
                            offset = 0
                        }
                    }
                }
            }
        }
    }
}
