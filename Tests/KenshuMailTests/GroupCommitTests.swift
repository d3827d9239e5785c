import Dispatch
import Foundation
import KenshuMail
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import NIOPosix
import Testing

struct GroupCommitTests {
    /// Holds submitted work until the test runs it, so the moment a commit starts is under control.
    private final class ManualExecutor: Sendable {
        private let jobs = NIOLockedValueBox<[@Sendable () -> Void]>([])

        var count: Int { self.jobs.withLockedValue { $0.count } }

        func submit(_ job: @escaping @Sendable () -> Void) {
            self.jobs.withLockedValue { $0.append(job) }
        }

        func runAll() {
            while let job = self.jobs.withLockedValue({ $0.isEmpty ? nil : $0.removeFirst() }) { job() }
        }
    }

    private struct Failed: Error, Equatable {}

    /// A store that records every step in one global order and fails the steps it is told to.
    private final class RecordingStore: GroupCommitStore {
        struct State {
            var log: [String] = []
            var failingStages: Set<Int> = []
            var failingPublishes: Set<Int> = []
            var failingSyncs: Set<Int> = []  // by sync number, from 1
            var syncs = 0
            var onSync: (@Sendable (Int) -> Void)?
        }
        let state = NIOLockedValueBox(State())

        var log: [String] { self.state.withLockedValue { $0.log } }
        var syncs: Int { self.state.withLockedValue { $0.syncs } }

        func stage(_ job: Int) throws -> Int {
            try self.state.withLockedValue { state in
                state.log.append("stage \(job)")
                if state.failingStages.contains(job) { throw Failed() }
            }
            return job
        }

        func publish(_ staged: Int, of job: Int) throws {
            try self.state.withLockedValue { state in
                state.log.append("publish \(job)")
                if state.failingPublishes.contains(job) { throw Failed() }
            }
        }

        func abandon(_ staged: Int, of job: Int) {
            self.state.withLockedValue { $0.log.append("abandon \(job)") }
        }

        func unpublish(_ job: Int) {
            self.state.withLockedValue { $0.log.append("unpublish \(job)") }
        }

        func sync() throws {
            let (number, hook, fails) = self.state.withLockedValue { state in
                state.syncs += 1
                state.log.append("sync")
                return (state.syncs, state.onSync, state.failingSyncs.contains(state.syncs))
            }
            hook?(number)
            if fails { throw Failed() }
        }

        /// A completion that logs the outcome of `job`.
        func completion(for job: Int) -> GroupCommit<RecordingStore>.Completion {
            { result in
                self.state.withLockedValue { $0.log.append((try? result.get()) != nil ? "done \(job)" : "failed \(job)") }
            }
        }
    }

