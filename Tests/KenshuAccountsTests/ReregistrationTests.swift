import Foundation
import KenshuAccounts
import Testing

struct ReregistrationTests {
    @Test(arguments: [10, 30])
    func withinWindowGetsKey(daysAgo: Int) throws {
        let accounts = try Fixture.accounts([Fixture.withdrawnSeed(daysAgo: daysAgo)])
        guard case .keyIssued(let flowID, let key) = try accounts.requestReregistration(
            email: "gone@example.jp", password: Fixture.password
        ) else {
            Issue.record("expected a key")
            return
        }
        #expect(key.email == "gone@example.jp")
        #expect(key.expiresAt == Fixture.start + 50 * 60)
        #expect(try accounts.pendingReregistration(flowID: flowID) == "gone@example.jp")
    }

    @Test(arguments: [31, 45])
    func afterWindowIsTooLate(daysAgo: Int) throws {
        let accounts = try Fixture.accounts([Fixture.withdrawnSeed(daysAgo: daysAgo)])
        #expect(try accounts.requestReregistration(email: "gone@example.jp", password: Fixture.password) == .tooLate)
    }

    @Test func windowCountsWholeDaysOnTheRulesClock() throws {
        let accounts = try Fixture.accounts([Fixture.withdrawnSeed(daysAgo: 30)])
        try accounts.advanceClock(by: 86_400 - 1)
        #expect(try accounts.summaries()[0].state == .withdrawn(daysAgo: 30))
        if case .keyIssued = try accounts.requestReregistration(email: "gone@example.jp", password: Fixture.password) {
        } else {
            Issue.record("30 days 23:59:59 should still be day 30")
        }
        try accounts.advanceClock(by: 1)
        #expect(try accounts.summaries()[0].state == .withdrawn(daysAgo: 31))
        #expect(try accounts.requestReregistration(email: "gone@example.jp", password: Fixture.password) == .tooLate)
    }

    @Test func wrongPasswordUnknownAndActiveAreRejected() throws {
        let accounts = try Fixture.accounts([Fixture.active, Fixture.withdrawnSeed(daysAgo: 10)])
        #expect(try accounts.requestReregistration(email: "gone@example.jp", password: "wrong") == .rejected)
        #expect(try accounts.requestReregistration(email: "nobody@example.jp", password: Fixture.password) == .rejected)
        #expect(try accounts.requestReregistration(email: "taro@example.jp", password: Fixture.password) == .rejected)
        #expect(try accounts.requestReregistration(email: "", password: "") == .rejected)
    }

    @Test func completionActivatesTheAccount() throws {
        let clock = ManualClock(Fixture.start)
        let accounts = try Fixture.accounts([Fixture.withdrawnSeed(daysAgo: 10)], clock: clock)
        #expect(try accounts.logIn(email: "gone@example.jp", password: Fixture.password) == .rejected)
        guard case .keyIssued(let flowID, let key) = try accounts.requestReregistration(
            email: "gone@example.jp", password: Fixture.password
        ) else {
            Issue.record("expected a key")
            return
        }
        let wrong = key.key == "AAAAAAAA" ? "BBBBBBBB" : "AAAAAAAA"
        #expect(try accounts.completeReregistration(flowID: flowID, key: wrong) == .keyMismatch)
        clock.advance(by: 49 * 60 + 59)
        #expect(try accounts.completeReregistration(flowID: flowID, key: key.key) == nil)
        #expect(try accounts.summaries()[0].state == .active)
        #expect(try accounts.completeReregistration(flowID: flowID, key: key.key) == .keyAlreadyUsed)
        #expect(try accounts.logIn(email: "gone@example.jp", password: Fixture.password).session != nil)
    }

    @Test func expiredKeyAndUnknownFlow() throws {
        let clock = ManualClock(Fixture.start)
        let accounts = try Fixture.accounts([Fixture.withdrawnSeed(daysAgo: 10)], clock: clock)
        guard case .keyIssued(let flowID, let key) = try accounts.requestReregistration(
            email: "gone@example.jp", password: Fixture.password
        ) else {
            Issue.record("expected a key")
            return
        }
        clock.advance(by: 50 * 60)
        #expect(try accounts.completeReregistration(flowID: flowID, key: key.key) == .keyExpired)
        #expect(try accounts.completeReregistration(flowID: "nope", key: key.key) == .noPendingRequest)
        #expect(try accounts.summaries()[0].state == .withdrawn(daysAgo: 10))
    }
}
