/// What checking a password against an active account came to, before it is phrased as a
/// ``LoginOutcome`` or ``MynaLinkOutcome``.
enum PasswordAttempt<Accepted: Sendable>: Sendable {
    case accepted(Accepted)
    case rejected
    case locked
}
