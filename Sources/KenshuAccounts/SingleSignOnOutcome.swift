/// The result of clicking HelloWork under つながっているウェブサイト on the Myna Portal.
public enum SingleSignOnOutcome: Sendable, Equatable {
    case signedIn(Session)
    /// Shown as 属性連携不整合確認.
    case mismatch
}
