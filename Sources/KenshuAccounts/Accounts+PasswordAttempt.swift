import Foundation
import GRDB

extension Accounts {
    /// The one place that applies the lock rule, shared by the login and the Myna link so wrong
    /// passwords on either count toward the same lock.
    ///
    /// The password is verified between a read and a write rather than inside one transaction,
    /// because PBKDF2 is slow on purpose. The write then re-reads the account; if the hash
    /// changed meanwhile (a reset finished), the attempt is rejected without counting.
    ///
    /// - Parameter accept: runs inside the write transaction when the password is right, after
    ///   the failure counter has been cleared.
    func attemptPassword<Accepted: Sendable>(
        email: String,
        password: String,
        accept: @escaping @Sendable (Database, AccountRecord, Date) throws -> Accepted
    ) throws -> PasswordAttempt<Accepted> {
        let hasher = configuration.hasher
        guard let emailKey = EmailKey.normalized(email),
              let account = try database.read({ db in try AccountRecord.fetch(db, emailKey: emailKey) }),
              account.withdrawnAt == nil
        else {
            _ = hasher.verify(password, against: decoyHash)
            return .rejected
        }
        if account.isLocked { return .locked }

        let matches = hasher.verify(password, against: account.passwordHash)
        let threshold = configuration.lockThreshold
        return try database.write { db in
            guard let current = try AccountRecord.fetch(db, emailKey: emailKey), current.withdrawnAt == nil,
                  current.passwordHash == account.passwordHash
            else { return .rejected }
            if current.isLocked { return .locked }
            if matches {
                try db.execute(sql: "UPDATE account SET failed_attempts = 0 WHERE email_key = ?", arguments: [emailKey])
                return .accepted(try accept(db, current, try self.now(db)))
            }
            let failures = current.failedAttempts + 1
            let locks = failures >= threshold
            try db.execute(
                sql: "UPDATE account SET failed_attempts = ?, locked = ? WHERE email_key = ?",
                arguments: [failures, locks, emailKey]
            )
            return locks ? .locked : .rejected
        }
    }
}
