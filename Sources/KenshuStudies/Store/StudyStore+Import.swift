import GRDB

extension StudyStore {
    /// Loads a whole log (``EventArchive``) in one transaction: the participants in their order
    /// with their pseudonyms, then the events with their numbers.
    func importLog(participants: [StudyParticipant], events: [StudyEvent]) throws {
        var checked: [StudyEvent] = []
        for var event in events {
            guard event.seq > 0 else { throw StudyError.invalidEvent("sequence numbers start at 1") }
            event.kind = try event.kind.validated()
            checked.append(event)
        }
        try database.write { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event") == 0 else { throw StudyError.storeNotEmpty }
            for participant in participants {
                try Self.ensureParticipant(db, participant.id, createdAt: participant.createdAt)
            }
            for event in checked {
                guard try Self.event(db, participant: event.participant, seq: event.seq) == nil else {
                    throw StudyError.malformedArchive("\(event.participant) has two events numbered \(event.seq)")
                }
                try Self.ensureParticipant(db, event.participant, createdAt: event.milliseconds)
                try Self.insert(db, event)
            }
        }
    }
}
