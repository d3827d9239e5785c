import Foundation
import KenshuAccounts
import Testing

/// One participant's practice must never show on another's phone, and the trainer's resets and
/// removals must touch exactly the participant they name.
struct ParticipantIsolationTests {
    @Test func lockingOneLeavesTheOthersSigningIn() throws {
        let (accounts, cards) = try Fixture.classroom(count: 3)
        for attempt in 1...5 {
            let outcome = try accounts.logIn(email: cards[0].email, password: "wrong")
            #expect(outcome == (attempt == 5 ? .locked : .rejected))
        }
        #expect(try accounts.logIn(email: cards[0].email, password: cards[0].initialPassword) == .locked)
        #expect(try accounts.logIn(email: cards[1].email, password: cards[1].initialPassword).session != nil)
        let list = try accounts.participants()
        #expect(list.map(\.isLocked) == [true, false, false])
        #expect(list.map(\.failedAttempts) == [5, 0, 0])
    }

    @Test func oneParticipantsResetKeyDoesNotResetAnother() throws {
        let (accounts, cards) = try Fixture.classroom(count: 2)
        let first = try accounts.requestPasswordReset(email: cards[0].email)
        let second = try accounts.requestPasswordReset(email: cards[1].email)
        let firstKey = try #require(first.issuedKey).key
        #expect(
            try accounts.completePasswordReset(
                flowID: second.flowID, key: firstKey, newPassword: Fixture.newPassword, confirmation: Fixture.newPassword
            ) == [.keyMismatch]
        )
        #expect(try accounts.logIn(email: cards[1].email, password: Fixture.newPassword) == .rejected)
        #expect(try accounts.logIn(email: cards[1].email, password: cards[1].initialPassword).session != nil)
        #expect(
            try accounts.completePasswordReset(
                flowID: first.flowID, key: firstKey, newPassword: Fixture.newPassword, confirmation: Fixture.newPassword
            ) == []
        )
        #expect(try accounts.logIn(email: cards[0].email, password: Fixture.newPassword).session != nil)
        #expect(try accounts.participants().map(\.pendingKeys) == [0, 1])
    }

    @Test func mynaLinkOfOneDoesNotLinkAnother() throws {
        let (accounts, cards) = try Fixture.classroom(count: 2)
        let residents = try accounts.participants().map { "participant:\($0.id)" }
        let myna = try #require(try accounts.mynaLogIn(pin: "1234", residentID: residents[0]))
        #expect(myna.residentID == residents[0])
        guard case .linked = try accounts.link(
            residentID: myna.residentID, email: cards[0].email, password: cards[0].initialPassword
        ) else {
            Issue.record("expected a link")
            return
        }
        #expect(try accounts.isConnected(residentID: residents[0]))
        #expect(try accounts.isConnected(residentID: residents[1]) == false)
        #expect(try accounts.isConnected(residentID: Fixture.resident.id) == false)
        #expect(try accounts.singleSignOn(residentID: residents[1]) == .mismatch)
        guard case .signedIn(let session) = try accounts.singleSignOn(residentID: residents[0]) else {
            Issue.record("expected single sign-on")
            return
        }
        #expect(session.email == cards[0].email)
        #expect(try accounts.participants().map(\.mynaPortalLink) == [.linked, .none])
        // The fixtures' PIN sign-in still opens the fixture resident, never a participant's.
        #expect(try accounts.mynaLogIn(pin: "1234")?.residentID == Fixture.resident.id)
        #expect(try accounts.mynaLogIn(pin: "1234", residentID: "participant:trainee09") == nil)
        #expect(try accounts.mynaLogIn(pin: "12x4", residentID: residents[1]) == nil)
    }

    @Test func fixturePinSignInIgnoresParticipantResidents() throws {
        let accounts = try Accounts.inMemory(
            accounts: [Fixture.active], residents: [], clock: ManualClock(Fixture.start), configuration: Fixture.configuration
        )
        try accounts.createParticipants(ParticipantRequest(count: 1, seekerID: Fixture.seekerID))
        #expect(try accounts.mynaLogIn(pin: "1234") == nil)
        #expect(try accounts.mynaLogIn(pin: "1234", residentID: "participant:trainee01") != nil)
    }

    @Test func removalLeavesNoRowBehind() throws {
        let clock = ManualClock(Fixture.start)
        let (accounts, cards) = try Fixture.classroom(count: 3, clock: clock)
        let before = try accounts.storedRows()
        let target = cards[1]
        // Everything a participant can leave: sessions, a lock counter, keys and flows of both
        // purposes, Myna Portal sessions and links, including a fixture account linked to the
        // participant's resident and the participant's account linked to the fixture resident.
        _ = try accounts.logIn(email: target.email, password: target.initialPassword)
        _ = try accounts.logIn(email: target.email, password: "wrong")
        _ = try accounts.requestPasswordReset(email: target.email)
        _ = try accounts.mynaLogIn(pin: "1234", residentID: "participant:trainee02")
        _ = try accounts.link(residentID: "participant:trainee02", email: "taro@example.jp", password: Fixture.password)
        _ = try accounts.link(residentID: Fixture.resident.id, email: target.email, password: target.initialPassword)
        try accounts.withdraw(email: target.email)
        _ = try accounts.requestReregistration(email: target.email, password: target.initialPassword)
        let busy = try accounts.storedRows()
        #expect(busy.values.joined().contains { $0.contains("trainee02") })

        try accounts.removeParticipant(id: "trainee02")
        let after = try accounts.storedRows()
        #expect(Set(after.keys) == Set(before.keys))
        #expect(Set(after.keys).isSuperset(of: ["account", "resident", "participant", "session", "myna_session",
                                                 "myna_link", "verification_key", "pending_flow", "setting"]))
        for (table, rows) in after {
            for row in rows {
                #expect(!row.contains("trainee02"), "\(table): \(row)")
            }
        }
        #expect(after["participant"]?.count == 2)
        #expect(after["account"]?.count == 5)
        #expect(after["resident"]?.count == 3)
        // The fixture accounts' links to and from the removed participant went with it.
        #expect(try accounts.isConnected(residentID: Fixture.resident.id) == false)
        #expect(try accounts.summaries()[0].linkedResidentID == nil)
        #expect(try accounts.logIn(email: cards[0].email, password: cards[0].initialPassword).session != nil)
        #expect(try accounts.logIn(email: cards[2].email, password: cards[2].initialPassword).session != nil)
        #expect(try accounts.logIn(email: target.email, password: target.initialPassword) == .rejected)
        #expect(throws: AccountsError.unknownParticipant(id: "trainee02")) { try accounts.removeParticipant(id: "trainee02") }
    }

    @Test func removingAllLeavesOnlyTheFixtures() throws {
        let accounts = try Fixture.accounts()
        let pristine = try accounts.storedRows()
        try accounts.createParticipants(ParticipantRequest(count: 3, seekerID: Fixture.seekerID))
        let cards = try accounts.cards()
        _ = try accounts.logIn(email: cards[0].email, password: cards[0].initialPassword)
        _ = try accounts.requestPasswordReset(email: cards[1].email)
        try accounts.removeAllParticipants()
        var after = try accounts.storedRows()
        #expect(after.values.joined().allSatisfy { !$0.contains("trainee") })
        // Only the class key differs: it was renewed.
        #expect(after["setting"] != pristine["setting"])
        after["setting"] = pristine["setting"]
        #expect(after == pristine)
        #expect(try accounts.participants().isEmpty)
    }

    @Test func resettingOneLeavesTheOthersAsTheyWere() throws {
        let clock = ManualClock(Fixture.start)
        let (accounts, cards) = try Fixture.classroom(count: 3, clock: clock)
        for card in cards.prefix(2) {
            for _ in 1...5 { _ = try accounts.logIn(email: card.email, password: "wrong") }
        }
        let third = try #require(try accounts.logIn(email: cards[2].email, password: cards[2].initialPassword).session)
        let ticket = try accounts.requestPasswordReset(email: cards[0].email)
        let failures = try accounts.completePasswordReset(
            flowID: ticket.flowID, key: try #require(ticket.issuedKey).key,
            newPassword: Fixture.newPassword, confirmation: Fixture.newPassword
        )
        #expect(failures == [])
        let firstSession = try #require(try accounts.logIn(email: cards[0].email, password: Fixture.newPassword).session)
        _ = try accounts.requestPasswordReset(email: cards[0].email)
        let others = Array(try accounts.participants().dropFirst())

        clock.advance(by: 60)
        try accounts.resetParticipant(id: "trainee01")
        let first = try accounts.participants()[0]
        #expect(first.isLocked == false)
        #expect(first.failedAttempts == 0)
        #expect(first.pendingKeys == 0)
        #expect(first.lastLogin == nil)
        #expect(try accounts.session(id: firstSession.id) == nil)
        #expect(try accounts.pendingPasswordReset(flowID: ticket.flowID) == nil)
        #expect(try accounts.logIn(email: cards[0].email, password: Fixture.newPassword) == .rejected)
        #expect(try accounts.logIn(email: cards[0].email, password: cards[0].initialPassword).session != nil)

        #expect(Array(try accounts.participants().dropFirst()) == others)
        #expect(try accounts.logIn(email: cards[1].email, password: cards[1].initialPassword) == .locked)
        #expect(try accounts.session(id: third.id) != nil)
        #expect(try accounts.cards() == cards)
        #expect(throws: AccountsError.unknownParticipant(id: "nobody")) { try accounts.resetParticipant(id: "nobody") }
    }
}
