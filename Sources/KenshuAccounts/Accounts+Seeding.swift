import Foundation
import GRDB

extension Accounts {
    /// Seeds a database that has no accounts yet; a database with state is left as it is.
    /// Participants are accounts too, so a database with only participants is not reseeded; one
    /// whose accounts were all deleted behind our back gets its participants' accounts back.
    func seedIfEmpty() throws {
        let isEmpty = try database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account") == 0
        }
        guard isEmpty else { return }
        let hashes = hashSeedPasswords()
        try database.write { db in
            // Another process may have seeded the file while we were hashing.
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account") == 0 else { return }
            for table in Self.tables {
                try db.execute(sql: "DELETE FROM \(table)")
            }
            try self.insertSeeds(db, passwordHashes: hashes)
            try self.restoreAllParticipants(db)
        }
    }

    /// Hashed before the write transaction opens, so the slow part blocks no one.
    func hashSeedPasswords() -> [String] {
        accountSeeds.map { configuration.hasher.hash($0.password) }
    }

    /// Writes the seeds into empty tables, with the trainer's offset back at zero; withdrawal
    /// dates are counted back from the clock's "now".
    func insertSeeds(_ db: Database, passwordHashes: [String]) throws {
        try db.execute(sql: "INSERT INTO trainer_clock (id, offset_seconds) VALUES (1, 0)")
        let now = clock.now()
        for (position, (seed, hash)) in zip(accountSeeds, passwordHashes).enumerated() {
            guard let emailKey = EmailKey.normalized(seed.email) else {
                throw AccountsError.invalidSeed(email: seed.email)
            }
            let withdrawnAt = seed.withdrawnDaysAgo.map { now - TimeInterval($0) * 86_400 }
            try db.execute(
                sql: """
                    INSERT INTO account (position, email_key, email, password_hash, seeker_id, name, last_login, withdrawn_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    position, emailKey, seed.email, hash, seed.seekerID, seed.name,
                    StoredDate.encode(seed.lastLogin), StoredDate.encode(withdrawnAt),
                ]
            )
        }
        for (position, resident) in residentSeeds.enumerated() {
            try db.execute(
                sql: "INSERT INTO resident (position, id, name) VALUES (?, ?, ?)",
                arguments: [position, resident.id, resident.name]
            )
        }
    }
}
