import NIOConcurrencyHelpers
import NIOCore

/// Where a `GroupCommit` writes its jobs: a job is first staged (written where nobody sees it),
/// then published (made visible), and each step must be durable before the next counts.
///
/// A mail store stages a message as an unnamed file and publishes it by giving it its name, so a
/// name never reaches the disk before the contents it points to.
public protocol GroupCommitStore: Sendable {
    /// One unit of work, e.g. a message to store.
    associatedtype Job: Sendable
    /// What staging left behind for publishing, e.g. an open file descriptor.
    associatedtype Staged

    /// Writes `job` somewhere it is not yet visible.
    func stage(_ job: Job) throws -> Staged
    /// Makes a staged job visible. It consumes `staged` whatever the outcome; when it throws it
    /// leaves nothing behind.
    func publish(_ staged: Staged, of job: Job) throws
    /// Releases a staged job that will not be published.
    func abandon(_ staged: Staged, of job: Job)
    /// Removes a published job that is not known to be durable.
    func unpublish(_ job: Job)
    /// Makes everything staged and published so far durable.
    func sync() throws
}

/// Group commit: jobs that arrive while a commit is running are collected and committed together
/// by the next one, so one expensive sync serves many callers instead of each paying for its own.
///
/// Each job needs two syncs, one after it is staged and one after it is published. Commits
/// overlap so that one sync does both jobs: a round publishes the jobs the previous round's sync
/// made durable, stages the jobs that arrived meanwhile, and syncs once. A job is reported done
/// after the sync that followed its publishing, so its completion means it is visible and durable;
/// under load a store pays one sync per round whatever the number of jobs.
///
/// The caller that finds no commit running starts one through `execute` (for the store: a
/// thread-pool thread, which may block), and it runs rounds until nothing is queued or in flight.
/// The queue is taken at the start of a round (at most `maximumBatchSize` jobs), so a job
/// submitted during a round is staged in a later one and never covered by a sync that began
/// before it was written. Nobody blocks to wait: completions are called on the committing thread.
/// A failed sync fails every job it was to cover (the kernel may report a write-back error only
/// once, so a later sync cannot vouch for them).
public final class GroupCommit<Store: GroupCommitStore>: Sendable {
    /// Receives the outcome of a job: success once it is published and durable.
    public typealias Completion = @Sendable (Result<Void, any Error>) -> Void

    private struct Pending: Sendable {
        var job: Store.Job
        var completion: Completion
    }

    private struct State: Sendable {
        var queue: [Pending] = []
        var isCommitting = false
    }

    /// The most jobs one round stages; the rest wait for the next. It bounds what the store holds
    /// open at once (at most twice this many staged jobs).
    public let maximumBatchSize: Int
    private let store: Store
    private let execute: @Sendable (@escaping @Sendable () -> Void) -> Void
    private let state = NIOLockedValueBox(State())

    /// Creates a group commit into `store`, whose rounds are started through `execute`.
    ///
    /// `execute` must eventually run the closure it is given, on any thread, possibly inline.
    public init(
        store: Store,
        maximumBatchSize: Int = 64,
        execute: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void
    ) {
        self.store = store
        self.maximumBatchSize = max(maximumBatchSize, 1)
        self.execute = execute
    }

    /// Queues `job`; `completion` is called once it is published and durable, or has failed.
    public func submit(_ job: Store.Job, completion: @escaping Completion) {
        let mustStart = self.state.withLockedValue { state in
            state.queue.append(Pending(job: job, completion: completion))
            guard !state.isCommitting else { return false }
            state.isCommitting = true
            return true
        }
        if mustStart {
            self.execute { self.runRounds() }
        }
    }

    /// `submit(_:completion:)` as a future on `eventLoop`.
    public func submit(_ job: Store.Job, on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        self.submit(job) { promise.completeWith($0) }
        return promise.futureResult
    }

    /// Runs rounds until no job is queued or waiting to be published.
    private func runRounds() {
        // Staged jobs whose contents the last sync made durable, waiting to be published.
        var durablyStaged: [(Pending, Store.Staged)] = []
        while true {
            let batch = self.state.withLockedValue { state in
                let count = min(state.queue.count, self.maximumBatchSize)
                let batch = Array(state.queue.prefix(count))
                state.queue.removeFirst(count)
                return batch
            }

            var published: [Pending] = []
            for (pending, staged) in durablyStaged {
                do {
                    try self.store.publish(staged, of: pending.job)
                    published.append(pending)
                } catch {
                    pending.completion(.failure(error))
                }
            }
            var newlyStaged: [(Pending, Store.Staged)] = []
            for pending in batch {
                do {
                    newlyStaged.append((pending, try self.store.stage(pending.job)))
                } catch {
                    pending.completion(.failure(error))
                }
            }

            durablyStaged = []
            if !published.isEmpty || !newlyStaged.isEmpty {
                do {
                    try self.store.sync()
                    for pending in published { pending.completion(.success(())) }
                    durablyStaged = newlyStaged
                } catch {
                    for pending in published {
                        self.store.unpublish(pending.job)
                        pending.completion(.failure(error))
                    }
                    for (pending, staged) in newlyStaged {
                        self.store.abandon(staged, of: pending.job)
                        pending.completion(.failure(error))
                    }
                }
            }

            let isDone = self.state.withLockedValue { state in
                guard state.queue.isEmpty, durablyStaged.isEmpty else { return false }
                state.isCommitting = false
                return true
            }
            if isDone { return }
        }
    }
}
