import Foundation
import KenshuAccounts
import Testing

extension Fixture {
    /// The seeker every participant copies in these tests (taro's).
    static let seekerID = active.seekerID

    static func classroom(
        count: Int = 3,
        startState: ParticipantStartState = .fresh,
        clock: ManualClock = ManualClock(start)
    ) throws -> (Accounts, [ParticipantCard]) {
        let accounts = try Fixture.accounts(clock: clock)
        try accounts.createParticipants(ParticipantRequest(count: count, seekerID: seekerID, startState: startState))
        return (accounts, try accounts.cards())
    }
}

struct ParticipantTests {
    @Test func createsByCountContinuingTheNumbers() throws {
        let accounts = try Fixture.accounts()
        let first = try accounts.createParticipants(ParticipantRequest(count: 3, seekerID: Fixture.seekerID))
        #expect(first.map(\.id) == ["trainee01", "trainee02", "trainee03"])
        #expect(first.map(\.email) == ["trainee01@example.jp", "trainee02@example.jp", "trainee03@example.jp"])
        #expect(first.map(\.residentID) == ["participant:trainee01", "participant:trainee02", "participant:trainee03"])
        #expect(first.allSatisfy { $0.name == nil && $0.seekerID == Fixture.seekerID && $0.startState == .fresh })
        #expect(first.map(\.position) == [0, 1, 2])
        #expect(first.allSatisfy { $0.createdAt == Fixture.start })

        let more = try accounts.createParticipants(
            ParticipantRequest(count: 8, seekerID: Fixture.seekerID, emailDomain: " Kenshu.Example.JP ")
        )
        #expect(more.map(\.id) == (4...11).map { String(format: "trainee%02d", $0) })
        #expect(more[0].email == "trainee04@kenshu.example.jp")
        let guests = try accounts.createParticipants(ParticipantRequest(count: 1, idPrefix: "guest", seekerID: Fixture.seekerID))
        #expect(guests.map(\.id) == ["guest01"])
        #expect(guests[0].position == 11)
        #expect(try accounts.participants().map(\.id) == first.map(\.id) + more.map(\.id) + ["guest01"])
        #expect(try accounts.participant(id: "trainee02") == first[1])
        #expect(try accounts.participant(id: "trainee99") == nil)
        #expect(try accounts.participant(id: "TRAINEE02") == nil)
    }

    @Test func createsByPastedNames() throws {
        let accounts = try Fixture.accounts()
        let pasted = "山田 一郎\n\n　佐藤 二郎 \r\n鈴木 三郎\n"
        let created = try accounts.createParticipants(
            ParticipantRequest(pastedNames: pasted, seekerID: Fixture.neverLoggedIn.seekerID)
        )
        #expect(created.map(\.id) == ["trainee01", "trainee02", "trainee03"])
        #expect(created.map(\.name) == ["山田 一郎", "佐藤 二郎", "鈴木 三郎"])
        #expect(created.allSatisfy { $0.seekerID == Fixture.neverLoggedIn.seekerID })

        let card = try #require(try accounts.card(for: "trainee02"))
        #expect(card.name == "佐藤 二郎")
        let session = try #require(try accounts.logIn(email: card.email, password: card.initialPassword).session)
        #expect(session.name == "佐藤 二郎")
        #expect(session.seekerID == Fixture.neverLoggedIn.seekerID)
        #expect(session.previousLogin == nil)
        #expect(try accounts.mynaLogIn(pin: "1234", residentID: "participant:trainee02")?.name == "佐藤 二郎")
    }

    @Test func unnamedParticipantsGoByTheSeekersName() throws {
        let (accounts, cards) = try Fixture.classroom(count: 1)
        let session = try #require(try accounts.logIn(email: cards[0].email, password: cards[0].initialPassword).session)
        #expect(session.name == Fixture.active.name)
        #expect(try accounts.mynaLogIn(pin: "0000", residentID: "participant:trainee01")?.name == Fixture.active.name)
    }

