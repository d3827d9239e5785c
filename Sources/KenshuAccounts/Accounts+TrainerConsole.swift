import Foundation
import GRDB

extension Accounts {
    /// One row per fixture account, in seed order, as the trainer console lists them.
    /// Classroom participants' accounts are not included: they have their own list,
    /// ``participants()``, which says more about each (pending keys, link state) and would
    /// otherwise bury the few fixture accounts under a class of twenty.
    public func summaries() throws -> [AccountSummary] {
        try database.read { db in
            let now = try self.now(db)
            return try AccountRecord.fetchFixtures(db).map { account in
                let state: AccountState =
                    if let days = account.withdrawnDays(at: now) {
                        .withdrawn(daysAgo: days)
                    } else if account.isLocked {
                        .locked
                    } else {
                        .active
                    }
                return AccountSummary(
                    email: account.email,
                    name: account.name,
                    seekerID: account.seekerID,
                    state: state,
                    failedAttempts: account.failedAttempts,
                    linkedResidentID: account.currentLinkedResidentID,
                    lastLogin: account.lastLogin
                )
            }
        }
    }

    /// Lifts a lock and clears the failure counter, as the help desk would.
    public func unlock(email: String) throws {
        guard let emailKey = EmailKey.normalized(email) else { return }
        try database.write { db in
            try db.execute(
                sql: "UPDATE account SET failed_attempts = 0, locked = 0 WHERE email_key = ?", arguments: [emailKey]
            )
        }
    }

    /// 退会: marks the account withdrawn as of now, ends its HelloWork sessions and voids its
    /// unused keys. Links are kept on both sides, which is what makes a later re-registration
    /// show 属性連携不整合確認 until the user links again.
    public func withdraw(email: String) throws {
        guard let emailKey = EmailKey.normalized(email) else { return }
        try database.write { db in
            let now = try self.now(db)
            try db.execute(
                sql: "UPDATE account SET withdrawn_at = ? WHERE email_key = ? AND withdrawn_at IS NULL",
                arguments: [StoredDate.encode(now), emailKey]
            )
            try db.execute(sql: "DELETE FROM session WHERE email_key = ?", arguments: [emailKey])
            // A reset mail sent before the withdrawal must not revive the account's password.
            try db.execute(
                sql: "UPDATE verification_key SET replaced = 1 WHERE email_key = ? AND used_at IS NULL",
                arguments: [emailKey]
            )
        }
    }
}
