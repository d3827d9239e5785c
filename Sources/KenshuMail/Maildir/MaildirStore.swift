import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

import Glibc

/// A lossless mail store in Maildir layout (`tmp/`, `new/`, `cur/` under one directory).
///
/// A message is complete, durable and named in `new/` before `deliver` returns, so the SMTP 250
/// is only sent once the message survives a crash. Concurrent deliveries are committed together
/// (`GroupCommit` into a `MaildirDeliveryWriter`: under load one file-system sync per round of
/// deliveries rather than two fsyncs per message). Files are plain `.eml` with `Return-Path`, `Delivered-To` and `Received`
/// prepended, readable by any mail tool. Read state is the standard Maildir info flag
/// (`cur/<unique>:2,S`). The index is rebuilt from `new/` and `cur/` on `open`, and a retention
/// limit removes the oldest messages so disk and memory stay bounded. All blocking file IO runs on
/// an `NIOThreadPool`, never on an event loop.
public final class MaildirStore: Sendable {
    /// A change the web inbox can forward as a server-sent event.
    public enum Event: Sendable, Hashable {
        /// A message was delivered.
        case added(String)
        /// Messages were deleted or pruned by retention.
        case deleted([String])
        /// Read state changed.
        case changed
    }

    /// Limits of the store.
    public struct Configuration: Sendable, Hashable {
        /// The most messages kept; delivering beyond it deletes the oldest.
        public var retentionLimit: Int
        /// The most header-block bytes kept in memory per message.
        public var headerBlockLimit: Int
        /// The host name written into `Received:`.
        public var hostname: String

        /// Creates a configuration with defaults suited to a local sink.
        public init(retentionLimit: Int = 5000, headerBlockLimit: Int = 16 * 1024, hostname: String = "localhost") {
            self.retentionLimit = retentionLimit
            self.headerBlockLimit = headerBlockLimit
            self.hostname = hostname
        }
    }

    /// A failed system call, with the path it was working on.
    public struct FileError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The failed system call, e.g. `rename`.
        public var operation: String
        /// The file or directory it operated on.
        public var path: String
        /// The `errno` value.
        public var errorNumber: Int32

