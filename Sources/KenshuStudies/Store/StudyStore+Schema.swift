import GRDB

extension StudyStore {
    /// Every table the store keeps (``deleteParticipant(_:)`` empties each of a participant's
    /// rows; a test checks them all).
    public static let tables = ["participant", "event"]

    /// The schema. Add a migration for every change; never edit a shipped one, since a data
    /// directory outlives upgrades.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // AUTOINCREMENT: sqlite_sequence remembers the highest number ever given, so a
            // deleted participant's pseudonym is not handed out again.
            try db.execute(sql: """
                CREATE TABLE participant (
                    position INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE event (
                    participant TEXT NOT NULL REFERENCES participant (id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL CHECK (seq > 0),
                    time INTEGER NOT NULL,
                    attempt TEXT,
                    type TEXT NOT NULL,
                    body TEXT NOT NULL,
                    client_stream TEXT,
                    client_number INTEGER,
                    PRIMARY KEY (participant, seq),
                    UNIQUE (participant, client_stream, client_number)
                );
                CREATE INDEX event_by_attempt ON event (attempt);
                """)
        }
        migrator.registerMigration("v2: participant accounts") { db in
            // The classroom account (KenshuAccounts' participant id) a study participant uses:
            // participants are one notion, the study only names which account is whose.
            try db.execute(sql: """
                ALTER TABLE participant ADD COLUMN account TEXT;
                CREATE UNIQUE INDEX participant_by_account ON participant (account) WHERE account IS NOT NULL;
                """)
        }
        return migrator
    }
}
