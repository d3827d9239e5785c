import Foundation
import GRDB

/// Turning a ``ParticipantRequest`` into ids, emails and rows: the checks on what the trainer
/// typed, the numbering, and the inserts.
extension Accounts {
    /// Longest id prefix, so `trainee` and friends fit while ids stay short enough for a card.
    static let maximumPrefixLength = 24
    static let maximumNameLength = 64
    static let maximumWithdrawalDays = 3650
    /// Numbers stay below this, so the ids of a class sort and print alike.
    static let participantNumberLimit = 10_000

    /// A request whose input has been checked, with the domain in lower case and the seeker's
    /// fixture name at hand.
    struct CheckedParticipantRequest: Sendable {
        var request: ParticipantRequest
        var emailDomain: String
        var seekerName: String
    }

    /// The ids and places one creation will take, with the key the passwords derive from.
    /// Planned once before hashing and again inside the write; equal plans mean nothing changed.
    struct ParticipantPlan: Sendable, Equatable {
        struct Member: Sendable, Equatable {
            var id: String
            var email: String
            var name: String?
            var position: Int
        }

        var key: ClassKey
        var members: [Member]
    }

    func check(_ request: ParticipantRequest) throws -> CheckedParticipantRequest {
        let prefix = request.idPrefix.utf8
        guard (1...Self.maximumPrefixLength).contains(prefix.count),
              let first = prefix.first, (0x61...0x7A).contains(first),
              let last = prefix.last, !(0x30...0x39).contains(last),
              prefix.allSatisfy(Self.isParticipantIDByte)
        else { throw AccountsError.invalidParticipantPrefix(request.idPrefix) }

        let domain = request.emailDomain.trimmingWhitespace().lowercased()
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...200).contains(domain.utf8.count),
              domain.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x2E }),
              labels.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") })
        else { throw AccountsError.invalidEmailDomain(request.emailDomain) }

        guard (1...ParticipantRequest.maximumCount).contains(request.count) else {
            throw AccountsError.invalidParticipantCount(request.count)
        }
        if case .names(let names) = request.members {
            for name in names where name.isEmpty || name.count > Self.maximumNameLength
                || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw AccountsError.invalidParticipantName(name)
            }
        }
        if let days = request.startState.withdrawnDaysAgo, !(0...Self.maximumWithdrawalDays).contains(days) {
            throw AccountsError.invalidWithdrawalDays(days)
        }
        guard let seeker = accountSeeds.first(where: { $0.seekerID == request.seekerID }) else {
            throw AccountsError.unknownSeeker(seekerID: request.seekerID)
        }
        return CheckedParticipantRequest(request: request, emailDomain: domain, seekerName: seeker.name)
    }

    /// Numbers continue after the highest one taken with this prefix (`trainee07` → next is 8),
    /// written with at least two digits. An email already belonging to an account is refused,
    /// not skipped, so the trainer learns of the clash instead of finding gaps on the cards.
    func plan(_ db: Database, _ checked: CheckedParticipantRequest) throws -> ParticipantPlan {
        let key = try ensureClassKey(db)
        let prefix = checked.request.idPrefix
        let taken = try String.fetchAll(db, sql: "SELECT id FROM participant").compactMap { id -> Int? in
            guard id.hasPrefix(prefix) else { return nil }
            let digits = id.dropFirst(prefix.count)
            guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return Int(digits)
        }
        let firstNumber = (taken.max() ?? 0) + 1
        guard firstNumber + checked.request.count <= Self.participantNumberLimit else {
            throw AccountsError.invalidParticipantCount(checked.request.count)
        }
        let firstPosition = (try Int.fetchOne(db, sql: "SELECT MAX(position) FROM participant")).map { $0 + 1 } ?? 0

        var members: [ParticipantPlan.Member] = []
        for offset in 0..<checked.request.count {
            let number = String(firstNumber + offset)
            let id = prefix + String(repeating: "0", count: max(0, 2 - number.count)) + number
            let email = "\(id)@\(checked.emailDomain)"
            if try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM account WHERE email_key = ?)", arguments: [email]
            ) == true {
                throw AccountsError.participantEmailTaken(email: email)
            }
            let residentID = Self.participantResidentPrefix + id
            if try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM resident WHERE id = ?)", arguments: [residentID]
            ) == true {
                throw AccountsError.participantResidentTaken(residentID: residentID)
            }
            members.append(.init(id: id, email: email, name: checked.request.name(at: offset), position: firstPosition + offset))
        }
        return ParticipantPlan(key: key, members: members)
    }

    /// Writes the planned participants and their accounts and residents in the start state.
    func insert(
        _ db: Database,
        plan: ParticipantPlan,
        passwordHashes: [String],
        request checked: CheckedParticipantRequest
    ) throws -> [Participant] {
        let now = try now(db)
        let startState = checked.request.startState
        var created: [Participant] = []
        for (member, hash) in zip(plan.members, passwordHashes) {
            let participant = Participant(
                id: member.id,
                email: member.email,
                name: member.name,
                seekerID: checked.request.seekerID,
                residentID: Self.participantResidentPrefix + member.id,
                startState: startState,
                position: member.position,
                createdAt: now
            )
            try db.execute(
                sql: """
                    INSERT INTO participant (
                        id, position, email, email_key, name, seeker_id, resident_id, start_state,
                        start_withdrawn_days, initial_password_hash, created_at
                    ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    participant.id, participant.position, participant.email, participant.emailKey, participant.name,
                    participant.seekerID, participant.residentID, startState.storedName, startState.withdrawnDaysAgo,
                    hash, StoredDate.encode(now),
                ]
            )
            try restoreParticipant(db, participant, passwordHash: hash, now: now)
            created.append(participant)
        }
        return created
    }
}
