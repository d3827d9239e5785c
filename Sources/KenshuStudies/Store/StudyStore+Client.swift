import GRDB

extension StudyStore {
    /// Records what a participant's page sent, idempotently: an event whose `(stream, number)`
    /// the store already has is ignored, so a page that lost the server may resend its whole
    /// buffer. New events get the participant's next numbers in the batch's order, in one
    /// transaction (all or nothing).
    ///
    /// Only kinds a page may report (``StudyEvent/Kind/isReportedByBrowser``) are taken: a batch
    /// with another kind, or an invalid event, is refused whole with ``StudyError/invalidEvent(_:)``.
    /// An unknown (or deleted) participant is ``StudyError/unknownParticipant(_:)``: a deleted
    /// participant's page must not bring them back.
    public func receive(_ batch: [ClientEvent], participant: String, stream: String) throws -> ClientReceipt {
        var checked: [ClientEvent] = []
        for var event in batch {
            guard event.kind.isReportedByBrowser else {
                throw StudyError.invalidEvent("a page may not report \(event.kind.name)")
            }
            guard event.number > 0 else { throw StudyError.invalidEvent("stream numbers start at 1") }
            event.kind = try event.kind.validated()
            checked.append(event)
        }
        return try database.write { db in
            try Self.requireParticipant(db, participant)
            var seen = Set(try Int.fetchAll(
                db, sql: "SELECT client_number FROM event WHERE participant = ? AND client_stream = ?",
                arguments: [participant, stream]))
            var receipt = ClientReceipt(accepted: [], duplicates: [], missing: [], acknowledged: 0)
            var seq = try Self.nextSeq(db, participant)
            for event in checked {
                guard !seen.contains(event.number) else {
                    receipt.duplicates.append(event.number)
                    continue
                }
                let stored = StudyEvent(seq: seq, milliseconds: event.milliseconds, participant: participant,
                                        attempt: event.attempt, kind: event.kind,
                                        client: ClientStamp(stream: stream, number: event.number))
                try Self.insert(db, stored)
                receipt.accepted.append(stored)
                seen.insert(event.number)
                seq += 1
            }
            let numbers = seen.sorted()
            receipt.missing = Self.gaps(in: numbers, from: 1).flatMap { Array($0) }
            receipt.acknowledged = (receipt.missing.first ?? (numbers.last ?? 0) + 1) - 1
            return receipt
        }
    }

    /// Writes events that already carry their numbers (an import, a copy of another store).
    /// The participant is created when missing (an archive of an older version lists none). An
    /// event whose `(participant, seq)` is taken by the same event is a duplicate and skipped; by
    /// a different one, a conflict, also skipped and returned, since silently replacing a
    /// recorded event would rewrite what happened.
    public func append(_ events: [StudyEvent]) throws -> AppendResult {
        var checked: [StudyEvent] = []
        for var event in events {
            guard event.seq > 0 else { throw StudyError.invalidEvent("sequence numbers start at 1") }
            event.kind = try event.kind.validated()
            checked.append(event)
        }
        return try database.write { db in
            var result = AppendResult(inserted: 0, duplicates: 0, conflicts: [])
            for event in checked {
                if let existing = try Self.event(db, participant: event.participant, seq: event.seq) {
                    if existing == event { result.duplicates += 1 } else { result.conflicts.append(event) }
                    continue
                }
                try Self.ensureParticipant(db, event.participant, createdAt: event.milliseconds)
                try Self.insert(db, event)
                result.inserted += 1
            }
            return result
        }
    }

    /// A participant of an imported log, keeping their pseudonym (and its number when it has one).
    static func ensureParticipant(_ db: Database, _ id: String, createdAt: Int64) throws {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM participant WHERE id = ?)", arguments: [id]) != true else { return }
        var position = StudyParticipant.number(of: id)
        if let taken = position,
           try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM participant WHERE position = ?)", arguments: [taken]) == true {
            position = nil
        }
        try db.execute(sql: "INSERT INTO participant (position, id, created_at) VALUES (?, ?, ?)",
                       arguments: [position, id, createdAt])
    }
}

/// What ``StudyStore/append(_:)`` did.
public struct AppendResult: Sendable, Hashable {
    public var inserted: Int
    /// Events the store already had, identical: skipped.
    public var duplicates: Int
    /// Events whose number the store had for a different event: skipped.
    public var conflicts: [StudyEvent]
}