    @Test func jobsQueuedBeforeARoundShareItsSyncs() {
        let store = RecordingStore()
        let executor = ManualExecutor()
        let commit = GroupCommit(store: store, execute: executor.submit)
        for job in 1...3 { commit.submit(job, completion: store.completion(for: job)) }
        #expect(executor.count == 1)  // one run scheduled, not three
        #expect(store.log.isEmpty)
        executor.runAll()
        #expect(store.log == [
            "stage 1", "stage 2", "stage 3", "sync",
            "publish 1", "publish 2", "publish 3", "sync",
            "done 1", "done 2", "done 3",
        ])

        // Idle again: the next job starts a new run.
        commit.submit(4, completion: store.completion(for: 4))
        #expect(executor.count == 1)
        executor.runAll()
        #expect(store.log.suffix(5) == ["stage 4", "sync", "publish 4", "sync", "done 4"])
    }

    /// A job arriving during a round is staged by the next one, whose sync also covers the
    /// previous round's publishing: one sync per round.
    @Test func roundsOverlapSoOneSyncServesTwoSteps() {
        let store = RecordingStore()
        let commitBox = NIOLockedValueBox<GroupCommit<RecordingStore>?>(nil)
        store.state.withLockedValue { state in
            state.onSync = { number in
                if number == 1 { commitBox.withLockedValue { $0 }!.submit(2, completion: store.completion(for: 2)) }
            }
        }
        let commit = GroupCommit(store: store, execute: { $0() })
        commitBox.withLockedValue { $0 = commit }
        commit.submit(1, completion: store.completion(for: 1))
        #expect(store.log == [
            "stage 1", "sync",
            "publish 1", "stage 2", "sync", "done 1",
            "publish 2", "sync", "done 2",
        ])
    }

    @Test func aFailedStepFailsOnlyItsJob() {
        let store = RecordingStore()
        store.state.withLockedValue { state in
            state.failingStages = [2]
            state.failingPublishes = [3]
        }
        let executor = ManualExecutor()
        let commit = GroupCommit(store: store, execute: executor.submit)
        for job in 1...4 { commit.submit(job, completion: store.completion(for: job)) }
        executor.runAll()
        #expect(store.log == [
            "stage 1", "stage 2", "failed 2", "stage 3", "stage 4", "sync",
            "publish 1", "publish 3", "failed 3", "publish 4", "sync",
            "done 1", "done 4",
        ])
    }

    /// A sync error fails every job it was to cover, published ones are taken back; the next
    /// round starts clean.
    @Test func aFailedSyncFailsTheJobsItCovers() {
        let store = RecordingStore()
        let commitBox = NIOLockedValueBox<GroupCommit<RecordingStore>?>(nil)
        store.state.withLockedValue { state in
            state.failingSyncs = [2]
            state.onSync = { number in
                if number == 1 { commitBox.withLockedValue { $0 }!.submit(2, completion: store.completion(for: 2)) }
                if number == 2 { commitBox.withLockedValue { $0 }!.submit(3, completion: store.completion(for: 3)) }
            }
        }
        let commit = GroupCommit(store: store, execute: { $0() })
        commitBox.withLockedValue { $0 = commit }
        commit.submit(1, completion: store.completion(for: 1))
        #expect(store.log == [
            "stage 1", "sync",
            "publish 1", "stage 2", "sync", "unpublish 1", "failed 1", "abandon 2", "failed 2",
            "stage 3", "sync", "publish 3", "sync", "done 3",
        ])
    }

    @Test func aRoundStagesAtMostTheMaximumAndTheRestFollow() {
        let store = RecordingStore()
        let executor = ManualExecutor()
        let commit = GroupCommit(store: store, maximumBatchSize: 4, execute: executor.submit)
        for job in 1...10 { commit.submit(job, completion: store.completion(for: job)) }
        #expect(executor.count == 1)
        executor.runAll()
        let rounds = store.log.split(separator: "sync").map { round in round.filter { $0.hasPrefix("stage") }.count }
        // Four rounds (the last only publishes), then the completions after the last sync.
        #expect(rounds == [4, 4, 2, 0, 0])
        #expect(store.log.filter { $0.hasPrefix("done") }.count == 10)
        #expect(store.syncs == 4)
    }

    @Test func futureCompletesOnlyAfterTheCommit() throws {
        let loop = EmbeddedEventLoop()
        let store = RecordingStore()
        let executor = ManualExecutor()
        let commit = GroupCommit(store: store, execute: executor.submit)
        let future = commit.submit(1, on: loop)
        let isDone = NIOLockedValueBox(false)
        future.whenSuccess { isDone.withLockedValue { $0 = true } }
        loop.run()
        #expect(!isDone.withLockedValue { $0 })
        executor.runAll()
        loop.run()
        #expect(isDone.withLockedValue { $0 })
        try future.wait()
    }

    /// Wired into the SMTP handler the way the store uses it: the 250 for a message goes out only
    /// after the commit that covers it, and two sessions share its syncs.
    @Test func smtpReplyWaitsForTheCommit() throws {
        let store = RecordingStore()
        let executor = ManualExecutor()
        let commit = GroupCommit(store: store, execute: executor.submit)
        let sessions = NIOLockedValueBox(0)
        func session() throws -> EmbeddedChannel {
            let channel = EmbeddedChannel()
            try channel.pipeline.syncOperations.addHandler(
                SMTPServerHandler(configuration: .init(hostname: "sink.test")) { [number = sessions.withLockedValue { $0 += 1; return $0 }] _, _, eventLoop in
                    commit.submit(number, on: eventLoop).map { "stored" }
                }
            )
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
            return channel
        }
        func written(_ channel: EmbeddedChannel) throws -> String {
            var text = ""
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
            return text
        }
        let first = try session()
        let second = try session()
        for channel in [first, second] {
            _ = try written(channel)
            try channel.writeInbound(ByteBuffer(string: "HELO c\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\nhello\r\n.\r\n"))
            #expect(!(try written(channel)).contains("queued"))
        }
        #expect(store.syncs == 0)
        executor.runAll()
        for channel in [first, second] {
            channel.embeddedEventLoop.run()
            #expect(try written(channel) == "250 2.0.0 Ok: queued as stored\r\n")
            _ = try channel.finish()
        }
        #expect(store.log == ["stage 1", "stage 2", "sync", "publish 1", "publish 2", "sync"])
    }

    /// Many threads racing: every job is staged, published and reported once, with a sync between
    /// staging and publishing and another before it is reported, and far fewer syncs than jobs.
    @Test func concurrentJobsAreEachSyncedAfterStagingAndAfterPublishing() async throws {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        let store = RecordingStore()
        let commit = GroupCommit(store: store, execute: { work in pool.submit { _ in work() } })
        let jobs = 2000
        let group = DispatchGroup()
        for _ in 0..<jobs { group.enter() }
        DispatchQueue.concurrentPerform(iterations: jobs) { job in
            let log = store.completion(for: job)
            commit.submit(job) { result in
                log(result)
                group.leave()
            }
        }
        await withCheckedContinuation { continuation in
            group.notify(queue: .global()) { continuation.resume() }
        }
        try await pool.shutdownGracefully()

        let log = store.log
        var position: [String: Int] = [:]
        var syncPositions: [Int] = []
        for (index, entry) in log.enumerated() {
            if entry == "sync" { syncPositions.append(index) } else { #expect(position.updateValue(index, forKey: entry) == nil) }
        }
        func syncBetween(_ start: Int, _ end: Int) -> Bool { syncPositions.contains { $0 > start && $0 < end } }
        var violations = 0
        for job in 0..<jobs {
            guard let staged = position["stage \(job)"], let published = position["publish \(job)"], let done = position["done \(job)"],
                syncBetween(staged, published), syncBetween(published, done)
            else {
                violations += 1
                continue
            }
        }
        #expect(violations == 0)
        #expect(store.syncs < jobs)
    }
}
