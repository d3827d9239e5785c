import Foundation
import GRDB

/// The rules engine behind the HelloWork MyPage replica: accounts, sessions, lock counters,
/// 認証キー, re-registration and Myna Portal links, all stored in SQLite so a restart of the
/// training server changes nothing a trainee can see.
///
/// Classroom participants (``createParticipants(_:)``) are ordinary accounts and residents
/// under these same rules; the `participant` table only remembers how to recreate them.
///
/// Every rule reads "now" from the injected clock plus the trainer's persisted offset
/// (``now()``), never from `Date()`. Password hashing runs outside database transactions,
/// because PBKDF2 at the standard cost takes a noticeable fraction of a second and must not
/// hold up other requests.
public final class Accounts: Sendable {
    let database: DatabaseQueue
    let clock: any AccountClock
    let configuration: AccountsConfiguration
    let accountSeeds: [AccountSeed]
    let residentSeeds: [ResidentSeed]
    /// Verified against when the email is unknown, so a miss costs as much time as a hit.
    let decoyHash: String

    private init(
        database: DatabaseQueue,
        accounts: [AccountSeed],
        residents: [ResidentSeed],
        clock: any AccountClock,
        configuration: AccountsConfiguration
    ) throws {
        self.database = database
        self.clock = clock
        self.configuration = configuration
        self.accountSeeds = accounts
        self.residentSeeds = residents
        self.decoyHash = configuration.hasher.decoy()
        try Self.migrator.migrate(database)
        _ = try database.write { db in try self.ensureClassKey(db) }
        try seedIfEmpty()
    }

    /// Opens (creating or migrating with GRDB's `DatabaseMigrator`) the SQLite file at `path`
    /// and seeds it when it holds no accounts yet; an existing file keeps its state.
    public static func open(
        path: String,
        accounts: [AccountSeed],
        residents: [ResidentSeed],
        clock: any AccountClock,
        configuration: AccountsConfiguration = .init()
    ) throws -> Accounts {
        var databaseConfiguration = Configuration()
        databaseConfiguration.busyMode = .timeout(10)
        let database = try DatabaseQueue(path: path, configuration: databaseConfiguration)
        return try Accounts(
            database: database, accounts: accounts, residents: residents, clock: clock, configuration: configuration
        )
    }

    /// A private in-memory database, for tests and throwaway servers.
    public static func inMemory(
        accounts: [AccountSeed],
        residents: [ResidentSeed],
        clock: any AccountClock,
        configuration: AccountsConfiguration = .init()
    ) throws -> Accounts {
        try Accounts(
            database: DatabaseQueue(), accounts: accounts, residents: residents, clock: clock, configuration: configuration
        )
    }

    /// Puts everything back to the seeds: accounts, sessions, keys, flows, links and the
    /// trainer's clock offset (`kenshu serve --reset-state`, the trainer console).
    ///
    /// Classroom participants stay by default, their accounts and residents recreated in their
    /// start state (dated from the reset), so a reset between two exercises does not cost the
    /// class its printed cards. With `keepingParticipants: false` they are removed too and the
    /// class key is renewed.
    public func resetToSeeds(keepingParticipants: Bool = true) throws {
        let hashes = hashSeedPasswords()
        try database.write { db in
            for table in Self.tables {
                try db.execute(sql: "DELETE FROM \(table)")
            }
            try self.insertSeeds(db, passwordHashes: hashes)
            if keepingParticipants {
                try self.restoreAllParticipants(db)
            } else {
                try db.execute(sql: "DELETE FROM participant")
                try self.renewClassKeyIfClassIsEmpty(db)
            }
        }
    }

    /// The rules' "now": the injected clock plus the trainer's offset (persisted, so it
    /// survives a restart).
    public func now() -> Date {
        clock.now() + clockOffset()
    }

    /// How far the trainer has moved time forward (or back) in total.
    public func clockOffset() -> TimeInterval {
        (try? database.read { db in try self.clockOffset(db) }) ?? 0
    }

    /// Moves the rules' clock; lets a trainer show a key expiring without waiting 50 minutes.
    public func advanceClock(by seconds: TimeInterval) throws {
        guard seconds.isFinite else { throw AccountsError.invalidClockAdjustment }
        try database.write { db in
            let offset = try self.clockOffset(db) + seconds
            guard offset.isFinite else { throw AccountsError.invalidClockAdjustment }
            try db.execute(sql: "UPDATE trainer_clock SET offset_seconds = ? WHERE id = 1", arguments: [offset])
        }
    }

    func clockOffset(_ db: Database) throws -> TimeInterval {
        try Double.fetchOne(db, sql: "SELECT offset_seconds FROM trainer_clock WHERE id = 1") ?? 0
    }

    /// "Now" inside a transaction, where ``now()`` cannot re-enter the database queue.
    func now(_ db: Database) throws -> Date {
        clock.now() + (try clockOffset(db))
    }
}
