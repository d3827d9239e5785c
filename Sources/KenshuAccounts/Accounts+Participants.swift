import Foundation
import GRDB

/// Classroom participants (issue #14): the trainer creates e.g. 20 of them, each with an
/// ordinary account, an own Myna Portal resident and a printed card.
///
/// Participants are created, listed, reset and removed here; their accounts are then used
/// through the very same calls as fixture accounts (``logIn(email:password:)``,
/// ``requestPasswordReset(email:)``, …), so every rule applies to them unchanged.
extension Accounts {
    /// The resident id prefix; `participant:trainee01` cannot clash with a participant id, which
    /// never contains `:`.
    static let participantResidentPrefix = "participant:"

    /// Creates the requested participants: for each, a `participant` row, an account in the
    /// request's start state with the derived initial password, and an own resident.
    ///
    /// The ids are planned, the passwords hashed outside any transaction (PBKDF2 is slow on
    /// purpose), and the plan is checked again before writing: if another request changed the
    /// participants meanwhile, planning starts over.
    ///
    /// - Throws: an ``AccountsError`` naming the bad input (prefix, domain, count, name, days,
    ///   unknown seeker) or the email that already belongs to an account.
    @discardableResult
    public func createParticipants(_ request: ParticipantRequest) throws -> [Participant] {
        let checked = try check(request)
        let hasher = configuration.hasher
        for _ in 0..<3 {
            let plan = try database.write { db in try self.plan(db, checked) }
            let hashes = plan.members.map { hasher.hash(plan.key.initialPassword(for: $0.id)) }
            let created = try database.write { db -> [Participant]? in
                guard try self.plan(db, checked) == plan else { return nil }
                return try self.insert(db, plan: plan, passwordHashes: hashes, request: checked)
            }
            if let created { return created }
        }
        // Still racing another trainer after three rounds: settle it in one transaction, slower
        // for everyone but certain.
        return try database.write { db in
            let plan = try self.plan(db, checked)
            let hashes = plan.members.map { hasher.hash(plan.key.initialPassword(for: $0.id)) }
            return try self.insert(db, plan: plan, passwordHashes: hashes, request: checked)
        }
    }

    /// The participant with this id, or `nil`.
    public func participant(id: String) throws -> Participant? {
        guard Self.isWellFormedParticipantID(id[...]) else { return nil }
        return try database.read { db in try Participant.fetch(db, id: id) }
    }

    /// Every participant in creation order, with where their account stands now.
    public func participants() throws -> [ParticipantSummary] {
        try database.read { db in
            let now = try self.now(db)
            return try Participant.fetchAll(db).compactMap { participant in
                guard let account = try AccountRecord.fetch(db, emailKey: participant.emailKey) else { return nil }
                let pendingKeys = try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM verification_key
                        WHERE email_key = ? AND used_at IS NULL AND replaced = 0 AND expires_at > ?
                        """,
                    arguments: [account.emailKey, StoredDate.encode(now)]
                ) ?? 0
                let mynaHalf = try String.fetchOne(
                    db, sql: "SELECT email_key FROM myna_link WHERE resident_id = ?", arguments: [participant.residentID]
                )
                let helloWorkHalf = account.currentLinkedResidentID
                let link: ParticipantMynaLink =
                    if mynaHalf == nil && helloWorkHalf == nil {
                        .none
                    } else if mynaHalf == account.emailKey && helloWorkHalf == participant.residentID {
                        .linked
                    } else {
                        .mismatched
                    }
                return ParticipantSummary(
                    id: participant.id,
                    email: participant.email,
                    name: participant.name,
                    seekerID: participant.seekerID,
                    startState: participant.startState,
                    isLocked: account.isLocked,
                    failedAttempts: account.failedAttempts,
                    pendingKeys: pendingKeys,
                    withdrawnDaysAgo: account.withdrawnDays(at: now),
                    mynaPortalLink: link,
                    lastLogin: account.lastLogin
                )
            }
        }
    }

    /// Lifts the participant's lock, exactly as ``unlock(email:)`` does for any account.
    public func unlockParticipant(id: String) throws {
        guard let participant = try participant(id: id) else { throw AccountsError.unknownParticipant(id: id) }
        try unlock(email: participant.email)
    }

    /// Puts one participant back to their start state: the initial password again, counters and
    /// lock cleared, their sessions, 認証キー, flows and Myna Portal sessions gone, links as the
    /// start state says. Other participants and fixture accounts are untouched.
    public func resetParticipant(id: String) throws {
        try database.write { db in
            guard Self.isWellFormedParticipantID(id[...]), let participant = try Participant.fetch(db, id: id) else {
                throw AccountsError.unknownParticipant(id: id)
            }
            try self.restoreParticipant(db, participant, passwordHash: try Self.initialPasswordHash(db, id: id), now: try self.now(db))
        }
    }

    /// Deletes the participant and everything of theirs: account, resident, links (both halves,
    /// including a fixture account's half naming their resident), sessions, keys and flows.
    /// When it was the last participant the class key is renewed (see ``removeAllParticipants()``).
    public func removeParticipant(id: String) throws {
        try database.write { db in
            guard Self.isWellFormedParticipantID(id[...]), let participant = try Participant.fetch(db, id: id) else {
                throw AccountsError.unknownParticipant(id: id)
            }
            try self.erase(db, participant)
            try self.renewClassKeyIfClassIsEmpty(db)
        }
    }

    /// Removes every participant (as ``removeParticipant(id:)`` does) and renews the class key, so
    /// cards printed for this class open nothing in the next one even where ids repeat.
    public func removeAllParticipants() throws {
        try database.write { db in
            for participant in try Participant.fetchAll(db) {
                try self.erase(db, participant)
            }
            try self.renewClassKeyIfClassIsEmpty(db)
        }
    }

    /// Ids are what `createParticipants` makes: 1–64 characters of a–z, 0–9, `-`, `_`. Checked
    /// before any query, since secrets and forms bring arbitrary text.
    static func isWellFormedParticipantID(_ id: Substring) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy(isParticipantIDByte)
    }

    static func isParticipantIDByte(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x5F
    }
}
