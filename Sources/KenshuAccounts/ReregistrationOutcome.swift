/// The first step of re-registering a withdrawn account (mail + password).
public enum ReregistrationOutcome: Sendable, Equatable {
    /// Withdrawn no more than the window's days ago and the password is right: mail this key.
    case keyIssued(flowID: String, key: IssuedKey)
    /// Withdrawn at least one day longer than the window: show the contact text, no key.
    case tooLate
    /// Unknown email, active account, or wrong password.
    case rejected
}
