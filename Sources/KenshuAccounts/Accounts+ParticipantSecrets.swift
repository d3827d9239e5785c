import Foundation
import GRDB

/// The class key and what derives from it: printable cards and the access secret a
/// participant's QR code carries.
extension Accounts {
    static let classKeySetting = "class_key"
    /// Longer input cannot be a secret (`<64-char id>.<32-char mac>`) and is not even parsed.
    static let maximumSecretLength = 128

    /// The participant whose card carries this secret, or `nil` for anything else: a guess, a
    /// malformed string, another participant's mac on this id, a removed participant.
    ///
    /// Every input takes the same path: one lookup by id (a placeholder that matches nothing when
    /// the input is malformed), one HMAC, one constant-time comparison. So timing can at most
    /// tell whether an id exists (as the lookup does), never how much of a mac was right.
    public func participant(forSecret secret: String) throws -> Participant? {
        let parsed = Self.parseSecret(secret)
        let id = parsed.map { String($0.id) } ?? ""
        // A malformed input is compared against a placeholder of the right length, so the
        // comparison runs in full either way.
        let given = Array((parsed?.mac ?? Substring(String(repeating: "a", count: ClassKey.macLength))).utf8)
        return try database.read { db in
            let found = try Participant.fetch(db, id: id)
            guard let key = try Self.storedClassKey(db) else { return nil }
            let expected = Array(key.mac(for: id).utf8)
            let matches = ConstantTime.equals(expected, given)
            return matches && parsed != nil ? found : nil
        }
    }

    /// The card of this participant, derived afresh (same key, same card), or `nil`.
    public func card(for id: String) throws -> ParticipantCard? {
        guard Self.isWellFormedParticipantID(id[...]) else { return nil }
        return try database.read { db in
            guard let participant = try Participant.fetch(db, id: id), let key = try Self.storedClassKey(db) else {
                return nil
            }
            return Self.card(participant, key: key)
        }
    }

    /// Every participant's card, in creation order, for printing the whole class at once.
    public func cards() throws -> [ParticipantCard] {
        try database.read { db in
            guard let key = try Self.storedClassKey(db) else { return [] }
            return try Participant.fetchAll(db).map { Self.card($0, key: key) }
        }
    }

    static func card(_ participant: Participant, key: ClassKey) -> ParticipantCard {
        ParticipantCard(
            id: participant.id,
            email: participant.email,
            name: participant.name,
            initialPassword: key.initialPassword(for: participant.id),
            secret: key.secret(for: participant.id)
        )
    }

    /// `<id>.<mac>` split at the last dot, both parts well formed; otherwise `nil`.
    static func parseSecret(_ secret: String) -> (id: Substring, mac: Substring)? {
        guard secret.utf8.count <= maximumSecretLength, let dot = secret.lastIndex(of: ".") else { return nil }
        let id = secret[..<dot]
        let mac = secret[secret.index(after: dot)...]
        guard isWellFormedParticipantID(id), ClassKey.isWellFormedMAC(mac) else { return nil }
        return (id, mac)
    }

    static func storedClassKey(_ db: Database) throws -> ClassKey? {
        guard let bytes = try Data.fetchOne(
            db, sql: "SELECT value FROM setting WHERE name = ?", arguments: [classKeySetting]
        ), bytes.count == ClassKey.byteCount else { return nil }
        return ClassKey(bytes: bytes)
    }

    /// The stored key, or a new one stored now (first use, or a damaged row). Called when the
    /// database opens, so reads always find one.
    func ensureClassKey(_ db: Database) throws -> ClassKey {
        if let key = try Self.storedClassKey(db) { return key }
        let key = ClassKey.random()
        try Self.storeClassKey(db, key)
        return key
    }

    /// A new key once the class is empty, so a later class with the same ids gets other
    /// passwords and secrets and an old card opens nothing. With participants left, the key
    /// stays: their printed cards must keep working.
    func renewClassKeyIfClassIsEmpty(_ db: Database) throws {
        guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM participant") == 0 else { return }
        try Self.storeClassKey(db, ClassKey.random())
    }

    private static func storeClassKey(_ db: Database, _ key: ClassKey) throws {
        try db.execute(
            sql: "INSERT INTO setting (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            arguments: [classKeySetting, key.bytes]
        )
    }
}
