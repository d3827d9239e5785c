import Foundation
import GRDB

extension Accounts {
    /// Every table the rules keep, in the order ``resetToSeeds(keepingParticipants:)`` empties
    /// them. `participant` and `setting` are not listed: they describe the class, which a reset
    /// keeps unless asked (see ``Accounts/resetToSeeds(keepingParticipants:)``).
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
        // Classroom participants (issue #14). A participant's account and Myna Portal resident
        // are ordinary rows of `account` and `resident`; this table only remembers how to
        // recreate them, so the rules need no special case. `initial_password_hash` is the same
        // PBKDF2 string the account starts with (never the password), kept so a reset needs no
        // slow hashing. `setting` holds the class key the passwords and secrets derive from.
        migrator.registerMigration("v2-participants") { db in
            try db.execute(sql: """
                CREATE TABLE setting (
                    name TEXT PRIMARY KEY,
                    value BLOB NOT NULL
                );
                CREATE TABLE participant (
                    id TEXT PRIMARY KEY,
                    position INTEGER NOT NULL UNIQUE,
                    email TEXT NOT NULL,
                    email_key TEXT NOT NULL UNIQUE,
                    name TEXT,
                    seeker_id TEXT NOT NULL,
                    resident_id TEXT NOT NULL UNIQUE,
                    start_state TEXT NOT NULL,
                    start_withdrawn_days INTEGER,
                    initial_password_hash TEXT NOT NULL,
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

extension Accounts {
    /// Every row of every table SQLite knows of (read from `sqlite_master`, not from
    /// ``tables``, so a table added later is included without anyone remembering to), as text
    /// with blobs in hex. For tests that prove a removal left nothing behind.
    package func storedRows() throws -> [String: [String]] {
        try database.read { db in
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
            var rows: [String: [String]] = [:]
            for table in tables {
                let escaped = table.replacingOccurrences(of: "\"", with: "\"\"")
                rows[table] = try Row.fetchAll(db, sql: "SELECT * FROM \"\(escaped)\"").map { row in
                    row.columnNames.map { column in
                        let value: DatabaseValue = row[column]
                        let text: String =
                            switch value.storage {
                            case .null: "NULL"
                            case .int64(let number): String(number)
                            case .double(let number): String(number)
                            case .string(let string): "\"\(string)\""
                            case .blob(let data): "x'\(RandomToken.hex(data))'"
                            }
                        return "\(column)=\(text)"
                    }.joined(separator: " ")
                }
            }
            return rows
        }
    }
}
