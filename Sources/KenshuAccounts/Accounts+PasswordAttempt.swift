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

/// What checking a password against an active account came to, before it is phrased as a
/// ``LoginOutcome`` or ``MynaLinkOutcome``.
enum PasswordAttempt<Accepted: Sendable>: Sendable {
    case accepted(Accepted)
    case rejected
    case locked
}

/// The result of an ID（メールアドレス）+ password sign-in.
public enum LoginOutcome: Sendable, Equatable {
    case signedIn(Session)
    /// Unknown email, withdrawn account or wrong password; deliberately never says which.
    case rejected
    /// The attempt that reached the lock threshold, or any attempt on a locked account
    /// (even with the right password).
    case locked
}

/// The result of マイページ属性連携認証 (linking from the Myna Portal side with email + password).
public enum MynaLinkOutcome: Sendable, Equatable {
    case linked(Session)
    case rejected
    /// Wrong passwords here count toward the same lock as the ordinary login.
    case locked
}
