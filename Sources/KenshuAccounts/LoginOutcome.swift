/// The result of an ID（メールアドレス）+ password sign-in.
public enum LoginOutcome: Sendable, Equatable {
    case signedIn(Session)
    /// Unknown email, withdrawn account or wrong password; deliberately never says which.
    case rejected
    /// The attempt that reached the lock threshold, or any attempt on a locked account
    /// (even with the right password).
    case locked
}
