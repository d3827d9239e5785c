import Foundation
import GRDB
import Testing
@testable import KenshuStudies

/// The event log in SQLite: gapless numbers, idempotent resends, pseudonyms, deletion of
/// everything of a participant, and a file that survives reopening.
struct StudyStoreTests {
    static let t0 = Date(timeIntervalSince1970: 1_746_093_600)

    static func click(_ number: Int, attempt: String? = "P01-login-1", interactive: Bool = true) -> ClientEvent {
        ClientEvent(number: number, time: t0.addingTimeInterval(Double(number)), attempt: attempt,
                    kind: .click(.init(element: "button", x: 10, y: 20, viewportWidth: 390, viewportHeight: 844,
                                       interactive: interactive, page: "/v2/login.html?email=x%40y.jp")))
    }

    @Test func participantsArePseudonymsInOrderAndNeverReused() throws {
        let store = try StudyStore()
        let created = try (1...3).map { _ in try store.createParticipant(at: Self.t0) }
        #expect(created.map(\.id) == ["P01", "P02", "P03"])
        try store.deleteParticipant("P03")
        #expect(try store.createParticipant(at: Self.t0).id == "P04")
        #expect(try store.participants().map(\.id) == ["P01", "P02", "P04"])
        #expect(StudyParticipant.pseudonym(100) == "P100")
    }

