import Foundation
import KenshuAccounts

/// Seeds and a cheap configuration shared by the tests.
enum Fixture {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)
    static let seededLastLogin = Date(timeIntervalSince1970: 1_749_000_000)
    static let password = "Passw0rd!"
    static let newPassword = "N3w-Secret"

    static let active = AccountSeed(
        email: "Taro@Example.jp", password: password, seekerID: "1301-123456-7", name: "山田 太郎",
        lastLogin: seededLastLogin
    )
    static let neverLoggedIn = AccountSeed(
        email: "hanako@example.jp", password: "Hana-2024x", seekerID: "1301-654321-0", name: "佐藤 花子"
    )
    static let withdrawn = AccountSeed(
        email: "jiro@example.jp", password: "Jir0-pass", seekerID: "1301-111111-1", name: "鈴木 次郎",
        withdrawnDaysAgo: 10
    )
    static let resident = ResidentSeed(id: "resident-1", name: "山田 太郎")

    static var configuration: AccountsConfiguration {
        var configuration = AccountsConfiguration()
        configuration.hasher = PasswordHasher(iterations: 1_000)
        return configuration
    }

    static func accounts(
        _ seeds: [AccountSeed] = [active, neverLoggedIn, withdrawn],
        clock: ManualClock = ManualClock(start)
    ) throws -> Accounts {
        try Accounts.inMemory(accounts: seeds, residents: [resident], clock: clock, configuration: configuration)
    }

    static func withdrawnSeed(daysAgo: Int) -> AccountSeed {
        AccountSeed(
            email: "gone@example.jp", password: password, seekerID: "1301-999999-9", name: "退会 太郎",
            withdrawnDaysAgo: daysAgo
        )
    }

    /// A fresh directory under the system's temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-accounts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension LoginOutcome {
    var session: Session? {
        if case .signedIn(let session) = self { session } else { nil }
    }
}
