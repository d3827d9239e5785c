/// One reason a password reset was refused; all of them are reported together so the screen can
/// show every message at once.
public enum PasswordResetFailure: Sendable, Equatable, Hashable {
    case policy(PasswordPolicy.Violation)
    case confirmationMismatch
    /// Wrong key, a key replaced by a newer mail, or a flow for which no key was ever issued
    /// (unknown email): the same answer, so the screen reveals nothing about the account.
    case keyMismatch
    case keyExpired
    case keyAlreadyUsed
    /// The flow id is unknown (cookie lost, or the state was reset).
    case noPendingRequest

    /// Which input the message is shown next to.
    public var field: PasswordResetField {
        switch self {
        case .policy: .newPassword
        case .confirmationMismatch: .confirmation
        case .keyMismatch, .keyExpired, .keyAlreadyUsed, .noPendingRequest: .key
        }
    }
}

/// The input on the password-reset screen an error message belongs next to.
public enum PasswordResetField: Sendable, Hashable {
    case newPassword
    case confirmation
    case key
}
