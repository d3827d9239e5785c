import Foundation
import GRDB

extension Accounts {
    /// Starts a flow under a new random id; `email` is what the user typed (trimmed, capped), to
    /// show on the next screen.
    func startFlow(_ db: Database, purpose: KeyPurpose, email: String, emailKey: String?, now: Date) throws -> String {
        let flowID = RandomToken.identifier()
        try db.execute(
            sql: "INSERT INTO pending_flow (id, purpose, email, email_key, created_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [flowID, purpose.rawValue, email, emailKey, StoredDate.encode(now)]
        )
        return flowID
    }

    func pendingFlow(_ db: Database, purpose: KeyPurpose, flowID: String) throws -> PendingFlow? {
        guard RandomToken.isWellFormedIdentifier(flowID) else { return nil }
        return try Row.fetchOne(
            db,
            sql: "SELECT email, email_key FROM pending_flow WHERE id = ? AND purpose = ?",
            arguments: [flowID, purpose.rawValue]
        ).map { PendingFlow(email: $0["email"], emailKey: $0["email_key"]) }
    }

    /// The typed email as shown back to the user: trimmed, at most ``EmailKey/maximumLength``
    /// characters, without control characters (which SQLite text binding would cut at NUL).
    static func displayEmail(_ typed: String) -> String {
        let cleaned = typed.unicodeScalars.prefix(EmailKey.maximumLength * 4)
            .filter { $0.properties.generalCategory != .control }
        let text = String(String.UnicodeScalarView(cleaned))
        return String(text.trimmingWhitespace().prefix(EmailKey.maximumLength))
    }
}

/// A row of `pending_flow`: which account a multi-screen flow is about.
struct PendingFlow: Sendable {
    var email: String
    /// `nil` when the typed email could not be an account (empty, control characters).
    var emailKey: String?
}
