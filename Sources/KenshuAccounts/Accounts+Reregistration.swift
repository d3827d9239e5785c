import Foundation
import GRDB

extension Accounts {
    /// 再登録: a withdrawn account proves itself with email and password. Within the window
    /// (withdrawn at most `reregistrationWindowDays` whole days ago) it gets a 認証キー;
    /// later it is too late and the screen shows the contact text. Wrong passwords here do not
    /// count toward the lock, which only guards active accounts.
    public func requestReregistration(email: String, password: String) throws -> ReregistrationOutcome {
        let hasher = configuration.hasher
        guard let emailKey = EmailKey.normalized(email),
              let account = try database.read({ db in try AccountRecord.fetch(db, emailKey: emailKey) }),
              account.withdrawnAt != nil
        else {
            _ = hasher.verify(password, against: decoyHash)
            return .rejected
        }
        guard hasher.verify(password, against: account.passwordHash) else { return .rejected }

        let window = configuration.reregistrationWindowDays
        let shownEmail = Self.displayEmail(email)
        return try database.write { db in
            guard let current = try AccountRecord.fetch(db, emailKey: emailKey),
                  current.passwordHash == account.passwordHash
            else { return .rejected }
            let now = try self.now(db)
            guard let days = current.withdrawnDays(at: now) else { return .rejected }
            guard days <= window else { return .tooLate }
            let issued = try self.issueKey(db, purpose: .reregistration, account: current, now: now)
            let flowID = try self.startFlow(db, purpose: .reregistration, email: shownEmail, emailKey: emailKey, now: now)
            return .keyIssued(flowID: flowID, key: issued)
        }
    }

    /// The email of the re-registration flow behind the web layer's cookie.
    public func pendingReregistration(flowID: String) throws -> String? {
        try database.read { db in
            try self.pendingFlow(db, purpose: .reregistration, flowID: flowID)?.email
        }
    }

    /// Checks the 認証キー; on success the account is active again (withdrawal, lock and
    /// counter cleared) and gets a NEW registration generation, so a Myna link made before the
    /// withdrawal is stale and single sign-on shows 属性連携不整合確認.
    public func completeReregistration(flowID: String, key: String) throws -> ReregistrationFailure? {
        try database.write { db in
            guard let flow = try self.pendingFlow(db, purpose: .reregistration, flowID: flowID) else {
                return .noPendingRequest
            }
            let now = try self.now(db)
            switch try self.checkKey(db, purpose: .reregistration, emailKey: flow.emailKey, typed: key, now: now) {
            case .mismatch: return .keyMismatch
            case .expired: return .keyExpired
            case .alreadyUsed: return .keyAlreadyUsed
            case .valid(let keyRowID):
                guard let emailKey = flow.emailKey else { return .keyMismatch }
                try self.markKeyUsed(db, keyRowID: keyRowID, now: now)
                try db.execute(
                    sql: """
                        UPDATE account
                        SET withdrawn_at = NULL, failed_attempts = 0, locked = 0, generation = generation + 1
                        WHERE email_key = ?
                        """,
                    arguments: [emailKey]
                )
                return nil
            }
        }
    }
}

/// The first step of re-registering a withdrawn account (mail + password).
public enum ReregistrationOutcome: Sendable, Equatable {
    /// Withdrawn no more than the window's days ago and the password is right: mail this key.
    case keyIssued(flowID: String, key: IssuedKey)
    /// Withdrawn at least one day longer than the window: show the contact text, no key.
    case tooLate
    /// Unknown email, active account, or wrong password.
    case rejected
}

/// Why the 認証キー step of a re-registration was refused.
public enum ReregistrationFailure: Sendable, Equatable {
    case keyMismatch
    case keyExpired
    case keyAlreadyUsed
    case noPendingRequest
}
