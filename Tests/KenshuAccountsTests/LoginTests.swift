import Foundation
import KenshuAccounts
import Testing

struct LoginTests {
    @Test func signsInAndReportsPreviousLogin() throws {
        let clock = ManualClock(Fixture.start)
        let accounts = try Fixture.accounts(clock: clock)

        let first = try #require(try accounts.logIn(email: "taro@example.jp", password: Fixture.password).session)
        #expect(first.previousLogin == Fixture.seededLastLogin)
        #expect(first.signedInAt == Fixture.start)
        #expect(first.email == "Taro@Example.jp")
        #expect(first.seekerID == "1301-123456-7")
        #expect(first.name == "山田 太郎")

        clock.advance(by: 3_600)
        let second = try #require(try accounts.logIn(email: "taro@example.jp", password: Fixture.password).session)
        #expect(second.previousLogin == Fixture.start)
        #expect(second.signedInAt == Fixture.start + 3_600)
        #expect(try accounts.summaries()[0].lastLogin == Fixture.start + 3_600)
    }

    @Test func neverLoggedInHasNoPreviousLogin() throws {
        let accounts = try Fixture.accounts()
        let session = try #require(try accounts.logIn(email: "hanako@example.jp", password: "Hana-2024x").session)
        #expect(session.previousLogin == nil)
    }

    @Test func emailIsCaseInsensitiveAndTrimmed() throws {
        let accounts = try Fixture.accounts()
        #expect(try accounts.logIn(email: "  TARO@example.JP \n", password: Fixture.password).session != nil)
    }

    @Test func fifthWrongPasswordLocks() throws {
        let accounts = try Fixture.accounts()
        for _ in 1...4 {
            #expect(try accounts.logIn(email: "taro@example.jp", password: "wrong") == .rejected)
        }
        #expect(try accounts.summaries()[0].failedAttempts == 4)
        #expect(try accounts.summaries()[0].state == .active)
        #expect(try accounts.logIn(email: "taro@example.jp", password: "wrong") == .locked)
        #expect(try accounts.summaries()[0].state == .locked)
        #expect(try accounts.summaries()[0].failedAttempts == 5)
    }

    @Test func lockedAccountStaysLockedWithRightPassword() throws {
        let accounts = try Fixture.accounts()
        for _ in 1...5 { _ = try accounts.logIn(email: "taro@example.jp", password: "wrong") }
        #expect(try accounts.logIn(email: "taro@example.jp", password: Fixture.password) == .locked)
        #expect(try accounts.logIn(email: "taro@example.jp", password: "wrong") == .locked)
    }

    @Test func correctLoginResetsTheCounter() throws {
        let accounts = try Fixture.accounts()
        for _ in 1...4 { _ = try accounts.logIn(email: "taro@example.jp", password: "wrong") }
        #expect(try accounts.logIn(email: "taro@example.jp", password: Fixture.password).session != nil)
        #expect(try accounts.summaries()[0].failedAttempts == 0)
        for _ in 1...4 {
            #expect(try accounts.logIn(email: "taro@example.jp", password: "wrong") == .rejected)
        }
        #expect(try accounts.logIn(email: "taro@example.jp", password: "wrong") == .locked)
    }

    @Test func unknownAndWithdrawnAreRejectedLikeWrongPassword() throws {
        let accounts = try Fixture.accounts()
        #expect(try accounts.logIn(email: "nobody@example.jp", password: Fixture.password) == .rejected)
        #expect(try accounts.logIn(email: "jiro@example.jp", password: "Jir0-pass") == .rejected)
        #expect(try accounts.logIn(email: "taro@example.jp", password: "wrong") == .rejected)
        // Repeated attempts on a withdrawn account never lock it.
        for _ in 1...6 { _ = try accounts.logIn(email: "jiro@example.jp", password: "wrong") }
        #expect(try accounts.summaries()[2].state == .withdrawn(daysAgo: 10))
        #expect(try accounts.summaries()[2].failedAttempts == 0)
    }

    @Test func trainerUnlocks() throws {
        let accounts = try Fixture.accounts()
        for _ in 1...5 { _ = try accounts.logIn(email: "taro@example.jp", password: "wrong") }
        try accounts.unlock(email: "TARO@example.jp")
        #expect(try accounts.summaries()[0].state == .active)
        #expect(try accounts.summaries()[0].failedAttempts == 0)
        #expect(try accounts.logIn(email: "taro@example.jp", password: Fixture.password).session != nil)
    }

    @Test func configurableThreshold() throws {
        var configuration = Fixture.configuration
        configuration.lockThreshold = 2
        let accounts = try Accounts.inMemory(
            accounts: [Fixture.active], residents: [], clock: ManualClock(Fixture.start), configuration: configuration
        )
        #expect(try accounts.logIn(email: "taro@example.jp", password: "wrong") == .rejected)
        #expect(try accounts.logIn(email: "taro@example.jp", password: "wrong") == .locked)
    }

    @Test func oddInputIsRejectedWithoutCrashing() throws {
        let accounts = try Fixture.accounts()
        let huge = String(repeating: "あ", count: 10_000)
        for (email, password) in [
            ("", ""), (huge, huge), ("taro@example.jp\0", Fixture.password), ("taro@example.jp", Fixture.password + "\0"),
            ("\0", "\0"), ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", Fixture.password), ("taro@example.jp' OR '1'='1", "x"),
        ] {
            #expect(try accounts.logIn(email: email, password: password) == .rejected)
        }
    }

    @Test func concurrentWrongPasswordsLockExactlyAtTheThreshold() async throws {
        let accounts = try Fixture.accounts()
        let outcomes = try await withThrowingTaskGroup(of: LoginOutcome.self) { group in
            for _ in 0..<12 {
                group.addTask { try accounts.logIn(email: "taro@example.jp", password: "wrong") }
            }
            return try await group.reduce(into: [LoginOutcome]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == .rejected }.count == 4)
        #expect(outcomes.filter { $0 == .locked }.count == 8)
        #expect(try accounts.summaries()[0].failedAttempts == 5)
        #expect(try accounts.summaries()[0].state == .locked)
    }
}
