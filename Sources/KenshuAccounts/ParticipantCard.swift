/// What the trainer hands a participant on paper: the ID（メールアドレス）and initial password to
/// type, and the access secret the card's QR code carries (mailbox and join link).
///
/// Nothing here is stored: the password and the secret are derived again from the class key each
/// time, so a card can be reprinted at any moment and only password hashes sit in the database.
public struct ParticipantCard: Sendable, Equatable {
    public var id: String
    public var email: String
    public var name: String?
    /// 12 half-width characters satisfying ``PasswordPolicy/standard``, without look-alikes
    /// (0/O/o, 1/l/I) so it can be typed from print.
    public var initialPassword: String
    /// `<id>.<mac>`: URL-safe, checked by ``Accounts/participant(forSecret:)``.
    public var secret: String

    public init(id: String, email: String, name: String?, initialPassword: String, secret: String) {
        self.id = id
        self.email = email
        self.name = name
        self.initialPassword = initialPassword
        self.secret = secret
    }
}
