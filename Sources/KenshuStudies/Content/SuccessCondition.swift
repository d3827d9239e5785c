/// What the server must report for a task to be done. Typed rather than free text, so a study
/// file cannot name an event the server never sends: an unknown name stops at its line.
public enum SuccessCondition: Sendable, Hashable {
    /// A new password was set with a 認証キー from the mail.
    case passwordResetCompleted
    /// Signed in to the MyPage; with a page, only a sign-in that lands there (`home.html`, or a
    /// served path such as `v2/home.html`).
    case signedIn(page: String?)
    case mynaLinked
    case mynaUnlinked
    case signedOut

    /// The names a study file uses.
    public static let names = ["password_reset_completed", "signed_in", "myna_linked", "myna_unlinked", "signed_out"]

    /// The name as the study file writes it.
    public var name: String {
        switch self {
        case .passwordResetCompleted: "password_reset_completed"
        case .signedIn: "signed_in"
        case .mynaLinked: "myna_linked"
        case .mynaUnlinked: "myna_unlinked"
        case .signedOut: "signed_out"
        }
    }

    /// Whether an event of this kind meets the condition.
    public func isMet(by kind: StudyEvent.Kind) -> Bool {
        switch (self, kind) {
        case (.passwordResetCompleted, .passwordResetCompleted), (.mynaLinked, .mynaLinked),
             (.mynaUnlinked, .mynaUnlinked), (.signedOut, .signedOut):
            return true
        case (.signedIn(let page), .signedIn(let path)):
            guard let page else { return true }
            return StudyPath.page(path, is: page)
        default:
            return false
        }
    }
}
