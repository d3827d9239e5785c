import Foundation

/// One account as the scenario file describes it; ``Accounts`` hashes the password and stores
/// it when the database is new and again on ``Accounts/resetToSeeds()``.
public struct AccountSeed: Sendable, Equatable {
    public var email: String
    public var password: String
    public var seekerID: String
    public var name: String
    /// 前回のログイン日時 shown after the first login.
    public var lastLogin: Date?
    /// `nil` for an active account; otherwise the account was withdrawn this many days before
    /// the clock's "now" at seeding time.
    public var withdrawnDaysAgo: Int?

    public init(
        email: String,
        password: String,
        seekerID: String,
        name: String,
        lastLogin: Date? = nil,
        withdrawnDaysAgo: Int? = nil
    ) {
        self.email = email
        self.password = password
        self.seekerID = seekerID
        self.name = name
        self.lastLogin = lastLogin
        self.withdrawnDaysAgo = withdrawnDaysAgo
    }
}

/// The Myna Portal mock's resident (the mock has no card reader, so any PIN signs this person in).
public struct ResidentSeed: Sendable, Equatable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}
