import Foundation
import KenshuAccounts
import Testing

struct PersistenceTests {
    let seeds = [Fixture.active, Fixture.neverLoggedIn, Fixture.withdrawn]

    private func open(_ path: String, clock: ManualClock) throws -> Accounts {
        try Accounts.open(
            path: path, accounts: seeds, residents: [Fixture.resident], clock: clock, configuration: Fixture.configuration
        )
    }

    @Test func stateAndTrainerClockSurviveReopen() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("accounts.sqlite").path
        let clock = ManualClock(Fixture.start)

        var sessionID = ""
        var flowID = ""
        var key = ""
        do {
            let accounts = try open(path, clock: clock)
            try accounts.advanceClock(by: 600)
            try accounts.advanceClock(by: 120)
            #expect(accounts.clockOffset() == 720)
            #expect(accounts.now() == Fixture.start + 720)
            sessionID = try #require(try accounts.logIn(email: "taro@example.jp", password: Fixture.password).session).id
            for _ in 1...3 { _ = try accounts.logIn(email: "hanako@example.jp", password: "wrong") }
            let ticket = try accounts.requestPasswordReset(email: "taro@example.jp")
            flowID = ticket.flowID
            key = try #require(ticket.issuedKey).key
            _ = try accounts.link(residentID: "resident-1", email: "taro@example.jp", password: Fixture.password)
        }

        let reopened = try open(path, clock: clock)
        #expect(reopened.clockOffset() == 720)
        #expect(reopened.now() == Fixture.start + 720)
        #expect(try reopened.session(id: sessionID)?.signedInAt == Fixture.start + 720)
        #expect(try reopened.summaries()[1].failedAttempts == 3)
        #expect(try reopened.isConnected(residentID: "resident-1"))
        #expect(try reopened.pendingPasswordReset(flowID: flowID)?.email == "taro@example.jp")
        let failures = try reopened.completePasswordReset(
            flowID: flowID, key: key, newPassword: Fixture.newPassword, confirmation: Fixture.newPassword
        )
        #expect(failures == [])
        #expect(try reopened.logIn(email: "taro@example.jp", password: Fixture.newPassword).session != nil)
    }

    @Test func resetToSeedsRestoresEverything() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("accounts.sqlite").path
        let clock = ManualClock(Fixture.start)
        let accounts = try open(path, clock: clock)
        let pristine = try accounts.summaries()

        let session = try #require(try accounts.logIn(email: "taro@example.jp", password: Fixture.password).session)
        let myna = try #require(try accounts.mynaLogIn(pin: "1234"))
        _ = try accounts.link(residentID: "resident-1", email: "taro@example.jp", password: Fixture.password)
        for _ in 1...5 { _ = try accounts.logIn(email: "hanako@example.jp", password: "wrong") }
        let ticket = try accounts.requestPasswordReset(email: "taro@example.jp")
        let key = try #require(ticket.issuedKey).key
        let failures = try accounts.completePasswordReset(
            flowID: ticket.flowID, key: key, newPassword: Fixture.newPassword, confirmation: Fixture.newPassword
        )
        #expect(failures == [])
        try accounts.advanceClock(by: 86_400)
        #expect(try accounts.summaries() != pristine)

        try accounts.resetToSeeds()
        #expect(accounts.clockOffset() == 0)
        #expect(try accounts.summaries() == pristine)
        #expect(try accounts.session(id: session.id) == nil)
        #expect(try accounts.mynaSession(id: myna.id) == nil)
        #expect(try accounts.isConnected(residentID: "resident-1") == false)
        #expect(try accounts.pendingPasswordReset(flowID: ticket.flowID) == nil)
        #expect(try accounts.logIn(email: "taro@example.jp", password: Fixture.password).session?.previousLogin
            == Fixture.seededLastLogin)

        // And the reset itself is persisted.
        let reopened = try open(path, clock: clock)
        #expect(reopened.clockOffset() == 0)
        #expect(try reopened.summaries()[1].state == .active)
    }

    @Test func existingFileIsNotReseeded() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("accounts.sqlite").path
        let clock = ManualClock(Fixture.start)
        _ = try open(path, clock: clock)
        clock.advance(by: 3 * 86_400)
        let reopened = try open(path, clock: clock)
        // Withdrawal was dated at the first seeding, so three more days have passed.
        #expect(try reopened.summaries()[2].state == .withdrawn(daysAgo: 13))
    }

    @Test func summariesInSeedOrder() throws {
        let accounts = try Fixture.accounts()
        let summaries = try accounts.summaries()
        #expect(summaries.map(\.email) == ["Taro@Example.jp", "hanako@example.jp", "jiro@example.jp"])
        #expect(summaries.map(\.state) == [.active, .active, .withdrawn(daysAgo: 10)])
        #expect(summaries[0].lastLogin == Fixture.seededLastLogin)
        #expect(summaries[0].seekerID == "1301-123456-7")
        #expect(summaries[0].name == "山田 太郎")
    }

    @Test func rejectsNonFiniteClockAdjustment() throws {
        let accounts = try Fixture.accounts()
        #expect(throws: AccountsError.invalidClockAdjustment) { try accounts.advanceClock(by: .nan) }
        #expect(throws: AccountsError.invalidClockAdjustment) { try accounts.advanceClock(by: .infinity) }
        #expect(accounts.clockOffset() == 0)
    }

    @Test func emptySeedEmailIsRefused() {
        let seed = AccountSeed(email: "  ", password: Fixture.password, seekerID: "x", name: "x")
        #expect(throws: AccountsError.invalidSeed(email: "  ")) {
            try Accounts.inMemory(
                accounts: [seed], residents: [], clock: ManualClock(Fixture.start), configuration: Fixture.configuration
            )
        }
    }
}
