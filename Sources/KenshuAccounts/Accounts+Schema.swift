import Foundation
import GRDB

extension Accounts {
    /// Every table, in the order ``resetToSeeds()`` empties them.
    static let tables = [
        "session", "myna_session", "pending_flow", "verification_key", "myna_link", "resident", "account",
        "trainer_clock",
    ]

    /// The schema. Add a new migration for every change; never edit a shipped one, since the
    /// training server's database file outlives upgrades.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE trainer_clock (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    offset_seconds REAL NOT NULL
                );
                CREATE TABLE account (
                    position INTEGER PRIMARY KEY,
                    email_key TEXT NOT NULL UNIQUE,
                    email TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    seeker_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    last_login REAL,
                    withdrawn_at REAL,
                    failed_attempts INTEGER NOT NULL DEFAULT 0,
                    locked INTEGER NOT NULL DEFAULT 0,
                    generation INTEGER NOT NULL DEFAULT 1,
                    linked_resident_id TEXT,
                    linked_generation INTEGER
                );
                CREATE TABLE resident (
                    position INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL
                );
                CREATE TABLE myna_link (
                    resident_id TEXT PRIMARY KEY,
                    email_key TEXT NOT NULL
                );
                CREATE TABLE session (
                    id TEXT PRIMARY KEY,
                    email_key TEXT NOT NULL,
                    previous_login REAL,
                    signed_in_at REAL NOT NULL
                );
                CREATE TABLE myna_session (
                    id TEXT PRIMARY KEY,
                    resident_id TEXT NOT NULL,
                    signed_in_at REAL NOT NULL
                );
                CREATE TABLE verification_key (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    purpose TEXT NOT NULL,
                    email_key TEXT NOT NULL,
                    digest BLOB NOT NULL,
                    issued_at REAL NOT NULL,
                    expires_at REAL NOT NULL,
                    used_at REAL,
                    replaced INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX verification_key_by_account ON verification_key (email_key, purpose);
                CREATE TABLE pending_flow (
                    id TEXT PRIMARY KEY,
                    purpose TEXT NOT NULL,
                    email TEXT NOT NULL,
                    email_key TEXT,
                    created_at REAL NOT NULL
                );
                """)
        }
        return migrator
    }
}

/// Dates are stored as REAL seconds since the reference date: that is `Date`'s own
/// representation, so a value read back compares equal to the one written (GRDB's default
/// text format keeps only milliseconds).
enum StoredDate {
    static func encode(_ date: Date?) -> Double? {
        date?.timeIntervalSinceReferenceDate
    }

    static func decode(_ value: Double?) -> Date? {
        value.map(Date.init(timeIntervalSinceReferenceDate:))
    }
}
