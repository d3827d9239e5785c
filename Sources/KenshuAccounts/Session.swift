import Foundation

/// A HelloWork MyPage sign-in, stored as a row so a server restart keeps users signed in.
public struct Session: Sendable, Equatable {
    /// 128 random bits as 32 lowercase hex digits; the web layer keeps it in a cookie.
    public var id: String
    public var email: String
    public var seekerID: String
    public var name: String
    /// The account's last login BEFORE this sign-in (前回のログイン日時), `nil` if never.
    public var previousLogin: Date?
    public var signedInAt: Date

    public init(id: String, email: String, seekerID: String, name: String, previousLogin: Date?, signedInAt: Date) {
        self.id = id
        self.email = email
        self.seekerID = seekerID
        self.name = name
        self.previousLogin = previousLogin
        self.signedInAt = signedInAt
    }
}
