import Foundation

/// One row of the trainer console.
public struct AccountSummary: Sendable, Equatable {
    public var email: String
    public var name: String
    public var seekerID: String
    public var state: AccountState
    public var failedAttempts: Int
    /// The HelloWork-side link, only when present and of the account's current registration
    /// generation (a link made before a re-registration is stale and not shown).
    public var linkedResidentID: String?
    public var lastLogin: Date?

    public init(
        email: String,
        name: String,
        seekerID: String,
        state: AccountState,
        failedAttempts: Int,
        linkedResidentID: String?,
        lastLogin: Date?
    ) {
        self.email = email
        self.name = name
        self.seekerID = seekerID
        self.state = state
        self.failedAttempts = failedAttempts
        self.linkedResidentID = linkedResidentID
        self.lastLogin = lastLogin
    }
}

/// What the trainer console shows for an account. Withdrawal wins over a lock, because a
/// withdrawn account cannot sign in either way.
public enum AccountState: Sendable, Equatable {
    case active
    case locked
    case withdrawn(daysAgo: Int)
}
