import Foundation

/// One row of the trainer's participant list: who it is and where their account stands, so the
/// trainer sees at a glance who is locked out or waiting for a 認証キー.
public struct ParticipantSummary: Sendable, Equatable {
    public var id: String
    public var email: String
    public var name: String?
    public var seekerID: String
    public var startState: ParticipantStartState
    /// Locked by wrong passwords. Reported even while withdrawn, where ``AccountState`` shows
    /// only the withdrawal, so the list hides nothing the trainer may be asked about.
    public var isLocked: Bool
    public var failedAttempts: Int
    /// Issued 認証キー (password reset or re-registration) that are unused, not replaced by a
    /// newer mail and not yet expired on the rules' clock.
    public var pendingKeys: Int
    /// Whole days since withdrawal; `nil` while active.
    public var withdrawnDaysAgo: Int?
    public var mynaPortalLink: ParticipantMynaLink
    public var lastLogin: Date?

    public init(
        id: String,
        email: String,
        name: String?,
        seekerID: String,
        startState: ParticipantStartState,
        isLocked: Bool,
        failedAttempts: Int,
        pendingKeys: Int,
        withdrawnDaysAgo: Int?,
        mynaPortalLink: ParticipantMynaLink,
        lastLogin: Date?
    ) {
        self.id = id
        self.email = email
        self.name = name
        self.seekerID = seekerID
        self.startState = startState
        self.isLocked = isLocked
        self.failedAttempts = failedAttempts
        self.pendingKeys = pendingKeys
        self.withdrawnDaysAgo = withdrawnDaysAgo
        self.mynaPortalLink = mynaPortalLink
        self.lastLogin = lastLogin
    }
}

/// The link between a participant's own resident and their account, as the two halves stand.
public enum ParticipantMynaLink: Sendable, Equatable {
    /// Neither half.
    case none
    /// The resident's Myna half names the account and the account's HelloWork half (of its
    /// current registration) names the resident: single sign-on works unless locked or withdrawn.
    case linked
    /// Only one half, or halves naming someone else (after a re-registration, or after the
    /// trainer removed the HelloWork half): single sign-on shows 属性連携不整合確認.
    case mismatched
}