    @Test func refusesBadRequestsAndCreatesNothing() throws {
        let accounts = try Fixture.accounts()
        let seeker = Fixture.seekerID
        #expect(throws: AccountsError.unknownSeeker(seekerID: "0000-000000-0")) {
            try accounts.createParticipants(ParticipantRequest(count: 2, seekerID: "0000-000000-0"))
        }
        for prefix in ["", "Trainee", "1abc", "trainee1", "tr ainee", "tr.ainee", "trainee\0", String(repeating: "a", count: 25)] {
            #expect(throws: AccountsError.invalidParticipantPrefix(prefix)) {
                try accounts.createParticipants(ParticipantRequest(count: 1, idPrefix: prefix, seekerID: seeker))
            }
        }
        for domain in ["", "ex ample.jp", "a..jp", "x@example.jp", "-a.jp", "example.jp.", "例え.jp"] {
            #expect(throws: AccountsError.invalidEmailDomain(domain)) {
                try accounts.createParticipants(ParticipantRequest(count: 1, seekerID: seeker, emailDomain: domain))
            }
        }
        for count in [0, -1, ParticipantRequest.maximumCount + 1] {
            #expect(throws: AccountsError.invalidParticipantCount(count)) {
                try accounts.createParticipants(ParticipantRequest(count: count, seekerID: seeker))
            }
        }
        #expect(throws: AccountsError.invalidParticipantCount(0)) {
            try accounts.createParticipants(ParticipantRequest(pastedNames: "\n \n", seekerID: seeker))
        }
        let long = String(repeating: "名", count: 65)
        #expect(throws: AccountsError.invalidParticipantName(long)) {
            try accounts.createParticipants(ParticipantRequest(names: ["a", long], seekerID: seeker))
        }
        #expect(throws: AccountsError.invalidWithdrawalDays(-1)) {
            try accounts.createParticipants(ParticipantRequest(count: 1, seekerID: seeker, startState: .withdrawn(daysAgo: -1)))
        }
        #expect(try accounts.participants().isEmpty)
        #expect(try accounts.cards().isEmpty)
    }

    @Test func refusesIdsWhoseEmailIsAnAccount() throws {
        let fixture = AccountSeed(
            email: "Trainee02@Example.jp", password: Fixture.password, seekerID: Fixture.seekerID, name: "研修 二郎"
        )
        let accounts = try Fixture.accounts([Fixture.active, fixture])
        #expect(throws: AccountsError.participantEmailTaken(email: "trainee02@example.jp")) {
            try accounts.createParticipants(ParticipantRequest(count: 3, seekerID: Fixture.seekerID))
        }
        #expect(try accounts.participants().isEmpty)
        #expect(try accounts.summaries().count == 2)
        // Another domain does not clash.
        let created = try accounts.createParticipants(
            ParticipantRequest(count: 3, seekerID: Fixture.seekerID, emailDomain: "class.example.jp")
        )
        #expect(created.map(\.email).last == "trainee03@class.example.jp")
    }

    @Test func initialPasswordsSignInSatisfyThePolicyAndDiffer() throws {
        let (accounts, cards) = try Fixture.classroom(count: 20)
        #expect(cards.map(\.id) == (1...20).map { String(format: "trainee%02d", $0) })
        #expect(Set(cards.map(\.initialPassword)).count == 20)
        for card in cards {
            let password = card.initialPassword
            #expect(password.count == 12, "\(password)")
            #expect(PasswordPolicy.standard.violations(of: password) == [], "\(password)")
            #expect(!password.contains { "0O1lIo".contains($0) }, "\(password)")
            #expect(try accounts.logIn(email: card.email, password: password).session?.email == card.email)
        }
        // Each password opens its own account only.
        #expect(try accounts.logIn(email: cards[0].email, password: cards[1].initialPassword) == .rejected)
        // Fixture accounts are unchanged and not listed among participants.
        #expect(try accounts.summaries().map(\.email) == ["Taro@Example.jp", "hanako@example.jp", "jiro@example.jp"])
        #expect(try accounts.logIn(email: "taro@example.jp", password: Fixture.password).session != nil)
    }

    @Test func cardsAndPasswordsSurviveReopening() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("accounts.sqlite").path
        let clock = ManualClock(Fixture.start)
        func open() throws -> Accounts {
            try Accounts.open(
                path: path, accounts: [Fixture.active, Fixture.neverLoggedIn], residents: [Fixture.resident],
                clock: clock, configuration: Fixture.configuration
            )
        }
        var cards: [ParticipantCard] = []
        var summaries: [ParticipantSummary] = []
        do {
            let accounts = try open()
            try accounts.createParticipants(ParticipantRequest(names: ["一郎", "二郎", "三郎"], seekerID: Fixture.seekerID))
            cards = try accounts.cards()
            _ = try accounts.logIn(email: cards[2].email, password: "wrong")
            summaries = try accounts.participants()
        }
        let reopened = try open()
        #expect(try reopened.cards() == cards)
        #expect(try reopened.participants() == summaries)
        #expect(try reopened.participants()[2].failedAttempts == 1)
        for card in cards {
            #expect(try reopened.card(for: card.id) == card)
            #expect(try reopened.participant(forSecret: card.secret)?.id == card.id)
            #expect(try reopened.logIn(email: card.email, password: card.initialPassword).session != nil)
        }
        // The seeds were not written again over the participants.
        #expect(try reopened.summaries().count == 2)
    }

    @Test func cardsFollowCreationOrder() throws {
        let (accounts, cards) = try Fixture.classroom(count: 3)
        #expect(cards.map(\.email) == ["trainee01@example.jp", "trainee02@example.jp", "trainee03@example.jp"])
        for card in cards {
            #expect(try accounts.card(for: card.id) == card)
        }
        #expect(try accounts.card(for: "trainee04") == nil)
        #expect(try accounts.card(for: "trainee01\0") == nil)
    }

    @Test func summaryShowsWhereEachAccountStands() throws {
        let clock = ManualClock(Fixture.start)
        let (accounts, cards) = try Fixture.classroom(count: 2, clock: clock)
        let fresh = try accounts.participants()[0]
        #expect(fresh.isLocked == false)
        #expect(fresh.failedAttempts == 0)
        #expect(fresh.pendingKeys == 0)
        #expect(fresh.withdrawnDaysAgo == nil)
        #expect(fresh.mynaPortalLink == .none)
        #expect(fresh.lastLogin == nil)

        clock.advance(by: 60)
        _ = try accounts.logIn(email: cards[0].email, password: cards[0].initialPassword)
        _ = try accounts.logIn(email: cards[0].email, password: "wrong")
        _ = try accounts.requestPasswordReset(email: cards[0].email)
        var summary = try accounts.participants()[0]
        #expect(summary.lastLogin == Fixture.start + 60)
        #expect(summary.failedAttempts == 1)
        #expect(summary.pendingKeys == 1)
        // A newer mail replaces the key; an expired one no longer counts.
        _ = try accounts.requestPasswordReset(email: cards[0].email)
        #expect(try accounts.participants()[0].pendingKeys == 1)
        clock.advance(by: 50 * 60)
        #expect(try accounts.participants()[0].pendingKeys == 0)

        try accounts.withdraw(email: cards[0].email)
        clock.advance(by: 2 * 86_400)
        summary = try accounts.participants()[0]
        #expect(summary.withdrawnDaysAgo == 2)
        #expect(try accounts.participants()[1].withdrawnDaysAgo == nil)
    }

    @Test func unlockParticipant() throws {
        let (accounts, cards) = try Fixture.classroom(count: 1)
        for _ in 1...5 { _ = try accounts.logIn(email: cards[0].email, password: "wrong") }
        #expect(try accounts.participants()[0].isLocked)
        try accounts.unlockParticipant(id: "trainee01")
        #expect(try accounts.participants()[0].isLocked == false)
        #expect(try accounts.logIn(email: cards[0].email, password: cards[0].initialPassword).session != nil)
        #expect(throws: AccountsError.unknownParticipant(id: "trainee09")) { try accounts.unlockParticipant(id: "trainee09") }
    }
}
