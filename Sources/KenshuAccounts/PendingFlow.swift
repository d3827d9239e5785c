/// A row of `pending_flow`: which account a multi-screen flow is about.
struct PendingFlow: Sendable {
    var email: String
    /// `nil` when the typed email could not be an account (empty, control characters).
    var emailKey: String?
}
