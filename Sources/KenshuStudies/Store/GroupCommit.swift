import Foundation

/// Many threads' writes in one transaction, without a thread of its own: the first caller to
/// find no write under way becomes the writer, takes everything queued (its own and what others
/// added meanwhile), commits it with one call of `commit`, and wakes the others, each of whom
/// returns its own result. Under load a commit carries many events; alone, one. Every caller
/// returns only once its event is committed, so nothing acknowledged is lost to a crash.
///
/// `commit` runs for one batch at a time, in the order the batches formed: what it does after
/// writing (folding the events into progress) sees them in `seq` order.
public final class GroupCommit<Entry: Sendable, Output: Sendable>: @unchecked Sendable {
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var queued: [(ticket: Int, entry: Entry)] = []
    private var done: [Int: Result<Output, any Error>] = [:]
    private var writing = false
    private var nextTicket = 0

    public init() {}

    /// Queues `entry` and returns once it is committed. `commit` (the same for every caller: the
    /// one who becomes the writer runs theirs) writes a batch and returns one result per entry, in
    /// order; when it throws, every entry of the batch fails with that error.
    public func write(_ entry: Entry, commit: ([Entry]) throws -> [Result<Output, any Error>]) throws -> Output {
        condition.lock()
        let ticket = nextTicket
        nextTicket += 1
        queued.append((ticket, entry))
        while done[ticket] == nil {
            if writing {
                condition.wait()
                continue
            }
            writing = true
            let batch = queued
            queued.removeAll(keepingCapacity: true)
            condition.unlock()
            var results: [Result<Output, any Error>]
            do {
                results = try commit(batch.map(\.entry))
                if results.count != batch.count { results = batch.map { _ in .failure(GroupCommitError.resultCount) } }
            } catch {
                results = batch.map { _ in .failure(error) }
            }
            condition.lock()
            for (item, result) in zip(batch, results) { done[item.ticket] = result }
            writing = false
            condition.broadcast()
        }
        let result = done.removeValue(forKey: ticket)!
        condition.unlock()
        return try result.get()
    }
}

enum GroupCommitError: Error {
    /// `commit` returned a different number of results than it was given entries.
    case resultCount
}
