import NIOConcurrencyHelpers
import NIOCore

import Glibc

/// Group commit for a directory's fsync: one `fsync` of `new/` makes every name created in it
/// (a rename or a link) before that fsync started durable, so concurrent deliveries share one
/// instead of each paying for its own.
///
/// A delivery gives its already fsynced file its name in the directory, then calls
/// `afterNextSync(_:)`. Callers queue up while a sync is running; when it finishes, its callers
/// are released with its result and the queue that built up meanwhile is synced next, as one
/// batch. The queue is taken at the moment a sync starts, so a name created while a sync is
/// already in flight always waits for the following one: that sync may have begun before the
/// name reached the directory and proves nothing about it.
///
/// At most one sync runs at a time. Nobody blocks while waiting: the caller that finds no sync
/// running starts one through `execute` (by default on its own thread, which must be allowed to
/// block, e.g. a thread-pool thread) and keeps syncing batch after batch while more callers
/// arrive. A failed sync fails exactly the callers of its batch (the kernel may drop the error
/// once reported, so a later success cannot vouch for them).
public final class DirectorySyncBatcher: Sendable {
    /// Receives the outcome of the sync that covers the caller's new name.
    public typealias Completion = @Sendable (Result<Void, any Error>) -> Void

    private struct State: Sendable {
        var waiting: [Completion] = []
        var isSyncing = false
    }

    private let sync: @Sendable () throws -> Void
    private let execute: @Sendable (@escaping @Sendable () -> Void) -> Void
    private let state = NIOLockedValueBox(State())

    /// Creates a batcher around any sync function, started through `execute`; the seam for tests.
    ///
    /// `execute` must eventually run the closure it is given; it may run it on any thread,
    /// including inline.
    public init(
        sync: @escaping @Sendable () throws -> Void,
        execute: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void
    ) {
        self.sync = sync
        self.execute = execute
    }

    /// Creates a batcher that fsyncs `directory` on the thread of the caller that starts a sync;
    /// call `afterNextSync` only from threads that may block.
    public convenience init(directory: String) {
        self.init(sync: { try Self.fsyncDirectory(directory) }, execute: { $0() })
    }

    /// Calls `completion` once a directory sync that started after this call has finished.
    ///
    /// Call it after the rename or link has returned.
    public func afterNextSync(_ completion: @escaping Completion) {
        let mustStart = self.state.withLockedValue { state in
            state.waiting.append(completion)
            guard !state.isSyncing else { return false }
            state.isSyncing = true
            return true
        }
        if mustStart {
            self.execute { self.runSyncs() }
        }
    }

    /// `afterNextSync(_:)` as a future on `eventLoop`.
    public func afterNextSync(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        self.afterNextSync { promise.completeWith($0) }
        return promise.futureResult
    }

    /// Syncs batch after batch until nobody is waiting.
    private func runSyncs() {
        while true {
            // Taken as the sync starts: whoever arrives from now on waits for the next one.
            let batch = self.state.withLockedValue { state in
                let batch = state.waiting
                state.waiting = []
                return batch
            }
            let result = Result { try self.sync() }
            for completion in batch { completion(result) }
            let isDone = self.state.withLockedValue { state in
                if state.waiting.isEmpty { state.isSyncing = false }
                return !state.isSyncing
            }
            if isDone { return }
        }
    }

    /// fsync of a directory, so the names created or renamed in it survive a crash.
    static func fsyncDirectory(_ path: String) throws {
        let descriptor = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw MaildirStore.FileError(operation: "open", path: path, errorNumber: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw MaildirStore.FileError(operation: "fsync", path: path, errorNumber: errno) }
    }
}
