import Foundation
import KenshuAccounts
import Testing

struct SessionTests {
    @Test func sessionIsFoundUntilItsLifetimeEnds() throws {
        let clock = ManualClock(Fixture.start)
        let accounts = try Fixture.accounts(clock: clock)
        let session = try #require(try accounts.logIn(email: "taro@example.jp", password: Fixture.password).session)
        #expect(try accounts.session(id: session.id) == session)
        clock.advance(by: 8 * 3600 - 1)
        #expect(try accounts.session(id: session.id) == session)
        clock.advance(by: 1)
        #expect(try accounts.session(id: session.id) == nil)
    }

    @Test func trainerClockAlsoExpiresSessions() throws {
        let accounts = try Fixture.accounts()
        let session = try #require(try accounts.logIn(email: "taro@example.jp", password: Fixture.password).session)
        try accounts.advanceClock(by: 8 * 3600)
        #expect(try accounts.session(id: session.id) == nil)
    }

    @Test func endSessionLogsOutOnlyThatSession() throws {
        let accounts = try Fixture.accounts()
        let first = try #require(try accounts.logIn(email: "taro@example.jp", password: Fixture.password).session)
        let second = try #require(try accounts.logIn(email: "taro@example.jp", password: Fixture.password).session)
        try accounts.endSession(id: first.id)
        #expect(try accounts.session(id: first.id) == nil)
        #expect(try accounts.session(id: second.id) != nil)
    }

    @Test func idsAre128BitAndDistinct() throws {
        let accounts = try Fixture.accounts()
        var ids = Set<String>()
        for _ in 0..<20 {
            let session = try #require(try accounts.logIn(email: "taro@example.jp", password: Fixture.password).session)
            #expect(session.id.count == 32)
            #expect(session.id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            ids.insert(session.id)
            ids.insert(try accounts.requestPasswordReset(email: "taro@example.jp").flowID)
            ids.insert(try #require(try accounts.mynaLogIn(pin: "1234")).id)
        }
        #expect(ids.count == 60)
    }

    @Test func unknownOrOddIdsFindNothing() throws {
        let accounts = try Fixture.accounts()
        for id in ["", "nope", String(repeating: "0", count: 32), "\0", String(repeating: "f", count: 10_000)] {
            #expect(try accounts.session(id: id) == nil)
            #expect(try accounts.mynaSession(id: id) == nil)
            try accounts.endSession(id: id)
            try accounts.endMynaSession(id: id)
        }
    }
}