    @Test func recordingNumbersEachParticipantsEventsWithoutGaps() throws {
        let store = try StudyStore()
        try store.createParticipant(at: Self.t0)
        try store.createParticipant(at: Self.t0)
        let start = try store.startAttempt(participant: "P01", study: "chapter3", task: "login", at: Self.t0)
        #expect(start.attempt == "P01-login-1" && start.seq == 1)
        try store.record(.pageView(path: "/v2/login.html?email=a%40b.jp"), participant: "P01", attempt: start.attempt, at: Self.t0)
        try store.record(.note(tag: .confusion, text: "迷っている"), participant: "P02", attempt: nil, at: Self.t0)
        try store.record(.loginFailed, participant: "P01", attempt: start.attempt, at: Self.t0)
        #expect(try store.events(participant: "P01").map(\.seq) == [1, 2, 3])
        #expect(try store.events(participant: "P02").map(\.seq) == [1])
        // The query string never reaches the log.
        #expect(try store.events(participant: "P01")[1].kind == .pageView(path: "v2/login.html"))
        #expect(try store.events(attempt: "P01-login-1").count == 3)
        #expect(try store.events(participant: "P01", after: 2).map(\.seq) == [3])
        #expect(try store.gaps(participant: "P01").isEmpty)
        // A second attempt at the same task gets its own id.
        #expect(try store.nextAttemptID(participant: "P01", task: "login") == "P01-login-2")
        #expect(try store.nextAttemptID(participant: "P01", task: "reset") == "P01-reset-1")
        #expect(throws: StudyError.unknownParticipant("P09")) {
            try store.record(.assisted, participant: "P09", attempt: nil, at: Self.t0)
        }
        #expect(throws: StudyError.self) {
            try store.record(.seqAnswer(8), participant: "P01", attempt: nil, at: Self.t0)
        }
    }

    @Test func aResentBatchIsIdempotentAndGapsAreReported() throws {
        let store = try StudyStore()
        try store.createParticipant(at: Self.t0)
        try store.record(.taskStarted(study: "chapter3", task: "login"), participant: "P01", attempt: "P01-login-1", at: Self.t0)

        // The page sent 1, 2 and 4; 3 was lost on the way.
        let first = try store.receive([Self.click(1), Self.click(2), Self.click(4)], participant: "P01", stream: "page-a")
        #expect(first.accepted.map(\.seq) == [2, 3, 4])
        #expect(first.missing == [3])
        #expect(first.acknowledged == 2)
        #expect(first.accepted[0].client == ClientStamp(stream: "page-a", number: 1))
        #expect(first.accepted[0].kind == .click(.init(element: "button", x: 10, y: 20, viewportWidth: 390, viewportHeight: 844,
                                                       interactive: true, page: "v2/login.html")))

        // It resends its whole buffer: only 3 is new.
        let second = try store.receive((1...4).map { Self.click($0) }, participant: "P01", stream: "page-a")
        #expect(second.accepted.map(\.seq) == [5])
        #expect(second.accepted.map(\.client?.number) == [3])
        #expect(second.duplicates == [1, 2, 4])
        #expect(second.missing.isEmpty)
        #expect(second.acknowledged == 4)
        // A second resend changes nothing.
        let third = try store.receive((1...4).map { Self.click($0) }, participant: "P01", stream: "page-a")
        #expect(third.accepted.isEmpty && third.duplicates == [1, 2, 3, 4])
        // Another page's stream numbers from 1 again.
        #expect(try store.receive([Self.click(1)], participant: "P01", stream: "page-b").accepted.map(\.seq) == [6])
        #expect(try store.events(participant: "P01").map(\.seq) == Array(1...6))
        #expect(try store.gaps(participant: "P01").isEmpty)

        // A page may not claim what only the server knows.
        let forged = ClientEvent(number: 5, time: Self.t0, attempt: "P01-login-1", kind: .signedIn(path: "v2/home.html"))
        #expect(throws: StudyError.self) { try store.receive([Self.click(5), forged], participant: "P01", stream: "page-a") }
        #expect(try store.events(participant: "P01").count == 6)
    }

    @Test func appendingNumberedEventsSkipsDuplicatesAndShowsGaps() throws {
        let store = try StudyStore()
        var log = EventLog()
        log.start("login")
        log.view("/v2/login.html")
        log.add(.loginFailed)
        log.add(.gaveUp)
        let events = log.events
        #expect(try store.append([events[0], events[1], events[3]]) == AppendResult(inserted: 3, duplicates: 0, conflicts: []))
        #expect(try store.gaps(participant: "P01") == [3...3])
        var changed = events[1]
        changed.kind = .pageView(path: "v2/home.html")
        let again = try store.append(events + [changed])
        #expect(again.inserted == 1 && again.duplicates == 3 && again.conflicts == [changed])
        #expect(try store.gaps(participant: "P01").isEmpty)
        // As recorded: paths collapsed.
        #expect(try store.events() == events.map { event in
            var event = event
            event.kind = try event.kind.validated()
            return event
        })
        #expect(try store.events()[1].kind == .pageView(path: "v2/login.html"))
        #expect(try store.participants().map(\.id) == ["P01"])
    }

    @Test func deletingAParticipantRemovesAllTheirData() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try StudyStore(dataDirectory: folder.url)
        for _ in 1...2 { try store.createParticipant(at: Self.t0) }
        for participant in ["P01", "P02"] {
            let start = try store.startAttempt(participant: participant, study: "chapter3", task: "login", at: Self.t0)
            try store.record(.note(tag: .quote, text: "\(participant) の発言"), participant: participant, attempt: start.attempt, at: Self.t0)
            try store.record(.susAnswers(Array(repeating: 3, count: 10)), participant: participant, attempt: nil, at: Self.t0)
            _ = try store.receive([Self.click(1, attempt: start.attempt)], participant: participant, stream: "s-\(participant)")
        }
        #expect(try store.deleteParticipant("P01"))
        #expect(try !store.deleteParticipant("P01"))

        // Every table of the file, every text column: nothing of P01 is left.
        let database = try DatabaseQueue(path: folder.url.appendingPathComponent(StudyStore.fileName).path)
        try database.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence'")
            #expect(Set(tables).isSuperset(of: StudyStore.tables))
            for table in tables {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table)") {
                    let text = row.databaseValues.compactMap { String.fromDatabaseValue($0) }.joined(separator: " ")
                    #expect(!text.contains("P01"), "\(table): \(text)")
                }
            }
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event WHERE participant = 'P02'") == 4)
        }
        #expect(try store.events().allSatisfy { $0.participant == "P02" })
        #expect(throws: StudyError.unknownParticipant("P01")) {
            try store.receive([Self.click(2)], participant: "P01", stream: "s-P01")
        }
    }

    @Test func reopeningKeepsTheLogAndItsNumbering() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        do {
            let store = try StudyStore(dataDirectory: folder.url)
            try store.createParticipant(at: Self.t0)
            try store.startAttempt(participant: "P01", study: "chapter3", task: "login", at: Self.t0)
            _ = try store.receive([Self.click(1), Self.click(2)], participant: "P01", stream: "page-a")
        }
        // A restart in the middle of the task.
        let store = try StudyStore(dataDirectory: folder.url)
        #expect(try store.participants().map(\.id) == ["P01"])
        #expect(try store.events(participant: "P01").map(\.seq) == [1, 2, 3])
        let resend = try store.receive([Self.click(2), Self.click(3)], participant: "P01", stream: "page-a")
        #expect(resend.duplicates == [2] && resend.accepted.map(\.seq) == [4])
        try store.record(.taskEnded(by: .participant), participant: "P01", attempt: "P01-login-1", at: Self.t0)
        #expect(try store.events(participant: "P01").map(\.seq) == [1, 2, 3, 4, 5])
        #expect(try store.gaps(participant: "P01").isEmpty)
        #expect(try store.createParticipant(at: Self.t0).id == "P02")
    }
}
