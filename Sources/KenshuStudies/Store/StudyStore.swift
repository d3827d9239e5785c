import Foundation
import GRDB

/// The event log of every study run with this data directory: participants and their events,
/// in SQLite (`studies.sqlite`), so a restart in the middle of a task loses nothing.
///
/// Each participant's events are numbered 1, 2, 3 … without gaps, assigned here in one
/// transaction with the insert; `(participant, seq)` is unique, so writing an event twice
/// (an import repeated, a page resending what it buffered) changes nothing the second time.
public final class StudyStore: Sendable {
    let database: DatabaseQueue
    /// The SQLite file; nil for a store in memory.
    public let file: URL?

    /// The file's name in a data directory.
    public static let fileName = "studies.sqlite"

    /// Opens (creating when needed) `studies.sqlite` in `dataDirectory`.
    public convenience init(dataDirectory: URL) throws {
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        try self.init(path: dataDirectory.appendingPathComponent(Self.fileName).path)
    }

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        // Write-ahead log, synced at checkpoints: a commit is a write to the log, not an fsync,
        // so a page view costs the server microseconds; what is committed survives the process
        // being killed (only a power cut could take the last moments).
        // secure_delete: a deleted participant's notes are overwritten, not left in free pages.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON") }
        database = try DatabaseQueue(path: path, configuration: configuration)
        file = URL(fileURLWithPath: path)
        try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        try Self.migrator.migrate(database)
    }

    /// A store that lives as long as the object (tests, a report built from an imported file).
    public init() throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        database = try DatabaseQueue(configuration: configuration)
        file = nil
        try Self.migrator.migrate(database)
    }

    // MARK: Participants

    /// A new participant with the next pseudonym. Numbers are never reused, not even after a
    /// deletion, so `P03` in an old note cannot come to mean someone else.
    /// `account` names the classroom account they will use (see ``StudyParticipant/account``).
    @discardableResult
    public func createParticipant(account: String? = nil, at time: Date = Date()) throws -> StudyParticipant {
        try database.write { db in
            let used = try Int.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'participant'") ?? 0
            let number = used + 1
            let participant = StudyParticipant(id: StudyParticipant.pseudonym(number), createdAt: StudyEvent.milliseconds(time),
                                               account: account)
            try db.execute(sql: "INSERT INTO participant (position, id, created_at, account) VALUES (?, ?, ?, ?)",
                           arguments: [number, participant.id, participant.createdAt, account])
            return participant
        }
    }

    /// The participant with this pseudonym, or nil.
    public func participant(id: String) throws -> StudyParticipant? {
        try database.read { db in try Self.participants(db, where: "id = ?", [id]).first }
    }

    /// The participant who uses this classroom account, or nil (a classroom participant who is
    /// in no study).
    public func participant(account: String) throws -> StudyParticipant? {
        try database.read { db in try Self.participants(db, where: "account = ?", [account]).first }
    }

    /// Every participant, in the order they were created.
    public func participants() throws -> [StudyParticipant] {
        try database.read { db in try Self.participants(db) }
    }

    static func participants(_ db: Database, where condition: String = "1", _ arguments: StatementArguments = []) throws -> [StudyParticipant] {
        try Row.fetchAll(db, sql: "SELECT id, created_at, account FROM participant WHERE \(condition) ORDER BY position",
                         arguments: arguments).map {
            StudyParticipant(id: $0["id"], createdAt: $0["created_at"], account: $0["account"])
        }
    }

    /// Removes the participant and every event of theirs (notes, answers, clicks included), and
    /// leaves no copy behind: deleted rows are overwritten (`secure_delete`) and the write-ahead
    /// log, which still holds the pages as they were, is written back and emptied.
    /// False when there was no such participant.
    @discardableResult
    public func deleteParticipant(_ id: String) throws -> Bool {
        let deleted = try database.write { db in
            try db.execute(sql: "DELETE FROM event WHERE participant = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM participant WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
        try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        return deleted
    }

    // MARK: Recording

    /// Records an event the server or the facilitator observed, with the participant's next
    /// number. Paths are collapsed and answers checked first (``StudyEvent/Kind/validated()``).
    @discardableResult
    public func record(_ kind: StudyEvent.Kind, participant: String, attempt: String?, at time: Date = Date()) throws -> StudyEvent {
        let kind = try kind.validated()
        return try database.write { db in
            try Self.requireParticipant(db, participant)
            let event = StudyEvent(seq: try Self.nextSeq(db, participant), time: time, participant: participant,
                                   attempt: attempt, kind: kind)
            try Self.insert(db, event)
            return event
        }
    }

    /// An event to record with ``record(_:)``: what ``record(_:participant:attempt:at:)`` takes.
    public struct Pending: Sendable {
        public var kind: StudyEvent.Kind
        public var participant: String
        public var attempt: String?
        public var time: Date

        public init(_ kind: StudyEvent.Kind, participant: String, attempt: String?, at time: Date) {
            self.kind = kind
            self.participant = participant
            self.attempt = attempt
            self.time = time
        }
    }

    /// Records many events in one transaction, each with its participant's next number, in order:
    /// what many requests observed at once costs one commit (group commit). Each event stands on
    /// its own: an invalid one or an unknown participant fails that event only.
    public func record(_ batch: [Pending]) throws -> [Result<StudyEvent, any Error>] {
        let checked: [Result<Pending, any Error>] = batch.map { pending in
            Result { var pending = pending; pending.kind = try pending.kind.validated(); return pending }
        }
        return try database.write { db in
            var nextSeq: [String: Int] = [:]
            return try checked.map { checked -> Result<StudyEvent, any Error> in
                let pending: Pending
                switch checked {
                case .failure(let error): return .failure(error)
                case .success(let valid): pending = valid
                }
                let seq: Int
                if let known = nextSeq[pending.participant] {
                    seq = known
                } else {
                    do { try Self.requireParticipant(db, pending.participant) } catch { return .failure(error) }
                    seq = try Self.nextSeq(db, pending.participant)
                }
                let event = StudyEvent(seq: seq, time: pending.time, participant: pending.participant, attempt: pending.attempt,
                                       kind: pending.kind)
                try Self.insert(db, event)
                nextSeq[pending.participant] = seq + 1
                return .success(event)
            }
        }
    }

    /// A fresh attempt id for the participant and task: `P01-login-2` for their second attempt
    /// at `login`. The server hands it out when it prepares the task and records it with
    /// `task_started`; asking again before that returns the same id.
    public func nextAttemptID(participant: String, task: String) throws -> String {
        try database.read { db in try Self.nextAttemptID(db, participant: participant, task: task) }
    }

    /// Starts an attempt: records `task_started` under a fresh attempt id.
    @discardableResult
    public func startAttempt(participant: String, study: String, task: String, at time: Date = Date()) throws -> StudyEvent {
        try newAttempt(.taskStarted(study: study, task: task), participant: participant, task: task, at: time)
    }

    /// Prepares an attempt: records `task_prepared` under a fresh attempt id, which the
    /// participant's 「開始」 then starts (``record(_:participant:attempt:at:)`` with `task_started`).
    @discardableResult
    public func prepareAttempt(participant: String, study: String, task: String, at time: Date = Date()) throws -> StudyEvent {
        try newAttempt(.taskPrepared(study: study, task: task), participant: participant, task: task, at: time)
    }

    /// `kind` under the participant's next attempt id for `task`, numbered in the same transaction.
    private func newAttempt(_ kind: StudyEvent.Kind, participant: String, task: String, at time: Date) throws -> StudyEvent {
        let kind = try kind.validated()
        return try database.write { db in
            try Self.requireParticipant(db, participant)
            let attempt = try Self.nextAttemptID(db, participant: participant, task: task)
            let event = StudyEvent(seq: try Self.nextSeq(db, participant), time: time, participant: participant,
                                   attempt: attempt, kind: kind)
            try Self.insert(db, event)
            return event
        }
    }

    // MARK: Reading

    /// Events in order (participants in creation order, each by `seq`); only one participant's,
    /// one attempt's, or those after a number (a live view asking what is new).
    public func events(participant: String? = nil, attempt: String? = nil, after seq: Int = 0) throws -> [StudyEvent] {
        var conditions = ["event.seq > ?"]
        var arguments: StatementArguments = [seq]
        if let participant {
            conditions.append("event.participant = ?")
            _ = arguments.append(contentsOf: [participant])
        }
        if let attempt {
            conditions.append("event.attempt = ?")
            _ = arguments.append(contentsOf: [attempt])
        }
        let sql = """
            SELECT event.body FROM event JOIN participant ON participant.id = event.participant
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY participant.position, event.seq
            """
        let bodies = try database.read { db in try String.fetchAll(db, sql: sql, arguments: arguments) }
        let decoder = JSONDecoder()
        return try bodies.map { try decoder.decode(StudyEvent.self, from: Data($0.utf8)) }
    }

    /// The numbers missing from a participant's sequence, as ranges (none in a healthy log:
    /// only an import of a damaged file can make one).
    public func gaps(participant: String) throws -> [ClosedRange<Int>] {
        let numbers = try database.read { db in
            try Int.fetchAll(db, sql: "SELECT seq FROM event WHERE participant = ? ORDER BY seq", arguments: [participant])
        }
        return Self.gaps(in: numbers, from: 1)
    }

    /// `[1, 2, 5, 7]` from 1 → `[3...4, 6...6]`. `numbers` sorted ascending.
    static func gaps(in numbers: [Int], from first: Int) -> [ClosedRange<Int>] {
        var gaps: [ClosedRange<Int>] = []
        var expected = first
        for number in numbers where number >= expected {
            if number > expected { gaps.append(expected...(number - 1)) }
            expected = number + 1
        }
        return gaps
    }
}
