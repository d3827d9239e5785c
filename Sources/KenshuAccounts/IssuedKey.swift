import Foundation

/// A freshly issued 認証キー, handed to the web layer exactly once so it can put it in the mail.
/// The database keeps only a SHA-256 digest of `key`.
public struct IssuedKey: Sendable, Equatable {
    public var email: String
    /// 8 characters from "ABCDEFGHJKLMNPQRSTUVWXYZ23456789" (no 0/O, 1/I look-alikes).
    public var key: String
    public var issuedAt: Date
    public var expiresAt: Date

    public init(email: String, key: String, issuedAt: Date, expiresAt: Date) {
        self.email = email
        self.key = key
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }
}
