import Foundation

/// The numbers the manual states, in one place so tests can shorten the slow parts (hashing).
public struct AccountsConfiguration: Sendable {
    /// The 5th consecutive wrong password locks the account (アカウントロック).
    public var lockThreshold = 5
    /// The 認証キー is invalid this long after the mail was sent: valid at 49:59, invalid at 50:00.
    public var resetKeyLifetime: TimeInterval = 50 * 60
    /// Withdrawn this many days ago or fewer: may re-register; one day more is too late.
    public var reregistrationWindowDays = 30
    /// How long a HelloWork or Myna Portal session stays valid after sign-in.
    public var sessionLifetime: TimeInterval = 8 * 3600
    /// Tests use a cheap hasher; the server keeps the OWASP iteration count.
    public var hasher: PasswordHasher = .standard

    /// The manual's numbers: 5 attempts, 50 minutes, 30 days.
    public init() {}

    /// The rules as site.yaml's `live.rules` states them (plain numbers, so this module need
    /// not know the site): the `attemptsBeforeLock`-th consecutive wrong password locks, a key
    /// is valid for `keyMinutes` minutes, and an account withdrawn `reregistrationDays` days ago
    /// or fewer may re-register. Everything else keeps its default.
    public init(attemptsBeforeLock: Int, keyMinutes: Int, reregistrationDays: Int) {
        lockThreshold = attemptsBeforeLock
        resetKeyLifetime = TimeInterval(keyMinutes) * 60
        reregistrationWindowDays = reregistrationDays
    }
}
