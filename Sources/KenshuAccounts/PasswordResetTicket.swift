/// A pending password-reset flow, identified by an opaque random id the web layer keeps in a
/// cookie, so the next screen knows the ID（メールアドレス） entered before without putting it in the URL.
public struct PasswordResetTicket: Sendable, Equatable {
    public var flowID: String
    public var email: String
    /// `nil` when the email is unknown or withdrawn: the web layer then shows the same next
    /// screen and sends no mail, so the screen never reveals whether the account exists.
    public var issuedKey: IssuedKey?

    public init(flowID: String, email: String, issuedKey: IssuedKey?) {
        self.flowID = flowID
        self.email = email
        self.issuedKey = issuedKey
    }
}
