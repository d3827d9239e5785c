import Foundation
import KenshuAccounts
import Testing

struct ParticipantStartStateTests {
    @Test func withdrawnStartStateReregistersWithinTheWindow() throws {
        let (accounts, cards) = try Fixture.classroom(count: 2, startState: .withdrawn(daysAgo: 10))
        let card = cards[0]
        #expect(try accounts.participants().map(\.withdrawnDaysAgo) == [10, 10])
        #expect(try accounts.logIn(email: card.email, password: card.initialPassword) == .rejected)
        guard case .keyIssued(let flowID, let key) = try accounts.requestReregistration(
            email: card.email, password: card.initialPassword
        ) else {
            Issue.record("expected a key")
            return
        }
        #expect(key.email == card.email)
        #expect(try accounts.completeReregistration(flowID: flowID, key: key.key) == nil)
        #expect(try accounts.logIn(email: card.email, password: card.initialPassword).session != nil)
        #expect(try accounts.participants().map(\.withdrawnDaysAgo) == [nil, 10])
    }

    @Test func withdrawnLongAgoIsTooLate() throws {
        let (accounts, cards) = try Fixture.classroom(count: 1, startState: .withdrawn(daysAgo: 31))
        #expect(try accounts.requestReregistration(email: cards[0].email, password: cards[0].initialPassword) == .tooLate)
    }

    @Test func withdrawalIsDatedOnTheRulesClock() throws {
        let accounts = try Fixture.accounts()
        try accounts.advanceClock(by: 5 * 86_400)
        try accounts.createParticipants(
            ParticipantRequest(count: 1, seekerID: Fixture.seekerID, startState: .withdrawn(daysAgo: 30))
        )
        #expect(try accounts.participants()[0].withdrawnDaysAgo == 30)
        #expect(try accounts.participants()[0].startState == .withdrawn(daysAgo: 30))
    }

    @Test func linkedStartStateSignsOnFromTheOwnResident() throws {
        let (accounts, cards) = try Fixture.classroom(count: 2, startState: .linkedWithMynaPortal)
        #expect(try accounts.participants().map(\.mynaPortalLink) == [.linked, .linked])
        #expect(try accounts.isConnected(residentID: "participant:trainee01"))
        guard case .signedIn(let session) = try accounts.singleSignOn(residentID: "participant:trainee02") else {
            Issue.record("expected single sign-on")
            return
        }
        #expect(session.email == cards[1].email)
        // Removing the HelloWork half is the trainer's way to show 属性連携不整合確認.
        try accounts.removeHelloWorkLink(email: cards[0].email)
        #expect(try accounts.participants().map(\.mynaPortalLink) == [.mismatched, .linked])
        #expect(try accounts.singleSignOn(residentID: "participant:trainee01") == .mismatch)
        try accounts.resetParticipant(id: "trainee01")
        #expect(try accounts.participants().map(\.mynaPortalLink) == [.linked, .linked])
    }

    @Test func resetToSeedsKeepsParticipantsInTheirStartState() throws {
        let clock = ManualClock(Fixture.start)
        let accounts = try Fixture.accounts(clock: clock)
        let pristineFixtures = try accounts.summaries()
        try accounts.createParticipants(ParticipantRequest(count: 2, seekerID: Fixture.seekerID))
        try accounts.createParticipants(
            ParticipantRequest(names: ["退会 一郎"], seekerID: Fixture.seekerID, startState: .withdrawn(daysAgo: 10))
        )
        try accounts.createParticipants(
            ParticipantRequest(count: 1, seekerID: Fixture.seekerID, startState: .linkedWithMynaPortal)
        )
        let cards = try accounts.cards()
        let pristine = try accounts.participants()
        #expect(pristine.map(\.id) == ["trainee01", "trainee02", "trainee03", "trainee04"])

        // A lesson's worth of changes.
        for _ in 1...5 { _ = try accounts.logIn(email: cards[0].email, password: "wrong") }
        let session = try #require(try accounts.logIn(email: cards[1].email, password: cards[1].initialPassword).session)
        _ = try accounts.requestPasswordReset(email: cards[1].email)
        if case .keyIssued(let flowID, let key) = try accounts.requestReregistration(
            email: cards[2].email, password: cards[2].initialPassword
        ) {
            #expect(try accounts.completeReregistration(flowID: flowID, key: key.key) == nil)
        } else {
            Issue.record("expected a key")
        }
        try accounts.unlink(residentID: "participant:trainee04")
        _ = try accounts.logIn(email: "taro@example.jp", password: "wrong")
        try accounts.advanceClock(by: 3 * 86_400)
        #expect(try accounts.participants() != pristine)

        try accounts.resetToSeeds()
        #expect(try accounts.participants() == pristine)
        #expect(try accounts.summaries() == pristineFixtures)
        #expect(try accounts.cards() == cards)
        #expect(try accounts.session(id: session.id) == nil)
        #expect(try accounts.logIn(email: cards[0].email, password: cards[0].initialPassword).session != nil)
        #expect(try accounts.logIn(email: cards[2].email, password: cards[2].initialPassword) == .rejected)
        if case .signedIn = try accounts.singleSignOn(residentID: "participant:trainee04") {} else {
            Issue.record("the linked start state should be linked again")
        }
        #expect(try accounts.participant(forSecret: cards[3].secret)?.id == "trainee04")
        #expect(try accounts.mynaLogIn(pin: "1234")?.residentID == Fixture.resident.id)
    }

    @Test func resetToSeedsCanDropTheClass() throws {
        let (accounts, cards) = try Fixture.classroom(count: 2)
        let residentRows = { try accounts.storedRows()["resident"] ?? [] }
        #expect(try residentRows().count == 3)
        try accounts.resetToSeeds(keepingParticipants: false)
        #expect(try accounts.participants().isEmpty)
        #expect(try accounts.cards().isEmpty)
        #expect(try accounts.participant(forSecret: cards[0].secret) == nil)
        #expect(try accounts.logIn(email: cards[0].email, password: cards[0].initialPassword) == .rejected)
        #expect(try residentRows().count == 1)
        #expect(try accounts.summaries().count == 3)
    }
}
