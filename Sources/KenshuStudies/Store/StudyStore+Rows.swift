import Foundation
import GRDB

/// The statements the store's public methods share, each run inside their transaction.
extension StudyStore {
    static func requireParticipant(_ db: Database, _ id: String) throws {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM participant WHERE id = ?)", arguments: [id]) == true else {
            throw StudyError.unknownParticipant(id)
        }
    }

    static func nextSeq(_ db: Database, _ participant: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM event WHERE participant = ?", arguments: [participant]) ?? 1
    }

    static func nextAttemptID(_ db: Database, participant: String, task: String) throws -> String {
        let bodies = try String.fetchAll(
            db, sql: "SELECT body FROM event WHERE participant = ? AND type IN ('task_started', 'task_prepared')",
            arguments: [participant])
        var attempts: Set<String> = []
        for body in bodies {
            let event = try StudyEvent.decode(jsonLine: body)
            switch event.kind {
            case .taskStarted(_, task), .taskPrepared(_, task): if let attempt = event.attempt { attempts.insert(attempt) }
            default: break
            }
        }
        var number = attempts.count + 1
        while attempts.contains("\(participant)-\(task)-\(number)") { number += 1 }
        return "\(participant)-\(task)-\(number)"
    }

    /// Writes one event; the caller has checked its number is free.
    static func insert(_ db: Database, _ event: StudyEvent) throws {
        try db.execute(
            sql: """
                INSERT INTO event (participant, seq, time, attempt, type, body, client_stream, client_number)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [event.participant, event.seq, event.milliseconds, event.attempt, event.kind.name,
                        try event.jsonLine(), event.client?.stream, event.client?.number])
    }

    /// The stored event with this number, if any.
    static func event(_ db: Database, participant: String, seq: Int) throws -> StudyEvent? {
        try String.fetchOne(db, sql: "SELECT body FROM event WHERE participant = ? AND seq = ?", arguments: [participant, seq])
            .map(StudyEvent.decode(jsonLine:))
    }
}
