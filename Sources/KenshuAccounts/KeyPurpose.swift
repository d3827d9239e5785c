/// What a 認証キー or a pending flow is for; a password-reset key cannot complete a
/// re-registration and vice versa.
enum KeyPurpose: String, Sendable {
    case passwordReset = "password_reset"
    case reregistration
}
