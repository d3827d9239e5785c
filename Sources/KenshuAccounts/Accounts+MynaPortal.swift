import Foundation
import GRDB

/// The Myna Portal mock and the two halves of its link with HelloWork.
///
/// The Myna half (`myna_link`: resident → account) is what つながっているウェブサイト lists;
/// the HelloWork half (`account.linked_resident_id`, with the registration generation it was
/// made in) is what HelloWork trusts for sign-in without a password. Single sign-on needs both
/// to agree, which is what lets a trainer demonstrate 属性連携不整合確認.
extension Accounts {
    /// The mock has no card reader: any 4 ASCII digits sign in the (first) seeded resident.
    /// Participants' residents are never chosen here, whatever their position.
    public func mynaLogIn(pin: String) throws -> MynaSession? {
        try mynaLogIn(
            pin: pin,
            residentSQL: """
                SELECT id, name FROM resident
                WHERE id NOT IN (SELECT resident_id FROM participant)
                ORDER BY position LIMIT 1
                """,
            arguments: []
        )
    }

    /// Any 4 ASCII digits sign in this resident: how the server signs a participant's browser
    /// into the participant's own resident (``Participant/residentID``), so one participant's
    /// Myna Portal never shows another's links. `nil` for a bad PIN or an unknown resident.
    public func mynaLogIn(pin: String, residentID: String) throws -> MynaSession? {
        guard Self.isQueryable(residentID) else { return nil }
        return try mynaLogIn(pin: pin, residentSQL: "SELECT id, name FROM resident WHERE id = ?", arguments: [residentID])
    }

    private func mynaLogIn(pin: String, residentSQL: String, arguments: StatementArguments) throws -> MynaSession? {
        guard pin.utf8.count == 4, pin.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return try database.write { db in
            guard let resident = try Row.fetchOne(db, sql: residentSQL, arguments: arguments) else { return nil }
            let session = MynaSession(
                id: RandomToken.identifier(),
                residentID: resident["id"],
                name: resident["name"],
                signedInAt: try self.now(db)
            )
            try db.execute(
                sql: "DELETE FROM myna_session WHERE signed_in_at <= ?",
                arguments: [StoredDate.encode(session.signedInAt - self.configuration.sessionLifetime)]
            )
            try db.execute(
                sql: "INSERT INTO myna_session (id, resident_id, signed_in_at) VALUES (?, ?, ?)",
                arguments: [session.id, session.residentID, StoredDate.encode(session.signedInAt)]
            )
            return session
        }
    }

