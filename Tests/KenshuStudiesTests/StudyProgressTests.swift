import Foundation
import KenshuSite
import KenshuStudies
import Testing

/// Where a participant stands, folded from their events: the same from a live log and from the
/// log read back after a restart.
struct StudyProgressTests {
    static let study = Study(id: "s", title: "t", tasks: [
        StudyTask(id: "a", prompt: "A", start: StartState(), startPage: "v2/index.html", layout: .pc, success: .signedOut),
        StudyTask(id: "b", prompt: "B", start: StartState(), startPage: "v2/index.html", layout: .pc, success: .signedOut),
    ], location: SourceLocation(path: "s.yaml"))

    func event(_ seq: Int, _ kind: StudyEvent.Kind, _ attempt: String? = nil) -> StudyEvent {
        StudyEvent(seq: seq, milliseconds: Int64(seq) * 1000, participant: "P01", attempt: attempt, kind: kind)
    }

    @Test func aTaskGoesFromPreparedToRunningToRatingAndBack() {
        var progress = StudyProgress()
        #expect(progress.state == .idle)
        progress.apply(event(1, .taskPrepared(study: "s", task: "a"), "P01-a-1"), studies: [Self.study])
        #expect(progress.state == .prepared && progress.attempt == "P01-a-1" && progress.startedAt == nil)
        progress.apply(event(2, .taskStarted(study: "s", task: "a"), "P01-a-1"), studies: [Self.study])
        #expect(progress.runningAttempt == "P01-a-1" && progress.startedAt == 2000)
        progress.apply(event(3, .pageView(path: "v2/login.html"), "P01-a-1"), studies: [Self.study])
        #expect(progress.page == "v2/login.html")
        let version = progress.version
        // A stale page ending another attempt changes nothing.
        progress.apply(event(4, .taskEnded(by: .participant), "P01-a-0"), studies: [Self.study])
        #expect(progress.state == .running && progress.version == version)
        progress.apply(event(5, .gaveUp, "P01-a-1"), studies: [Self.study])
        #expect(progress.state == .rating && progress.version == version + 1)
        progress.apply(event(6, .seqAnswer(2), "P01-a-1"), studies: [Self.study])
        #expect(progress.state == .idle && progress.attempt == nil && progress.lastSeq == 6)
    }

    @Test func theSUSFollowsTheLastTaskOrTheFacilitatorsRequest() {
        let log = [
            event(1, .taskPrepared(study: "s", task: "a"), "P01-a-1"), event(2, .taskStarted(study: "s", task: "a"), "P01-a-1"),
            event(3, .taskEnded(by: .participant), "P01-a-1"), event(4, .seqAnswer(5), "P01-a-1"),
            event(5, .taskPrepared(study: "s", task: "b"), "P01-b-1"), event(6, .taskStarted(study: "s", task: "b"), "P01-b-1"),
            event(7, .taskEnded(by: .timeLimit), "P01-b-1"), event(8, .seqAnswer(3), "P01-b-1"),
        ]
        #expect(StudyProgress(events: log, studies: [Self.study]).state == .sus)
        #expect(StudyProgress(events: Array(log.prefix(4)), studies: [Self.study]).state == .idle)
        let asked = Array(log.prefix(4)) + [event(5, .susRequested)]
        #expect(StudyProgress(events: asked, studies: [Self.study]).state == .sus)
        #expect(StudyProgress(events: asked + [event(6, .susAnswers(Array(repeating: 3, count: 10)))], studies: [Self.study]).state == .finished)
    }

    @Test func theLogReadBackGivesTheSameProgress() throws {
        let store = try StudyStore()
        let participant = try store.createParticipant(account: "study01")
        #expect(try store.participant(account: "study01")?.id == participant.id)
        #expect(try store.participant(account: "study02") == nil)
        var live = StudyProgress()
        let prepared = try store.prepareAttempt(participant: participant.id, study: "s", task: "a")
        live.apply(prepared, studies: [Self.study])
        #expect(prepared.attempt == "P01-a-1")
        live.apply(try store.record(.taskStarted(study: "s", task: "a"), participant: participant.id, attempt: prepared.attempt),
                   studies: [Self.study])
        live.apply(try store.record(.pageView(path: "/v2/login.html"), participant: participant.id, attempt: prepared.attempt),
                   studies: [Self.study])
        #expect(StudyProgress(events: try store.events(participant: participant.id), studies: [Self.study]) == live)
        // A prepared attempt that never started still takes its number.
        #expect(try store.prepareAttempt(participant: participant.id, study: "s", task: "a").attempt == "P01-a-2")
    }
}
