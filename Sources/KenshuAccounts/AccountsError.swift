/// Misuse the rules cannot turn into an outcome.
public enum AccountsError: Error, Sendable, Equatable {
    /// ``Accounts/advanceClock(by:)`` was given NaN or infinity, which would poison every later
    /// time comparison and be persisted.
    case invalidClockAdjustment
    /// A seed's email is empty or contains control characters, so no one could ever sign in.
    case invalidSeed(email: String)
}
