import Foundation
import KenshuStudies
import Testing

/// Many writers, few transactions: every event committed once, numbered without a gap.
struct StudyGroupCommitTests {
    @Test func concurrentWritersShareCommitsAndKeepTheirOrder() async throws {
        let store = try StudyStore()
        let participant = try store.createParticipant().id
        let writer = GroupCommit<StudyStore.Pending, StudyEvent>()
        let batches = BatchCounter()
        try await withThrowingTaskGroup(of: StudyEvent.self) { group in
            for index in 0..<400 {
                group.addTask {
                    try await Task.detached {
                        try writer.write(StudyStore.Pending(.pageView(path: "/v2/p\(index).html"), participant: participant,
                                                            attempt: nil, at: Date())) { batch in
                            batches.add(batch.count)
                            return try store.record(batch)
                        }
                    }.value
                }
            }
            var seen = Set<Int>()
            for try await event in group { seen.insert(event.seq) }
            #expect(seen == Set(1...400))
        }
        #expect(try store.gaps(participant: participant).isEmpty)
        #expect(try store.events(participant: participant).count == 400)
        #expect(batches.total == 400 && batches.calls <= 400)
    }

    @Test func aBadEventFailsAloneInItsBatch() throws {
        let store = try StudyStore()
        let participant = try store.createParticipant().id
        let results = try store.record([
            StudyStore.Pending(.pageView(path: "/a.html"), participant: participant, attempt: nil, at: Date()),
            StudyStore.Pending(.seqAnswer(9), participant: participant, attempt: nil, at: Date()),
            StudyStore.Pending(.pageView(path: "/b.html"), participant: "P99", attempt: nil, at: Date()),
            StudyStore.Pending(.pageView(path: "/c.html"), participant: participant, attempt: nil, at: Date()),
        ])
        #expect(results.map { (try? $0.get())?.seq } == [1, nil, nil, 2])
        #expect(try store.events(participant: participant).map(\.seq) == [1, 2])
    }
}

final class BatchCounter: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var total = 0
    private(set) var calls = 0
    func add(_ count: Int) { lock.lock(); total += count; calls += 1; lock.unlock() }
}
