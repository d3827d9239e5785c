import Foundation
import GRDB

extension Accounts {
    /// Signs in with ID（メールアドレス）and password. On success the account's last login
    /// becomes now and a new session row is added; other sessions stay signed in.
    public func logIn(email: String, password: String) throws -> LoginOutcome {
        switch try attemptPassword(email: email, password: password, accept: { db, account, now in
            try self.startSession(db, account: account, now: now)
        }) {
        case .accepted(let session): .signedIn(session)
        case .rejected: .rejected
        case .locked: .locked
        }
    }

    /// The session with this id, or `nil` when unknown, expired (at `sessionLifetime` after
    /// sign-in) or its account has since been withdrawn.
    public func session(id: String) throws -> Session? {
        guard RandomToken.isWellFormedIdentifier(id) else { return nil }
        let lifetime = configuration.sessionLifetime
        return try database.read { db in
            guard let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT session.previous_login, session.signed_in_at, account.email, account.seeker_id, account.name
                    FROM session JOIN account ON account.email_key = session.email_key
                    WHERE session.id = ? AND account.withdrawn_at IS NULL
                    """,
                arguments: [id]
            ) else { return nil }
            let signedInAt = StoredDate.decode(row["signed_in_at"])!
            guard try self.now(db).timeIntervalSince(signedInAt) < lifetime else { return nil }
            return Session(
                id: id,
                email: row["email"],
                seekerID: row["seeker_id"],
                name: row["name"],
                previousLogin: StoredDate.decode(row["previous_login"]),
                signedInAt: signedInAt
            )
        }
    }

    /// Logs out of HelloWork only; a Myna Portal session stays (no single logout).
    public func endSession(id: String) throws {
        guard RandomToken.isWellFormedIdentifier(id) else { return }
        try database.write { db in
            try db.execute(sql: "DELETE FROM session WHERE id = ?", arguments: [id])
        }
    }

    /// Records a sign-in: remembers the previous last login for 前回のログイン日時, stamps the
    /// new one, and drops sessions that have expired anyway so the table stays small.
    func startSession(_ db: Database, account: AccountRecord, now: Date) throws -> Session {
        let session = Session(
            id: RandomToken.identifier(),
            email: account.email,
            seekerID: account.seekerID,
            name: account.name,
            previousLogin: account.lastLogin,
            signedInAt: now
        )
        try db.execute(
            sql: "DELETE FROM session WHERE signed_in_at <= ?",
            arguments: [StoredDate.encode(now - configuration.sessionLifetime)]
        )
        try db.execute(
            sql: "INSERT INTO session (id, email_key, previous_login, signed_in_at) VALUES (?, ?, ?, ?)",
            arguments: [session.id, account.emailKey, StoredDate.encode(account.lastLogin), StoredDate.encode(now)]
        )
        try db.execute(
            sql: "UPDATE account SET last_login = ? WHERE email_key = ?",
            arguments: [StoredDate.encode(now), account.emailKey]
        )
        return session
    }
}
