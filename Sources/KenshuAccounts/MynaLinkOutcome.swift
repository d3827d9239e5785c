/// The result of マイページ属性連携認証 (linking from the Myna Portal side with email + password).
public enum MynaLinkOutcome: Sendable, Equatable {
    case linked(Session)
    case rejected
    /// Wrong passwords here count toward the same lock as the ordinary login.
    case locked
}
