import Foundation
import KenshuAccounts
import Testing

struct ParticipantSecretTests {
    static let base32 = Array("abcdefghijklmnopqrstuvwxyz234567")

    @Test func theRightSecretFindsItsParticipant() throws {
        let (accounts, cards) = try Fixture.classroom(count: 3)
        for card in cards {
            let parts = card.secret.split(separator: ".")
            #expect(parts.count == 2)
            #expect(parts[0] == card.id)
            #expect(parts[1].count == 32)
            #expect(parts[1].allSatisfy { Self.base32.contains($0) })
            #expect(try accounts.participant(forSecret: card.secret)?.email == card.email)
        }
        #expect(Set(cards.map { $0.secret.split(separator: ".")[1] }).count == 3)
    }

    @Test func anotherParticipantsMacIsRefused() throws {
        let (accounts, cards) = try Fixture.classroom(count: 3)
        let mac = cards[1].secret.split(separator: ".")[1]
        #expect(try accounts.participant(forSecret: "trainee01.\(mac)") == nil)
        #expect(try accounts.participant(forSecret: "trainee03.\(mac)") == nil)
        #expect(try accounts.participant(forSecret: "trainee04.\(mac)") == nil)
    }

    @Test func malformedSecretsAreRefused() throws {
        let (accounts, cards) = try Fixture.classroom(count: 1)
        let secret = cards[0].secret
        let mac = String(secret.split(separator: ".")[1])
        let malformed = [
            "", ".", "trainee01", "trainee01.", ".\(mac)", secret.uppercased(), "TRAINEE01.\(mac)",
            "\(secret)a", String(secret.dropLast()), " \(secret)", "\(secret) ", "\(secret)\0", "trainee01\0.\(mac)",
            "trainee01.\(mac.uppercased())", "trainee01..\(mac)", "x.trainee01.\(mac)",
            String(repeating: "a", count: 10_000) + ".\(mac)", "trainee01.\(String(repeating: "a", count: 32))",
        ]
        for candidate in malformed {
            #expect(try accounts.participant(forSecret: candidate) == nil, "\(candidate.prefix(60))")
        }
        #expect(try accounts.participant(forSecret: secret) != nil)
    }

    @Test func aThousandRandomGuessesAreRefused() throws {
        let (accounts, cards) = try Fixture.classroom(count: 3)
        var generator = SystemRandomNumberGenerator()
        for round in 0..<1_000 {
            let id = round % 2 == 0 ? cards[round % 3].id : "trainee\(Int.random(in: 0...99, using: &generator))"
            let mac = String((0..<32).map { _ in Self.base32.randomElement(using: &generator)! })
            #expect(try accounts.participant(forSecret: "\(id).\(mac)") == nil)
        }
    }

    @Test func removingAllRenewsTheClassKey() throws {
        let (accounts, old) = try Fixture.classroom(count: 2)
        try accounts.removeAllParticipants()
        #expect(try accounts.participant(forSecret: old[0].secret) == nil)
        try accounts.createParticipants(ParticipantRequest(count: 2, seekerID: Fixture.seekerID))
        let new = try accounts.cards()
        #expect(new.map(\.id) == old.map(\.id))
        #expect(new[0].secret != old[0].secret)
        #expect(new[0].initialPassword != old[0].initialPassword)
        #expect(try accounts.participant(forSecret: old[0].secret) == nil)
        #expect(try accounts.logIn(email: old[0].email, password: old[0].initialPassword) == .rejected)
        #expect(try accounts.logIn(email: new[0].email, password: new[0].initialPassword).session != nil)
    }

    @Test func removingOneKeepsTheOthersCards() throws {
        let (accounts, cards) = try Fixture.classroom(count: 3)
        try accounts.removeParticipant(id: "trainee02")
        #expect(try accounts.participant(forSecret: cards[1].secret) == nil)
        #expect(try accounts.cards() == [cards[0], cards[2]])
        // Numbering continues after the highest id left, so trainee02 is not handed out again.
        let next = try accounts.createParticipants(ParticipantRequest(count: 1, seekerID: Fixture.seekerID))
        #expect(next.map(\.id) == ["trainee04"])
    }

    @Test func differentDatabasesDeriveDifferentCards() throws {
        let (_, first) = try Fixture.classroom(count: 1)
        let (_, second) = try Fixture.classroom(count: 1)
        #expect(first[0].id == second[0].id)
        #expect(first[0].secret != second[0].secret)
        #expect(first[0].initialPassword != second[0].initialPassword)
    }
}
