/// How the participant's account is prepared when the facilitator starts a task, in one step,
/// so every participant meets the same situation (the same number of wrong attempts left, the
/// same empty mailbox).
///
/// Only a description: the server carries it out with KenshuAccounts. Studies record what the
/// accounts report; they do not reach into them.
public struct StartState: Sendable, Hashable {
    public enum Account: Sendable, Hashable {
        /// The participant's own classroom account.
        case participant
        /// A fixture account, by its e-mail address (`asu.yuki@example.jp`).
        case email(String)
    }

    public enum AccountState: Sendable, Hashable {
        /// As created: the initial password, no failed attempts, not withdrawn, not linked.
        case fresh
        /// This many consecutive wrong passwords already entered (the next few lock it).
        case wrongAttempts(Int)
        /// Withdrawn this many days ago (re-registration is possible within the rules' window).
        case withdrawn(days: Int)
        /// Linked with the Myna Portal mock.
        case linked
    }

    public var account: Account
    public var state: AccountState
    /// Whether the account's mail (earlier 認証キー) is deleted first, so the participant cannot
    /// pick up a stale key.
    public var clearMail: Bool
    /// Whether the participant's browser starts signed in to the MyPage (a task that begins on
    /// a MyPage screen, such as signing out, needs a session the participant did not make).
    public var signedIn: Bool

    public init(account: Account = .participant, state: AccountState = .fresh, clearMail: Bool = false, signedIn: Bool = false) {
        self.account = account
        self.state = state
        self.clearMail = clearMail
        self.signedIn = signedIn
    }
}
