import Foundation
import KenshuAccounts
import Testing

/// `AccountsConfiguration(attemptsBeforeLock:keyMinutes:reregistrationDays:)`: site.yaml's
/// `live.rules` numbers, and the rules follow them.
struct ConfigurationTests {
    @Test func defaultsAreTheManuals() {
        let configuration = AccountsConfiguration()
        #expect(configuration.lockThreshold == 5)
        #expect(configuration.resetKeyLifetime == 50 * 60)
        #expect(configuration.reregistrationWindowDays == 30)
        let same = AccountsConfiguration(attemptsBeforeLock: 5, keyMinutes: 50, reregistrationDays: 30)
        #expect(same.lockThreshold == configuration.lockThreshold)
        #expect(same.resetKeyLifetime == configuration.resetKeyLifetime)
        #expect(same.reregistrationWindowDays == configuration.reregistrationWindowDays)
        #expect(same.sessionLifetime == configuration.sessionLifetime)
    }

    @Test func theNumbersBecomeTheRules() {
        let configuration = AccountsConfiguration(attemptsBeforeLock: 3, keyMinutes: 40, reregistrationDays: 14)
        #expect(configuration.lockThreshold == 3)
        #expect(configuration.resetKeyLifetime == 40 * 60)
        #expect(configuration.reregistrationWindowDays == 14)
        #expect(configuration.sessionLifetime == 8 * 3600)
    }

    private func accounts(_ seeds: [AccountSeed], clock: ManualClock = ManualClock(Fixture.start)) throws -> Accounts {
        var configuration = AccountsConfiguration(attemptsBeforeLock: 3, keyMinutes: 40, reregistrationDays: 14)
        configuration.hasher = PasswordHasher(iterations: 1_000)
        return try Accounts.inMemory(accounts: seeds, residents: [Fixture.resident], clock: clock, configuration: configuration)
    }

    @Test func theThirdWrongPasswordLocks() throws {
        let accounts = try accounts([Fixture.active])
        #expect(try accounts.logIn(email: "taro@example.jp", password: "wrong-1") == .rejected)
        #expect(try accounts.logIn(email: "taro@example.jp", password: "wrong-2") == .rejected)
        #expect(try accounts.logIn(email: "taro@example.jp", password: "wrong-3") == .locked)
    }

    @Test func aKeyLastsFortyMinutes() throws {
        let clock = ManualClock(Fixture.start)
        let accounts = try accounts([Fixture.active], clock: clock)
        func complete(_ ticket: PasswordResetTicket, _ password: String) throws -> [PasswordResetFailure] {
            try accounts.completePasswordReset(flowID: ticket.flowID, key: try #require(ticket.issuedKey).key,
                                               newPassword: password, confirmation: password)
        }
        let first = try accounts.requestPasswordReset(email: "taro@example.jp")
        #expect(first.issuedKey?.expiresAt == Fixture.start + 40 * 60)
        clock.advance(by: 40 * 60 - 1)
        #expect(try complete(first, Fixture.newPassword) == [])
        let second = try accounts.requestPasswordReset(email: "taro@example.jp")
        clock.advance(by: 40 * 60)
        #expect(try complete(second, "An0ther-one") == [.keyExpired])
    }

    @Test func fourteenDaysMayReregisterFifteenAreTooLate() throws {
        let within = try accounts([Fixture.withdrawnSeed(daysAgo: 14)])
        guard case .keyIssued(_, let key) = try within.requestReregistration(email: "gone@example.jp", password: Fixture.password) else {
            Issue.record("14 days should be within the window")
            return
        }
        #expect(key.expiresAt == Fixture.start + 40 * 60)
        let late = try accounts([Fixture.withdrawnSeed(daysAgo: 15)])
        #expect(try late.requestReregistration(email: "gone@example.jp", password: Fixture.password) == .tooLate)
    }
}
