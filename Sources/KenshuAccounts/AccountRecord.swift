import Foundation
import GRDB

/// One row of the `account` table, decoded once so the rules read like rules.
struct AccountRecord: Sendable {
    var position: Int64
    var emailKey: String
    var email: String
    var passwordHash: String
    var seekerID: String
    var name: String
    var lastLogin: Date?
    var withdrawnAt: Date?
    var failedAttempts: Int
    var isLocked: Bool
    /// Bumped by every re-registration, so a HelloWork-side link made before it is stale.
    var generation: Int
    var linkedResidentID: String?
    var linkedGeneration: Int?

    static let columns = """
        position, email_key, email, password_hash, seeker_id, name, last_login, withdrawn_at,
        failed_attempts, locked, generation, linked_resident_id, linked_generation
        """

    init(row: Row) {
        position = row["position"]
        emailKey = row["email_key"]
        email = row["email"]
        passwordHash = row["password_hash"]
        seekerID = row["seeker_id"]
        name = row["name"]
        lastLogin = StoredDate.decode(row["last_login"])
        withdrawnAt = StoredDate.decode(row["withdrawn_at"])
        failedAttempts = row["failed_attempts"]
        isLocked = row["locked"]
        generation = row["generation"]
        linkedResidentID = row["linked_resident_id"]
        linkedGeneration = row["linked_generation"]
    }

    static func fetch(_ db: Database, emailKey: String) throws -> AccountRecord? {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM account WHERE email_key = ?", arguments: [emailKey])
            .map(AccountRecord.init(row:))
    }

    /// The fixture accounts, in seed order: every account that is not a classroom participant's.
    static func fetchFixtures(_ db: Database) throws -> [AccountRecord] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT \(columns) FROM account
                WHERE email_key NOT IN (SELECT email_key FROM participant)
                ORDER BY position
                """
        ).map(AccountRecord.init(row:))
    }

    /// Whole days since withdrawal, rounded down; `nil` while active.
    func withdrawnDays(at now: Date) -> Int? {
        guard let withdrawnAt else { return nil }
        let days = (now.timeIntervalSince(withdrawnAt) / 86_400).rounded(.down)
        return Int(exactly: days) ?? (days < 0 ? Int.min : Int.max)
    }

    /// The HelloWork half of the Myna link, only when made in the current registration.
    var currentLinkedResidentID: String? {
        linkedGeneration == generation ? linkedResidentID : nil
    }
}
