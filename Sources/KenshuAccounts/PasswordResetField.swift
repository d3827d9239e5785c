/// The input on the password-reset screen an error message belongs next to.
public enum PasswordResetField: Sendable, Hashable {
    case newPassword
    case confirmation
    case key
}
