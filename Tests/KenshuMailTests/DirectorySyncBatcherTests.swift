import Dispatch
import Foundation
import KenshuMail
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import NIOPosix
import Testing

struct DirectorySyncBatcherTests {
    /// Holds submitted work until the test runs it, so the moment a sync starts is under control.
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

    private struct SyncFailed: Error, Equatable {}

    @Test func callersQueuedBeforeTheSyncStartsShareIt() {
        let syncs = NIOLockedValueBox(0)
        let released = NIOLockedValueBox<[String]>([])
        let executor = ManualExecutor()
        let batcher = DirectorySyncBatcher(sync: { syncs.withLockedValue { $0 += 1 } }, execute: executor.submit)

        for name in ["a", "b", "c"] {
            batcher.afterNextSync { result in
                if case .success = result { released.withLockedValue { $0.append(name) } }
            }
        }
        #expect(executor.count == 1)  // one sync scheduled, not three
        #expect(released.withLockedValue { $0 }.isEmpty)
        executor.runAll()
        #expect(syncs.withLockedValue { $0 } == 1)
        #expect(released.withLockedValue { $0 } == ["a", "b", "c"])

        // Idle again: the next caller starts a new sync.
        batcher.afterNextSync { _ in released.withLockedValue { $0.append("d") } }
        #expect(executor.count == 1)
        executor.runAll()
        #expect(syncs.withLockedValue { $0 } == 2)
        #expect(released.withLockedValue { $0 } == ["a", "b", "c", "d"])
    }

    @Test func aRenameDuringAnInFlightSyncWaitsForTheNextSync() {
        let log = NIOLockedValueBox<[String]>([])
        let batcherBox = NIOLockedValueBox<DirectorySyncBatcher?>(nil)
        let batcher = DirectorySyncBatcher(
            sync: {
                let number = log.withLockedValue { log in
                    let number = log.filter { $0.hasPrefix("sync") }.count + 1
                    log.append("sync \(number)")
                    return number
                }
                if number == 1 {
                    // Another delivery's rename completes while this fsync is in flight.
                    let batcher = batcherBox.withLockedValue { $0 }!
                    batcher.afterNextSync { _ in log.withLockedValue { $0.append("b released") } }
                    log.withLockedValue { $0.append("b renamed") }
                }
            },
            execute: { $0() }
        )
        batcherBox.withLockedValue { $0 = batcher }

        batcher.afterNextSync { _ in log.withLockedValue { $0.append("a released") } }
        #expect(log.withLockedValue { $0 } == ["sync 1", "b renamed", "a released", "sync 2", "b released"])
    }

    @Test func aFailedSyncFailsOnlyItsOwnBatch() {
        let attempts = NIOLockedValueBox(0)
        let outcomes = NIOLockedValueBox<[String: Bool]>([:])
        let executor = ManualExecutor()
        let batcherBox = NIOLockedValueBox<DirectorySyncBatcher?>(nil)
        let batcher = DirectorySyncBatcher(
            sync: {
                let attempt = attempts.withLockedValue { $0 += 1; return $0 }
                if attempt == 1 {
                    batcherBox.withLockedValue { $0 }!.afterNextSync { result in
                        outcomes.withLockedValue { $0["late"] = (try? result.get()) != nil }
                    }
                    throw SyncFailed()
                }
            },
            execute: executor.submit
        )
        batcherBox.withLockedValue { $0 = batcher }
        for name in ["first", "second"] {
            batcher.afterNextSync { result in outcomes.withLockedValue { $0[name] = (try? result.get()) != nil } }
        }
        executor.runAll()
        #expect(attempts.withLockedValue { $0 } == 2)
        #expect(outcomes.withLockedValue { $0 } == ["first": false, "second": false, "late": true])
    }

    @Test func futureCompletesOnlyAfterTheSync() throws {
        let loop = EmbeddedEventLoop()
        let executor = ManualExecutor()
        let batcher = DirectorySyncBatcher(sync: {}, execute: executor.submit)
        let future = batcher.afterNextSync(on: loop)
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
    /// after a directory sync that started after its delivery, and two sessions share one sync.
    @Test func smtpReplyWaitsForTheDirectorySync() throws {
        let syncs = NIOLockedValueBox(0)
        let executor = ManualExecutor()
        let batcher = DirectorySyncBatcher(sync: { syncs.withLockedValue { $0 += 1 } }, execute: executor.submit)
        func session() throws -> EmbeddedChannel {
            let channel = EmbeddedChannel()
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
            try channel.pipeline.syncOperations.addHandler(
                SMTPServerHandler(configuration: .init(hostname: "sink.test")) { _, _, eventLoop in
                    batcher.afterNextSync(on: eventLoop).map { "stored" }
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
        #expect(syncs.withLockedValue { $0 } == 0)
        executor.runAll()
        for channel in [first, second] {
            channel.embeddedEventLoop.run()
            #expect(try written(channel) == "250 2.0.0 Ok: queued as stored\r\n")
            _ = try channel.finish()
        }
        #expect(syncs.withLockedValue { $0 } == 1)
    }

    /// Many threads racing: every caller is released, by a sync that started after it called,
    /// and the syncs are far fewer than the callers.
    @Test func concurrentCallersAreAllReleasedBySyncsThatStartedAfterThem() async throws {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        let clock = NIOLockedValueBox<Int>(0)
        let lastSyncStart = NIOLockedValueBox<Int>(-1)
        let syncs = NIOLockedValueBox(0)
        let violations = NIOLockedValueBox(0)
        let batcher = DirectorySyncBatcher(
            sync: {
                let now = clock.withLockedValue { $0 += 1; return $0 }
                lastSyncStart.withLockedValue { $0 = now }
                syncs.withLockedValue { $0 += 1 }
                usleep(300)
            },
            execute: { work in pool.submit { _ in work() } }
        )
        let callers = 2000
        let group = DispatchGroup()
        for _ in 0..<callers { group.enter() }
        DispatchQueue.concurrentPerform(iterations: callers) { _ in
            let calledAt = clock.withLockedValue { $0 += 1; return $0 }
            batcher.afterNextSync { result in
                // Completions run before the next sync starts, so the last one started is ours.
                if (try? result.get()) == nil || lastSyncStart.withLockedValue({ $0 }) <= calledAt {
                    violations.withLockedValue { $0 += 1 }
                }
                group.leave()
            }
        }
        await withCheckedContinuation { continuation in
            group.notify(queue: .global()) { continuation.resume() }
        }
        #expect(violations.withLockedValue { $0 } == 0)
        #expect(syncs.withLockedValue { $0 } < callers)
        try await pool.shutdownGracefully()
    }
}
