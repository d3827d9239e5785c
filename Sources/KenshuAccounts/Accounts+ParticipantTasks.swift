import Foundation
import GRDB

/// The state a usability-study task starts from (issue #15), for a participant's own account.
public enum ParticipantTaskState: Sendable, Equatable {
    /// The initial password, no failed attempts, not withdrawn, not linked.
    case fresh
    /// As fresh, with this many consecutive wrong passwords already entered (locked when it
    /// reaches the rules' threshold).
    case wrongAttempts(Int)
    /// Withdrawn this many days ago.
    case withdrawn(daysAgo: Int)
    /// Linked with the participant's own Myna Portal resident.
    case linkedWithMynaPortal
}

extension Accounts {
    /// Puts one participant's account into a task's start state in one transaction: exactly
    /// what ``resetParticipant(id:)`` makes of it (every session, 認証キー, flow and link of
    /// theirs gone, the initial password again), but in `state` rather than the state they were
    /// created in, and with a MyPage session already open when `signedIn` (a task that starts on
    /// a MyPage screen). Other participants and fixture accounts are untouched; the participant's
    /// own start state (for the class's 「リセット」) stays as it was.
    ///
    /// - Returns: the new session when `signedIn`, for the participant's browser.
    @discardableResult
    public func prepareParticipant(id: String, state: ParticipantTaskState, signedIn: Bool = false) throws -> Session? {
        if case .wrongAttempts(let count) = state, count < 0 { throw AccountsError.invalidWrongAttempts(count) }
        if case .withdrawn(let days) = state, !(0...3650).contains(days) { throw AccountsError.invalidWithdrawalDays(days) }
        return try database.write { db in
            guard Self.isWellFormedParticipantID(id[...]), var participant = try Participant.fetch(db, id: id) else {
                throw AccountsError.unknownParticipant(id: id)
            }
            participant.startState = switch state {
            case .fresh, .wrongAttempts: .fresh
            case .withdrawn(let days): .withdrawn(daysAgo: days)
            case .linkedWithMynaPortal: .linkedWithMynaPortal
            }
            let now = try self.now(db)
            try self.restoreParticipant(db, participant, passwordHash: try Self.initialPasswordHash(db, id: id), now: now)
            if case .wrongAttempts(let count) = state, count > 0 {
                try db.execute(sql: "UPDATE account SET failed_attempts = ?, locked = ? WHERE email_key = ?",
                               arguments: [count, count >= self.configuration.lockThreshold, participant.emailKey])
            }
            guard signedIn, let account = try AccountRecord.fetch(db, emailKey: participant.emailKey) else { return nil }
            return try self.startSession(db, account: account, now: now)
        }
    }
}
