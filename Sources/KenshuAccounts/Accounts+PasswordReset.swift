import Foundation
import GRDB

extension Accounts {
    /// パスワード再登録申込: always starts a flow, whether or not the account exists, so the
    /// next screen looks the same either way. A key is issued (replacing earlier unused ones)
    /// only for an existing, non-withdrawn account; a locked account gets one too, since the
    /// reset is how it unlocks.
    public func requestPasswordReset(email: String) throws -> PasswordResetTicket {
        let emailKey = EmailKey.normalized(email)
        let shownEmail = Self.displayEmail(email)
        return try database.write { db in
            let now = try self.now(db)
            var issued: IssuedKey?
            if let emailKey, let account = try AccountRecord.fetch(db, emailKey: emailKey), account.withdrawnAt == nil {
                issued = try self.issueKey(db, purpose: .passwordReset, account: account, now: now)
            }
            let flowID = try self.startFlow(db, purpose: .passwordReset, email: shownEmail, emailKey: emailKey, now: now)
            return PasswordResetTicket(flowID: flowID, email: shownEmail, issuedKey: issued)
        }
    }

    /// The flow behind the web layer's cookie; `issuedKey` is always `nil` here because the
    /// key itself is never stored.
    public func pendingPasswordReset(flowID: String) throws -> PasswordResetTicket? {
        try database.read { db in
            try self.pendingFlow(db, purpose: .passwordReset, flowID: flowID)
                .map { PasswordResetTicket(flowID: flowID, email: $0.email, issuedKey: nil) }
        }
    }

    /// Checks everything and returns ALL failures at once (policy violations, confirmation
    /// mismatch, the key problem) so the screen shows every message together. Empty means done:
    /// the password is changed, the key marked used, the account unlocked and its failure
    /// counter cleared.
    public func completePasswordReset(
        flowID: String,
        key: String,
        newPassword: String,
        confirmation: String
    ) throws -> [PasswordResetFailure] {
        var failures = PasswordPolicy.standard.violations(of: newPassword).map(PasswordResetFailure.policy)
        if !newPassword.utf8.elementsEqual(confirmation.utf8) {
            failures.append(.confirmationMismatch)
        }
        let keyFailure = try database.read { db in
            try self.passwordResetKeyFailure(db, flowID: flowID, key: key).failure
        }
        if let keyFailure { failures.append(keyFailure) }
        guard failures.isEmpty else { return failures }

        // Hash outside the transaction, then re-check the key inside it: another tab may have
        // used the key in between.
        let newHash = configuration.hasher.hash(newPassword)
        return try database.write { db in
            let (failure, accepted) = try self.passwordResetKeyFailure(db, flowID: flowID, key: key)
            guard let accepted else { return failure.map { [$0] } ?? [.keyMismatch] }
            try self.markKeyUsed(db, keyRowID: accepted.keyRowID, now: try self.now(db))
            try db.execute(
                sql: "UPDATE account SET password_hash = ?, failed_attempts = 0, locked = 0 WHERE email_key = ?",
                arguments: [newHash, accepted.emailKey]
            )
            return []
        }
    }

    /// The key's failure for this flow, or the key row and account it unlocks.
    private func passwordResetKeyFailure(
        _ db: Database,
        flowID: String,
        key: String
    ) throws -> (failure: PasswordResetFailure?, accepted: (keyRowID: Int64, emailKey: String)?) {
        guard let flow = try pendingFlow(db, purpose: .passwordReset, flowID: flowID) else {
            return (.noPendingRequest, nil)
        }
        switch try checkKey(db, purpose: .passwordReset, emailKey: flow.emailKey, typed: key, now: try now(db)) {
        case .valid(let keyRowID):
            guard let emailKey = flow.emailKey else { return (.keyMismatch, nil) }
            return (nil, (keyRowID, emailKey))
        case .mismatch: return (.keyMismatch, nil)
        case .expired: return (.keyExpired, nil)
        case .alreadyUsed: return (.keyAlreadyUsed, nil)
        }
    }
}
