import Foundation
import GRDB

/// Writing a participant's account and resident in the start state, and wiping every trace of
/// a participant, shared by creation, ``resetParticipant(id:)``, removal and
/// ``resetToSeeds(keepingParticipants:)``.
extension Accounts {
    /// Makes the participant's account and resident exactly what creation made them: the
    /// initial password's hash, no counters, lock, login, keys, flows or sessions, and the
    /// start state's withdrawal or link (withdrawal dated back from `now`, the rules' clock).
    ///
    /// The account row is replaced rather than patched, so whatever a later version adds to
    /// `account` starts at its default too; it keeps its position, so lists keep their order.
    func restoreParticipant(_ db: Database, _ participant: Participant, passwordHash: String, now: Date) throws {
        let emailKey = participant.emailKey
        try removeTraces(db, of: participant)
        let position = try Int64.fetchOne(db, sql: "SELECT position FROM account WHERE email_key = ?", arguments: [emailKey])
        try db.execute(sql: "DELETE FROM account WHERE email_key = ?", arguments: [emailKey])

        let state = participant.startState
        let withdrawnAt = state.withdrawnDaysAgo.map { now - TimeInterval($0) * 86_400 }
        let linkedResidentID = state == .linkedWithMynaPortal ? participant.residentID : nil
        let name = participant.name ?? seekerName(participant.seekerID) ?? participant.id
        // A NULL position lets SQLite append the row after every other account.
        try db.execute(
            sql: """
                INSERT INTO account (
                    position, email_key, email, password_hash, seeker_id, name, withdrawn_at,
                    linked_resident_id, linked_generation
                ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                position, emailKey, participant.email, passwordHash, participant.seekerID, name,
                StoredDate.encode(withdrawnAt), linkedResidentID, linkedResidentID == nil ? nil : 1,
            ]
        )
        try db.execute(
            sql: "INSERT INTO resident (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
            arguments: [participant.residentID, name]
        )
        if let linkedResidentID {
            try db.execute(
                sql: "INSERT INTO myna_link (resident_id, email_key) VALUES (?, ?)",
                arguments: [linkedResidentID, emailKey]
            )
        }
    }

    /// Deletes the participant's row, account and resident after their traces.
    func erase(_ db: Database, _ participant: Participant) throws {
        try removeTraces(db, of: participant)
        try db.execute(sql: "DELETE FROM account WHERE email_key = ?", arguments: [participant.emailKey])
        try db.execute(sql: "DELETE FROM resident WHERE id = ?", arguments: [participant.residentID])
        try db.execute(sql: "DELETE FROM participant WHERE id = ?", arguments: [participant.id])
    }

    /// Everything that refers to the participant's account or resident besides those rows:
    /// HelloWork and Myna Portal sessions, 認証キー, pending flows, and both halves of any link
    /// involving either (a fixture account linked to the participant's resident loses that
    /// half too, since the link was made with the participant's resident).
    private func removeTraces(_ db: Database, of participant: Participant) throws {
        let emailKey = participant.emailKey
        try db.execute(sql: "DELETE FROM session WHERE email_key = ?", arguments: [emailKey])
        try db.execute(sql: "DELETE FROM myna_session WHERE resident_id = ?", arguments: [participant.residentID])
        try db.execute(sql: "DELETE FROM verification_key WHERE email_key = ?", arguments: [emailKey])
        try db.execute(sql: "DELETE FROM pending_flow WHERE email_key = ?", arguments: [emailKey])
        try Self.removeLinks(db, residentID: participant.residentID, emailKey: emailKey)
    }

    /// After the rules' tables were emptied and the seeds written again: every participant's
    /// account and resident in the start state. A fixture that now uses a participant's email or
    /// resident id is an error rather than silently overwritten.
    func restoreAllParticipants(_ db: Database) throws {
        let now = try now(db)
        for participant in try Participant.fetchAll(db) {
            if try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM account WHERE email_key = ?)", arguments: [participant.emailKey]
            ) == true {
                throw AccountsError.participantEmailTaken(email: participant.email)
            }
            if try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM resident WHERE id = ?)", arguments: [participant.residentID]
            ) == true {
                throw AccountsError.participantResidentTaken(residentID: participant.residentID)
            }
            try restoreParticipant(
                db, participant, passwordHash: try Self.initialPasswordHash(db, id: participant.id), now: now
            )
        }
    }

    /// The PBKDF2 string made at creation; reusing it spares every reset the slow hashing.
    static func initialPasswordHash(_ db: Database, id: String) throws -> String {
        try String.fetchOne(db, sql: "SELECT initial_password_hash FROM participant WHERE id = ?", arguments: [id]) ?? ""
    }

    /// The name of the fixture account with this seeker id, which a participant without a name
    /// of their own goes by.
    func seekerName(_ seekerID: String) -> String? {
        accountSeeds.first { $0.seekerID == seekerID }?.name
    }
}