    /// The Myna Portal session with this id, or `nil` when unknown or older than `sessionLifetime`.
    public func mynaSession(id: String) throws -> MynaSession? {
        guard RandomToken.isWellFormedIdentifier(id) else { return nil }
        let lifetime = configuration.sessionLifetime
        return try database.read { db in
            guard let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT myna_session.resident_id, myna_session.signed_in_at, resident.name
                    FROM myna_session JOIN resident ON resident.id = myna_session.resident_id
                    WHERE myna_session.id = ?
                    """,
                arguments: [id]
            ) else { return nil }
            let signedInAt = StoredDate.decode(row["signed_in_at"])!
            guard try self.now(db).timeIntervalSince(signedInAt) < lifetime else { return nil }
            return MynaSession(id: id, residentID: row["resident_id"], name: row["name"], signedInAt: signedInAt)
        }
    }

    /// Logs out of the Myna Portal only; HelloWork stays signed in (no single logout).
    public func endMynaSession(id: String) throws {
        guard RandomToken.isWellFormedIdentifier(id) else { return }
        try database.write { db in
            try db.execute(sql: "DELETE FROM myna_session WHERE id = ?", arguments: [id])
        }
    }

    /// Whether the resident's Myna Portal side shows HelloWork under つながっているウェブサイト.
    public func isConnected(residentID: String) throws -> Bool {
        guard Self.isQueryable(residentID) else { return false }
        return try database.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM myna_link WHERE resident_id = ?)", arguments: [residentID]
            ) ?? false
        }
    }

    /// マイページ属性連携認証: email and password under the same lock rule as the login. On
    /// success both halves are written (any earlier link of this resident or this account is
    /// replaced, since a link is one-to-one) and the user is signed in to HelloWork.
    public func link(residentID: String, email: String, password: String) throws -> MynaLinkOutcome {
        guard Self.isQueryable(residentID), try residentExists(residentID) else {
            _ = configuration.hasher.verify(password, against: decoyHash)
            return .rejected
        }
        let attempt = try attemptPassword(email: email, password: password, accept: { db, account, now in
            try Self.removeLinks(db, residentID: residentID, emailKey: account.emailKey)
            try db.execute(
                sql: "INSERT INTO myna_link (resident_id, email_key) VALUES (?, ?)",
                arguments: [residentID, account.emailKey]
            )
            try db.execute(
                sql: "UPDATE account SET linked_resident_id = ?, linked_generation = generation WHERE email_key = ?",
                arguments: [residentID, account.emailKey]
            )
            return try self.startSession(db, account: account, now: now)
        })
        switch attempt {
        case .accepted(let session): return .linked(session)
        case .rejected: return .rejected
        case .locked: return .locked
        }
    }

    /// やめる → 同意: removes both halves of the resident's link.
    public func unlink(residentID: String) throws {
        guard Self.isQueryable(residentID) else { return }
        try database.write { db in
            guard let emailKey = try String.fetchOne(
                db, sql: "SELECT email_key FROM myna_link WHERE resident_id = ?", arguments: [residentID]
            ) else {
                try db.execute(
                    sql: "UPDATE account SET linked_resident_id = NULL, linked_generation = NULL WHERE linked_resident_id = ?",
                    arguments: [residentID]
                )
                return
            }
            try Self.removeLinks(db, residentID: residentID, emailKey: emailKey)
        }
    }

    /// Clicking HelloWork under つながっているウェブサイト: signs in without a password only when
    /// the Myna half exists, the account's HelloWork half points back at this resident in the
    /// account's current registration generation, and the account is neither locked nor
    /// withdrawn. Anything else is 属性連携不整合確認.
    public func singleSignOn(residentID: String) throws -> SingleSignOnOutcome {
        guard Self.isQueryable(residentID) else { return .mismatch }
        return try database.write { db in
            guard let emailKey = try String.fetchOne(
                db, sql: "SELECT email_key FROM myna_link WHERE resident_id = ?", arguments: [residentID]
            ), let account = try AccountRecord.fetch(db, emailKey: emailKey),
                account.currentLinkedResidentID == residentID,
                account.withdrawnAt == nil, !account.isLocked
            else { return .mismatch }
            return .signedIn(try self.startSession(db, account: account, now: try self.now(db)))
        }
    }

    /// Trainer: removes only the HelloWork half, so the next single sign-on shows 属性連携不整合確認.
    public func removeHelloWorkLink(email: String) throws {
        guard let emailKey = EmailKey.normalized(email) else { return }
        try database.write { db in
            try db.execute(
                sql: "UPDATE account SET linked_resident_id = NULL, linked_generation = NULL WHERE email_key = ?",
                arguments: [emailKey]
            )
        }
    }

    private func residentExists(_ residentID: String) throws -> Bool {
        try database.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM resident WHERE id = ?)", arguments: [residentID]) ?? false
        }
    }

    /// Both halves involving this resident or this account, so a new link never leaves an old
    /// one half-alive.
    static func removeLinks(_ db: Database, residentID: String, emailKey: String) throws {
        try db.execute(
            sql: "DELETE FROM myna_link WHERE resident_id = ? OR email_key = ?", arguments: [residentID, emailKey]
        )
        try db.execute(
            sql: """
                UPDATE account SET linked_resident_id = NULL, linked_generation = NULL
                WHERE linked_resident_id = ? OR email_key = ?
                """,
            arguments: [residentID, emailKey]
        )
    }

    /// Resident ids come from cookies and forms; GRDB binds text up to the first NUL, so such
    /// input (or megabytes of it) must not reach a query.
    static func isQueryable(_ identifier: String) -> Bool {
        !identifier.isEmpty && identifier.utf8.count <= 256 && !identifier.utf8.contains(0)
    }
}

/// The result of clicking HelloWork under つながっているウェブサイト on the Myna Portal.
public enum SingleSignOnOutcome: Sendable, Equatable {
    case signedIn(Session)
    /// Shown as 属性連携不整合確認.
    case mismatch
}
