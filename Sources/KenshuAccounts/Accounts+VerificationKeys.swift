import Crypto
import Foundation
import GRDB

extension Accounts {
    /// Issues a new key for the account, replacing its earlier unused keys of the same purpose:
    /// only the newest mail counts. Only a SHA-256 digest is stored.
    func issueKey(_ db: Database, purpose: KeyPurpose, account: AccountRecord, now: Date) throws -> IssuedKey {
        try db.execute(
            sql: "UPDATE verification_key SET replaced = 1 WHERE email_key = ? AND purpose = ? AND used_at IS NULL",
            arguments: [account.emailKey, purpose.rawValue]
        )
        let issued = IssuedKey(
            email: account.email,
            key: RandomToken.key(),
            issuedAt: now,
            expiresAt: now + configuration.resetKeyLifetime
        )
        try db.execute(
            sql: """
                INSERT INTO verification_key (purpose, email_key, digest, issued_at, expires_at)
                VALUES (?, ?, ?, ?, ?)
                """,
            arguments: [
                purpose.rawValue, account.emailKey, Self.keyDigest(issued.key),
                StoredDate.encode(issued.issuedAt), StoredDate.encode(issued.expiresAt),
            ]
        )
        return issued
    }

    /// Judges a typed key against every key ever issued to the account for this purpose.
    ///
    /// A key that was used says so (the user pressed back and submitted again); a key replaced by
    /// a newer mail, a wrong key, and a flow with no account behind it (`emailKey` nil) all say
    /// "mismatch", so the screen reveals nothing about whether the account exists. The key
    /// expires exactly `resetKeyLifetime` after issue: valid at 49:59, invalid at 50:00.
    func checkKey(_ db: Database, purpose: KeyPurpose, emailKey: String?, typed: String, now: Date) throws -> KeyCheck {
        let digest = Self.keyDigest(Self.normalizedKey(typed))
        guard let emailKey else { return .mismatch }
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT id, digest, expires_at, used_at, replaced FROM verification_key WHERE email_key = ? AND purpose = ?",
            arguments: [emailKey, purpose.rawValue]
        )
        var matching: Row?
        for row in rows {
            let stored: Data = row["digest"]
            // Every row is compared, so the time taken does not point at the matching one.
            if ConstantTime.equals(stored, digest), matching == nil {
                matching = row
            }
        }
        guard let row = matching else { return .mismatch }
        if (row["used_at"] as Double?) != nil { return .alreadyUsed }
        if row["replaced"] as Bool { return .mismatch }
        let expiresAt = StoredDate.decode(row["expires_at"])!
        guard now < expiresAt else { return .expired }
        return .valid(keyRowID: row["id"])
    }

    func markKeyUsed(_ db: Database, keyRowID: Int64, now: Date) throws {
        try db.execute(
            sql: "UPDATE verification_key SET used_at = ? WHERE id = ?",
            arguments: [StoredDate.encode(now), keyRowID]
        )
    }

    /// Users copy keys from a mail: surrounding spaces are dropped and lower case is accepted,
    /// since the alphabet is upper case only. Absurdly long input is cut (it cannot match).
    static func normalizedKey(_ typed: String) -> String {
        let trimmed = typed.utf8.prefix(256).filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        return String(decoding: trimmed.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }, as: UTF8.self)
    }

    static func keyDigest(_ key: String) -> Data {
        Data(SHA256.hash(data: Array(key.utf8)))
    }
}

/// What a 認証キー or a pending flow is for; a password-reset key cannot complete a
/// re-registration and vice versa.
enum KeyPurpose: String, Sendable {
    case passwordReset = "password_reset"
    case reregistration
}

/// The verdict on a 認証キー typed by the user, before it is phrased as a screen's failure.
enum KeyCheck: Sendable, Equatable {
    /// Matches an unused, current key; `keyRowID` is marked used when the flow completes.
    case valid(keyRowID: Int64)
    case mismatch
    case expired
    case alreadyUsed
}
