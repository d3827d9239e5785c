import Foundation
import KenshuAccounts
import Testing

/// A study task's start state, put in place in one step for one participant (issue #15).
struct ParticipantTaskTests {
    @Test func wrongAttemptsLeaveExactlyTheRestBeforeTheLock() throws {
        let (accounts, cards) = try Fixture.classroom(count: 2)
        let card = cards[0]
        try accounts.prepareParticipant(id: card.id, state: .wrongAttempts(4))
        #expect(try accounts.participants()[0].failedAttempts == 4)
        #expect(try accounts.participants()[0].isLocked == false)
        // One more wrong password locks it; the other participant is untouched.
        #expect(try accounts.logIn(email: card.email, password: "Wrong#2026x") == .locked)
        #expect(try accounts.participants().map(\.isLocked) == [true, false])
        #expect(try accounts.participants()[1].failedAttempts == 0)
    }

    @Test func preparingAgainClearsWhatTheLastTaskLeft() throws {
        let (accounts, cards) = try Fixture.classroom(count: 1)
        let card = cards[0]
        let session = try #require(try accounts.logIn(email: card.email, password: card.initialPassword).session)
        let ticket = try accounts.requestPasswordReset(email: card.email)
        #expect(ticket.issuedKey != nil)
        try accounts.prepareParticipant(id: card.id, state: .fresh)
        #expect(try accounts.session(id: session.id) == nil)
        #expect(try accounts.participants()[0].pendingKeys == 0)
        #expect(try accounts.logIn(email: card.email, password: card.initialPassword).session != nil)
    }

    @Test func linkedAndWithdrawnStatesAndASignedInStart() throws {
        let (accounts, cards) = try Fixture.classroom(count: 1)
        let card = cards[0]
        try accounts.prepareParticipant(id: card.id, state: .linkedWithMynaPortal)
        #expect(try accounts.participants()[0].mynaPortalLink == .linked)
        try accounts.prepareParticipant(id: card.id, state: .withdrawn(daysAgo: 10))
        #expect(try accounts.participants()[0].withdrawnDaysAgo == 10)
        #expect(try accounts.participants()[0].mynaPortalLink == .none)
        let session = try #require(try accounts.prepareParticipant(id: card.id, state: .fresh, signedIn: true))
        #expect(try accounts.session(id: session.id)?.email == card.email)
        // The class's own reset still goes back to the state the participant was created in.
        try accounts.resetParticipant(id: card.id)
        #expect(try accounts.participants()[0].startState == .fresh)
    }

    @Test func badStatesAndUnknownParticipantsAreRefused() throws {
        let (accounts, cards) = try Fixture.classroom(count: 1)
        #expect(throws: AccountsError.invalidWrongAttempts(-1)) { try accounts.prepareParticipant(id: cards[0].id, state: .wrongAttempts(-1)) }
        #expect(throws: AccountsError.unknownParticipant(id: "nobody01")) { try accounts.prepareParticipant(id: "nobody01", state: .fresh) }
    }
}
