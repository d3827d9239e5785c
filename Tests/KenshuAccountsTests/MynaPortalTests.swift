import Foundation
import KenshuAccounts
import Testing

struct MynaPortalTests {
    let clock = ManualClock(Fixture.start)
    let accounts: Accounts

    init() throws {
        accounts = try Fixture.accounts([Fixture.active, Fixture.withdrawnSeed(daysAgo: 10)], clock: clock)
    }

    private func linkTaro() throws -> Session {
        guard case .linked(let session) = try accounts.link(
            residentID: "resident-1", email: "taro@example.jp", password: Fixture.password
        ) else {
            throw LinkFailed()
        }
        return session
    }

    private struct LinkFailed: Error {}

    @Test func anyFourDigitPinSignsInTheResident() throws {
        let session = try #require(try accounts.mynaLogIn(pin: "0000"))
        #expect(session.residentID == "resident-1")
        #expect(session.name == "山田 太郎")
        #expect(session.signedInAt == Fixture.start)
        #expect(try accounts.mynaSession(id: session.id) == session)
        for pin in ["", "123", "12345", "１２３４", "12a4", "12\03", " 1234"] {
            #expect(try accounts.mynaLogIn(pin: pin) == nil, "\(pin)")
        }
        clock.advance(by: 8 * 3600)
        #expect(try accounts.mynaSession(id: session.id) == nil)
    }

    @Test func noSingleLogout() throws {
        let myna = try #require(try accounts.mynaLogIn(pin: "1234"))
        let helloWork = try linkTaro()
        try accounts.endSession(id: helloWork.id)
        #expect(try accounts.mynaSession(id: myna.id) != nil)
        let again = try #require(try accounts.logIn(email: "taro@example.jp", password: Fixture.password).session)
        try accounts.endMynaSession(id: myna.id)
        #expect(try accounts.mynaSession(id: myna.id) == nil)
        #expect(try accounts.session(id: again.id) != nil)
    }

    @Test func linkThenSingleSignOn() throws {
        #expect(try accounts.isConnected(residentID: "resident-1") == false)
        #expect(try accounts.singleSignOn(residentID: "resident-1") == .mismatch)
        let linked = try linkTaro()
        #expect(linked.previousLogin == Fixture.seededLastLogin)
        #expect(try accounts.isConnected(residentID: "resident-1"))
        #expect(try accounts.summaries()[0].linkedResidentID == "resident-1")
        clock.advance(by: 60)
        guard case .signedIn(let session) = try accounts.singleSignOn(residentID: "resident-1") else {
            Issue.record("expected single sign-on")
            return
        }
        #expect(session.email == "Taro@Example.jp")
        #expect(session.previousLogin == Fixture.start)
        #expect(try accounts.session(id: session.id) == session)
    }

    @Test func wrongPasswordOnLinkCountsTowardTheLock() throws {
        for _ in 1...2 {
            #expect(try accounts.link(residentID: "resident-1", email: "taro@example.jp", password: "wrong") == .rejected)
        }
        for _ in 1...2 {
            #expect(try accounts.logIn(email: "taro@example.jp", password: "wrong") == .rejected)
        }
        #expect(try accounts.link(residentID: "resident-1", email: "taro@example.jp", password: "wrong") == .locked)
        #expect(try accounts.logIn(email: "taro@example.jp", password: Fixture.password) == .locked)
        #expect(try accounts.link(residentID: "resident-1", email: "taro@example.jp", password: Fixture.password) == .locked)
        #expect(try accounts.isConnected(residentID: "resident-1") == false)
    }

    @Test func linkRejectsUnknownResidentAccountAndWithdrawn() throws {
        #expect(try accounts.link(residentID: "resident-2", email: "taro@example.jp", password: Fixture.password) == .rejected)
        #expect(try accounts.link(residentID: "resident-1", email: "nobody@example.jp", password: Fixture.password) == .rejected)
        #expect(try accounts.link(residentID: "resident-1", email: "gone@example.jp", password: Fixture.password) == .rejected)
        #expect(try accounts.link(residentID: "\0", email: "taro@example.jp", password: Fixture.password) == .rejected)
        #expect(try accounts.summaries()[0].failedAttempts == 0)
    }

    @Test func unlinkRemovesBothHalves() throws {
        _ = try linkTaro()
        try accounts.unlink(residentID: "resident-1")
        #expect(try accounts.isConnected(residentID: "resident-1") == false)
        #expect(try accounts.summaries()[0].linkedResidentID == nil)
        #expect(try accounts.singleSignOn(residentID: "resident-1") == .mismatch)
    }

    @Test func removingHelloWorkHalfGivesMismatch() throws {
        _ = try linkTaro()
        try accounts.removeHelloWorkLink(email: "TARO@example.jp")
        #expect(try accounts.isConnected(residentID: "resident-1"))
        #expect(try accounts.summaries()[0].linkedResidentID == nil)
        #expect(try accounts.singleSignOn(residentID: "resident-1") == .mismatch)
        // Linking again repairs it.
        _ = try linkTaro()
        if case .signedIn = try accounts.singleSignOn(residentID: "resident-1") {} else {
            Issue.record("relinking should repair single sign-on")
        }
    }

    @Test func lockedAccountCannotSingleSignOn() throws {
        _ = try linkTaro()
        for _ in 1...5 { _ = try accounts.logIn(email: "taro@example.jp", password: "wrong") }
        #expect(try accounts.singleSignOn(residentID: "resident-1") == .mismatch)
        try accounts.unlock(email: "taro@example.jp")
        if case .signedIn = try accounts.singleSignOn(residentID: "resident-1") {} else {
            Issue.record("unlocked account should sign on again")
        }
    }

    @Test func reregistrationMakesAnOldLinkStale() throws {
        _ = try linkTaro()
        try accounts.withdraw(email: "taro@example.jp")
        #expect(try accounts.singleSignOn(residentID: "resident-1") == .mismatch)
        clock.advance(by: 5 * 86_400)
        guard case .keyIssued(let flowID, let key) = try accounts.requestReregistration(
            email: "taro@example.jp", password: Fixture.password
        ) else {
            Issue.record("expected a key")
            return
        }
        #expect(try accounts.completeReregistration(flowID: flowID, key: key.key) == nil)
        // The Myna side still lists HelloWork, but the HelloWork half belongs to the old registration.
        #expect(try accounts.isConnected(residentID: "resident-1"))
        #expect(try accounts.summaries()[0].linkedResidentID == nil)
        #expect(try accounts.singleSignOn(residentID: "resident-1") == .mismatch)
        // Linking again under the new registration works.
        _ = try linkTaro()
        if case .signedIn = try accounts.singleSignOn(residentID: "resident-1") {} else {
            Issue.record("fresh link should sign on")
        }
    }

    @Test func withdrawalEndsSessionsAndBlocksLogin() throws {
        let session = try linkTaro()
        try accounts.withdraw(email: "taro@example.jp")
        #expect(try accounts.session(id: session.id) == nil)
        #expect(try accounts.logIn(email: "taro@example.jp", password: Fixture.password) == .rejected)
        #expect(try accounts.summaries()[0].state == .withdrawn(daysAgo: 0))
    }
}