        public var description: String {
            "\(self.operation) \(self.path): \(String(cString: strerror(self.errorNumber)))"
        }
    }

    private struct State: Sendable {
        var index = Index()
        var deliveryCounter: UInt64 = 0
        var nextSubscriberID = 0
        var subscribers: [Int: AsyncStream<Event>.Continuation] = [:]
    }

    /// The Maildir root directory.
    public let directory: String
    /// The limits this store enforces.
    public let configuration: Configuration
    private let threadPool: NIOThreadPool
    private let state: NIOLockedValueBox<State>
    /// Serialises every file mutation so renames and deletes never race each other.
    private let fileLock = NIOLock()
    /// Writes deliveries into `new/`; exposed to tests to exercise its `tmp/` path.
    let writer: MaildirDeliveryWriter
    /// Commits concurrent deliveries together.
    private let commits: GroupCommit<MaildirDeliveryWriter>
    /// The process id, part of every unique name.
    private static let processID = getpid()

    private init(directory: String, configuration: Configuration, threadPool: NIOThreadPool, writer: MaildirDeliveryWriter) {
        self.directory = directory
        self.configuration = configuration
        self.threadPool = threadPool
        self.state = NIOLockedValueBox(State())
        self.writer = writer
        self.commits = GroupCommit(
            store: writer,
            // A pool that is shutting down runs the work inline: accepted mail is still stored.
            execute: { work in threadPool.submit { _ in work() } }
        )
    }

    /// Opens (creating if needed) the Maildir at `directory` and rebuilds the index from it.
    ///
    /// Leftovers in `tmp/` are removed: they are deliveries that never reached 250.
    public static func open(
        directory: String,
        configuration: Configuration = Configuration(),
        threadPool: NIOThreadPool = .singleton
    ) async throws -> MaildirStore {
        let store = try await threadPool.runIfActive {
            for subdirectory in ["tmp", "new", "cur"] {
                try FileManager.default.createDirectory(atPath: "\(directory)/\(subdirectory)", withIntermediateDirectories: true)
            }
            let writer = try MaildirDeliveryWriter(directory: directory)
            return MaildirStore(directory: directory, configuration: configuration, threadPool: threadPool, writer: writer)
        }
        try await threadPool.runIfActive {
            try store.fileLock.withLock {
                try store.rebuildIndex()
            }
        }
        return store
    }

    // MARK: - Reading the index

    /// Messages newest first, skipping `start` and returning at most `limit`.
    public func messages(start: Int = 0, limit: Int = 50) -> [Message] {
        self.state.withLockedValue { state in
            let newestFirst = state.index.ordered.reversed()
            return Array(newestFirst.dropFirst(max(start, 0)).prefix(max(limit, 0)))
        }
    }

    /// Messages whose envelope names `recipient` (compared without case), newest first: one
    /// participant's mailbox, and nothing of anyone else's.
    public func messages(addressedTo recipient: String, limit: Int = 50) -> [Message] {
        let wanted = recipient.lowercased()
        return self.state.withLockedValue { state in
            Array(state.index.ordered.reversed().lazy.filter { $0.isAddressed(to: wanted) }.prefix(max(limit, 0)))
        }
    }

    /// The index entry for `id`, if stored.
    public func message(id: String) -> Message? {
        self.state.withLockedValue { $0.index.message(id: id) }
    }

    /// How many messages are stored.
    public var count: Int {
        self.state.withLockedValue { $0.index.count }
    }

    /// How many stored messages lack the seen flag.
    public var unreadCount: Int {
        self.state.withLockedValue { $0.index.unreadCount }
    }

    /// A stream of changes; it ends when the caller stops iterating or `finishEvents()` is called.
    ///
    /// Only the newest 256 events are buffered for a slow reader, so a stalled client cannot
    /// grow memory without bound.
    public func events() -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(256))
        let subscriberID = self.state.withLockedValue { state in
            let subscriberID = state.nextSubscriberID
            state.nextSubscriberID += 1
            state.subscribers[subscriberID] = continuation
            return subscriberID
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLockedValue { _ = $0.subscribers.removeValue(forKey: subscriberID) }
        }
        return stream
    }

    /// Ends every event stream, e.g. at shutdown so server-sent-event responses complete.
    public func finishEvents() {
        let subscribers = self.state.withLockedValue { state in
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for continuation in subscribers { continuation.finish() }
    }

    // MARK: - Changing the store

    /// Stores one message durably and returns its id; see the type documentation for the steps.
    public func deliver(_ envelope: MailEnvelope, data: ByteBuffer) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            self.deliver(envelope, data: data) { continuation.resume(with: $0) }
        }
    }

    /// Stores one message durably, completing on `eventLoop` so a channel handler can reply.
    public func deliver(_ envelope: MailEnvelope, data: ByteBuffer, eventLoop: any EventLoop) -> EventLoopFuture<String> {
        let promise = eventLoop.makePromise(of: String.self)
        self.deliver(envelope, data: data) { promise.completeWith($0) }
        return promise.futureResult
    }

    /// The stored file's bytes, exactly as on disk, or nil when no such message exists.
    public func rawMessage(id: String) async throws -> ByteBuffer? {
        try await self.threadPool.runIfActive {
            try self.fileLock.withLock {
                guard let message = self.message(id: id) else { return nil }
                return try Self.readFile(at: self.path(message.relativePath), limit: Int.max)
            }
        }
    }

    /// Sets or clears the seen flag by renaming into `cur/` with the `:2,S` info suffix.
    public func setRead(_ isRead: Bool, ids: [String]) async throws {
        try await self.threadPool.runIfActive {
            try self.fileLock.withLock {
                for id in ids {
                    guard var message = self.message(id: id), message.isRead != isRead else { continue }
                    let fileName = message.relativePath.split(separator: "/").last.map(String.init) ?? ""
                    let unique = Self.parseFileName(fileName).unique
                    let newPath = "cur/\(unique):2,\(isRead ? "S" : "")"
                    try Self.rename(self.path(message.relativePath), to: self.path(newPath))
                    message.relativePath = newPath
                    message.isRead = isRead
                    self.state.withLockedValue { $0.index.replace(message) }
                }
                try Self.fsyncDirectory(self.path("cur"))
            }
        }
        self.publish(.changed)
    }

    /// Deletes the given messages; unknown ids are ignored.
    public func delete(ids: [String]) async throws {
        let removed = try await self.threadPool.runIfActive {
            try self.fileLock.withLock {
                let removed = self.state.withLockedValue { $0.index.remove(ids: Set(ids)) }
                try self.unlinkFiles(of: removed)
                return removed.map(\.id)
            }
        }
        if !removed.isEmpty { self.publish(.deleted(removed)) }
    }

    /// Deletes every message.
    public func deleteAll() async throws {
        let ids = self.state.withLockedValue { $0.index.ordered.map(\.id) }
        try await self.delete(ids: ids)
    }

    // MARK: - Delivering

    /// The delivery pipeline: prepare the file and its index entry on the caller's thread (no IO),
    /// commit it with whichever deliveries are waiting, then index it.
    ///
    /// Committing needs no `fileLock`: a message not yet in the index cannot be renamed or deleted
    /// by anyone else. Only pruning is serialised with the other file mutations.
    private func deliver(_ envelope: MailEnvelope, data: ByteBuffer, completion: @escaping @Sendable (Result<String, any Error>) -> Void) {
        let (delivery, message) = self.prepare(envelope, data: data)
        self.commits.submit(delivery) { result in
            switch result {
            case .success:
                self.addToIndex(message, completion: completion)
            case .failure(let error):
                completion(.failure(error))
            }
        }
    }

    /// The file to write (trace headers and the data) under a new unique name, and its index entry.
    private func prepare(_ envelope: MailEnvelope, data: ByteBuffer) -> (MaildirDelivery, Message) {
        let now = Date()
        let counter = self.state.withLockedValue { state in
            state.deliveryCounter += 1
            return state.deliveryCounter
        }
        let since1970 = now.timeIntervalSince1970
        let seconds = Int(since1970)
        let microseconds = Int((since1970 - Double(seconds)) * 1_000_000)
        let unique = "\(seconds).M\(microseconds)P\(Self.processID)Q\(counter).kenshu"

        let traceHeaders = ByteBuffer(string: self.traceHeaders(for: envelope, id: unique, date: now))
        // The header block of the file as `rebuildIndex` reads it (from its first
        // `headerBlockLimit` bytes), without joining the message to the trace headers.
        let limit = self.configuration.headerBlockLimit
        var headerBlock = traceHeaders.getSlice(at: traceHeaders.readerIndex, length: min(traceHeaders.readableBytes, limit)) ?? ByteBuffer()
        let messagePrefix = data.getSlice(at: data.readerIndex, length: max(0, min(data.readableBytes, limit - headerBlock.readableBytes))) ?? ByteBuffer()
        Self.appendHeaderBlock(of: messagePrefix, to: &headerBlock)

        let message = Message(
            id: Self.identifier(forUniqueName: unique[...]),
            receivedAt: Date(timeIntervalSince1970: TimeInterval(seconds) + TimeInterval(microseconds) / 1_000_000),
            size: traceHeaders.readableBytes + data.readableBytes,
            mailFrom: envelope.mailFrom,
            recipients: envelope.recipients,
            isRead: false,
            headerBlock: headerBlock,
            relativePath: "new/\(unique)"
        )
        return (MaildirDelivery(uniqueName: unique, traceHeaders: traceHeaders, message: data), message)
    }

    /// Adds a durably stored message to the index, pruning beyond the retention limit.
    ///
    /// Inserting needs no `fileLock`: nothing else touches a message before it is indexed. Only
    /// when the limit is exceeded does pruning (which unlinks files) hop onto the thread pool.
    private func addToIndex(_ message: Message, completion: @escaping @Sendable (Result<String, any Error>) -> Void) {
        let mustPrune = self.state.withLockedValue { state in
            state.index.insert(message)
            return state.index.count > self.configuration.retentionLimit
        }
        self.publish(.added(message.id))
        guard mustPrune else {
            completion(.success(message.id))
            return
        }
        // Runs inline if the pool is shutting down: the message is stored either way.
        self.threadPool.submit { _ in
            let pruned = self.fileLock.withLock { () -> [Message] in
                let pruned = self.state.withLockedValue { $0.index.prune(toAtMost: self.configuration.retentionLimit) }
                // The message is already stored: a failed prune must not turn its 250 into an error.
                // A file left behind is pruned again at the next start-up.
                try? self.unlinkFiles(of: pruned)
                return pruned
            }
            if !pruned.isEmpty { self.publish(.deleted(pruned.map(\.id))) }
            completion(.success(message.id))
        }
    }

    /// `Return-Path`, one `Delivered-To` per recipient, and a `Received` line (RFC 5321 §4.4).
    private func traceHeaders(for envelope: MailEnvelope, id: String, date: Date) -> String {
        var headers = "Return-Path: <\(envelope.mailFrom)>\r\n"
        for recipient in envelope.recipients {
            headers += "Delivered-To: \(recipient)\r\n"
        }
        let client = envelope.clientName.isEmpty ? "unknown" : envelope.clientName
        let address = envelope.clientAddress.map { " ([\($0)])" } ?? ""
        let forClause = envelope.recipients.count == 1 ? "\r\n\tfor <\(envelope.recipients[0])>" : ""
        headers += "Received: from \(client)\(address)\r\n\tby \(self.configuration.hostname) (Kenshu SMTP sink) with ESMTP id \(id)\(forClause);\r\n\t\(Self.rfc5322Date(date))\r\n"
        return headers
    }

    /// `Tue, 05 Mar 2024 08:03:09 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        InternetDate.format(secondsSince1970: Int(date.timeIntervalSince1970.rounded(.down)), zone: "+0000")
    }

    private func rebuildIndex() throws {
        for leftover in (try? FileManager.default.contentsOfDirectory(atPath: self.path("tmp"))) ?? [] {
            unlink(self.path("tmp/\(leftover)"))
        }
        var index = Index()
        for subdirectory in ["new", "cur"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: self.path(subdirectory)) where !name.hasPrefix(".") {
                let relativePath = "\(subdirectory)/\(name)"
                var status = stat()
                guard stat(self.path(relativePath), &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
                let (unique, isRead) = Self.parseFileName(name)
                let modified = Date(timeIntervalSince1970: TimeInterval(status.st_mtim.tv_sec) + TimeInterval(status.st_mtim.tv_nsec) / 1e9)
                let prefix = try Self.readFile(at: self.path(relativePath), limit: self.configuration.headerBlockLimit)
                let headerBlock = Self.headerBlock(of: prefix)
                let envelope = Self.envelope(fromHeaderBlock: headerBlock)
                index.insert(
                    Message(
                        id: Self.identifier(forUniqueName: unique),
                        receivedAt: Self.receivedDate(fromUniqueName: unique) ?? modified,
                        size: Int(status.st_size),
                        mailFrom: envelope.mailFrom,
                        recipients: envelope.recipients,
                        isRead: isRead && subdirectory == "cur",
                        headerBlock: headerBlock,
                        relativePath: relativePath
                    )
                )
            }
        }
        let pruned = index.prune(toAtMost: self.configuration.retentionLimit)
        try self.unlinkFiles(of: pruned)
        self.state.withLockedValue { $0.index = index }
    }

    private func unlinkFiles(of messages: [Message]) throws {
        for message in messages {
            let path = self.path(message.relativePath)
            if unlink(path) != 0, errno != ENOENT {
                throw FileError(operation: "unlink", path: path, errorNumber: errno)
            }
        }
    }

    private func publish(_ event: Event) {
        let subscribers = self.state.withLockedValue { Array($0.subscribers.values) }
        for continuation in subscribers { continuation.yield(event) }
    }

    private func path(_ relativePath: String) -> String {
        "\(self.directory)/\(relativePath)"
    }

    // MARK: - System calls

    /// fsync of a directory, so the names created or renamed in it survive a crash.
    static func fsyncDirectory(_ path: String) throws {
        let descriptor = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError(operation: "open", path: path, errorNumber: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw FileError(operation: "fsync", path: path, errorNumber: errno) }
    }

    private static func rename(_ source: String, to destination: String) throws {
        guard Glibc.rename(source, destination) == 0 else {
            throw FileError(operation: "rename", path: source, errorNumber: errno)
        }
    }

    private static func readFile(at path: String, limit: Int) throws -> ByteBuffer {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError(operation: "open", path: path, errorNumber: errno) }
        defer { close(descriptor) }
        var result = ByteBuffer()
        let chunkSize = 64 * 1024
        while result.readableBytes < limit {
            let wanted = min(chunkSize, limit - result.readableBytes)
            let count = try result.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { bytes in
                let count = read(descriptor, bytes.baseAddress, wanted)
                if count < 0 { throw FileError(operation: "read", path: path, errorNumber: errno) }
                return count
            }
            if count == 0 { break }
        }
        return result
    }
}
