import Foundation
import KenshuAccounts
import Testing

struct PasswordResetTests {
    let clock = ManualClock(Fixture.start)
    let accounts: Accounts

    init() throws {
        accounts = try Fixture.accounts(clock: clock)
    }

    private func request(_ email: String = "taro@example.jp") throws -> (PasswordResetTicket, IssuedKey) {
        let ticket = try accounts.requestPasswordReset(email: email)
        return (ticket, try #require(ticket.issuedKey))
    }

    private func complete(_ ticket: PasswordResetTicket, _ key: String, _ password: String = Fixture.newPassword)
        throws -> [PasswordResetFailure]
    {
        try accounts.completePasswordReset(flowID: ticket.flowID, key: key, newPassword: password, confirmation: password)
    }

    @Test func issuedKeyLooksRight() throws {
        let (ticket, key) = try request(" TARO@example.jp ")
        #expect(ticket.email == "TARO@example.jp")
        #expect(key.email == "Taro@Example.jp")
        #expect(key.key.count == 8)
        #expect(key.key.allSatisfy { "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".contains($0) })
        #expect(key.issuedAt == Fixture.start)
        #expect(key.expiresAt == Fixture.start + 50 * 60)
        #expect(try accounts.pendingPasswordReset(flowID: ticket.flowID)?.email == "TARO@example.jp")
        #expect(try accounts.pendingPasswordReset(flowID: "0123456789abcdef0123456789abcdef") == nil)
    }

    @Test func keyValidAt49Minutes59Seconds() throws {
        let (ticket, key) = try request()
        clock.advance(by: 49 * 60 + 59)
        #expect(try complete(ticket, key.key) == [])
    }

    @Test func keyInvalidAtExactly50Minutes() throws {
        let (ticket, key) = try request()
        clock.advance(by: 50 * 60)
        #expect(try complete(ticket, key.key) == [.keyExpired])
    }

    @Test func keyInvalidIn51stMinute() throws {
        let (ticket, key) = try request()
        try accounts.advanceClock(by: 50 * 60 + 30)
        #expect(try complete(ticket, key.key) == [.keyExpired])
    }

    @Test func reusedKeyIsAlreadyUsed() throws {
        let (ticket, key) = try request()
        #expect(try complete(ticket, key.key) == [])
        #expect(try complete(ticket, key.key, "An0ther-one") == [.keyAlreadyUsed])
        #expect(try accounts.logIn(email: "taro@example.jp", password: Fixture.newPassword).session != nil)
    }

    @Test func wrongKeyIsMismatch() throws {
        let (ticket, key) = try request()
        let wrong = key.key == "AAAAAAAA" ? "BBBBBBBB" : "AAAAAAAA"
        #expect(try complete(ticket, wrong) == [.keyMismatch])
        #expect(try complete(ticket, "") == [.keyMismatch])
        #expect(try complete(ticket, String(repeating: "Ｋ\0", count: 10_000)) == [.keyMismatch])
    }

    @Test func keyIsCaseAndSpaceTolerant() throws {
        let (ticket, key) = try request()
        #expect(try complete(ticket, " \(key.key.lowercased()) ") == [])
    }

    @Test func newerKeyReplacesOlderOne() throws {
        let (firstTicket, firstKey) = try request()
        let (_, secondKey) = try request()
        if firstKey.key != secondKey.key {
            #expect(try complete(firstTicket, firstKey.key) == [.keyMismatch])
        }
        #expect(try complete(firstTicket, secondKey.key) == [])
    }

    @Test func unknownEmailGetsNoKeyAndCompletionSaysMismatch() throws {
        let ticket = try accounts.requestPasswordReset(email: "nobody@example.jp")
        #expect(ticket.issuedKey == nil)
        #expect(ticket.email == "nobody@example.jp")
        #expect(try accounts.pendingPasswordReset(flowID: ticket.flowID)?.email == "nobody@example.jp")
        #expect(try complete(ticket, "ABCDEFGH") == [.keyMismatch])
    }

    @Test func withdrawnEmailGetsNoKey() throws {
        let ticket = try accounts.requestPasswordReset(email: "jiro@example.jp")
        #expect(ticket.issuedKey == nil)
        #expect(try complete(ticket, "ABCDEFGH") == [.keyMismatch])
    }

    @Test func unknownFlowIsNoPendingRequest() throws {
        let failures = try accounts.completePasswordReset(
            flowID: "0123456789abcdef0123456789abcdef", key: "ABCDEFGH",
            newPassword: Fixture.newPassword, confirmation: Fixture.newPassword
        )
        #expect(failures == [.noPendingRequest])
        #expect(failures.map(\.field) == [.key])
    }

    @Test func confirmationMismatch() throws {
        let (ticket, key) = try request()
        let failures = try accounts.completePasswordReset(
            flowID: ticket.flowID, key: key.key, newPassword: Fixture.newPassword, confirmation: "N3w-SecreT"
        )
        #expect(failures == [.confirmationMismatch])
        #expect(failures.map(\.field) == [.confirmation])
    }

    @Test func allFailuresComeTogether() throws {
        let (ticket, _) = try request()
        let failures = try accounts.completePasswordReset(
            flowID: ticket.flowID, key: "ZZZZZZZ2", newPassword: "ａｂｃ", confirmation: "abc"
        )
        #expect(
            failures == [
                .policy(.tooShort), .policy(.notHalfWidth), .policy(.missingLetter), .policy(.missingDigit),
                .policy(.missingSymbol), .confirmationMismatch, .keyMismatch,
            ]
        )
        #expect(Set(failures.map(\.field)) == [.newPassword, .confirmation, .key])
    }

    @Test func policyFailureLeavesKeyUsable() throws {
        let (ticket, key) = try request()
        #expect(try complete(ticket, key.key, "short") == [.policy(.tooShort), .policy(.missingDigit), .policy(.missingSymbol)])
        #expect(try complete(ticket, key.key) == [])
    }

    @Test func completedResetUnlocksAndSwapsPasswords() throws {
        for _ in 1...5 { _ = try accounts.logIn(email: "taro@example.jp", password: "wrong") }
        #expect(try accounts.summaries()[0].state == .locked)
        let (ticket, key) = try request()
        #expect(try complete(ticket, key.key) == [])
        #expect(try accounts.summaries()[0].state == .active)
        #expect(try accounts.summaries()[0].failedAttempts == 0)
        #expect(try accounts.logIn(email: "taro@example.jp", password: Fixture.password) == .rejected)
        #expect(try accounts.logIn(email: "taro@example.jp", password: Fixture.newPassword).session != nil)
    }

    @Test func resetKeyCannotCompleteReregistration() throws {
        let (ticket, key) = try request()
        #expect(try accounts.completeReregistration(flowID: ticket.flowID, key: key.key) == .noPendingRequest)
        #expect(try accounts.pendingReregistration(flowID: ticket.flowID) == nil)
    }

    @Test func keySentBeforeWithdrawalIsVoid() throws {
        let (ticket, key) = try request()
        try accounts.withdraw(email: "taro@example.jp")
        #expect(try complete(ticket, key.key) == [.keyMismatch])
    }
}
