import Foundation
import GRDB

/// One seminar participant: a trainee practising on their own phone with their own account
/// (`email`, an ordinary row of `account`) and their own Myna Portal resident (`residentID`),
/// so nothing one participant does can change what another sees.
///
/// The row only says how to recreate the participant's starting point; the account itself lives
/// under the same rules (lock, 認証キー, sessions, re-registration) as every fixture account.
public struct Participant: Sendable, Equatable, Identifiable {
    /// `trainee01`, …: lower-case ASCII, unique, also the local part of `email`.
    public var id: String
    /// The account's ID（メールアドレス）, e.g. `trainee01@example.jp`.
    public var email: String
    /// The display name the trainer pasted, or `nil` (the account then carries the seeker's name).
    public var name: String?
    /// The fixture seeker whose 求職者情報 the account shows.
    public var seekerID: String
    /// This participant's own Myna Portal resident, `participant:<id>`.
    public var residentID: String
    /// Where ``Accounts/resetParticipant(id:)`` and ``Accounts/resetToSeeds(keepingParticipants:)``
    /// put the account back to.
    public var startState: ParticipantStartState
    /// Order of creation; lists and cards follow it.
    public var position: Int
    public var createdAt: Date

    public init(
        id: String,
        email: String,
        name: String?,
        seekerID: String,
        residentID: String,
        startState: ParticipantStartState,
        position: Int,
        createdAt: Date
    ) {
        self.id = id
        self.email = email
        self.name = name
        self.seekerID = seekerID
        self.residentID = residentID
        self.startState = startState
        self.position = position
        self.createdAt = createdAt
    }
}

/// What a participant's account looks like after creation and after every reset.
public enum ParticipantStartState: Sendable, Equatable, Hashable {
    /// Active, never signed in, not linked.
    case fresh
    /// Withdrawn this many days before the reset (or creation), on the rules' clock: within the
    /// re-registration window for e.g. 10, too late for 31.
    case withdrawn(daysAgo: Int)
    /// Active, with both halves of the link to the participant's own resident in place, so single
    /// sign-on from the Myna Portal works from the start.
    case linkedWithMynaPortal
}

extension ParticipantStartState {
    /// The `start_state` column's text; the days go in `start_withdrawn_days`.
    var storedName: String {
        switch self {
        case .fresh: "fresh"
        case .withdrawn: "withdrawn"
        case .linkedWithMynaPortal: "linked_with_myna_portal"
        }
    }

    var withdrawnDaysAgo: Int? {
        if case .withdrawn(let days) = self { days } else { nil }
    }

    /// An unknown name (a newer version's state read by an older one) falls back to `.fresh`,
    /// the state that assumes least.
    init(storedName: String, withdrawnDaysAgo: Int?) {
        switch storedName {
        case "withdrawn": self = .withdrawn(daysAgo: withdrawnDaysAgo ?? 0)
        case "linked_with_myna_portal": self = .linkedWithMynaPortal
        default: self = .fresh
        }
    }
}

extension Participant {
    static let columns = """
        id, position, email, email_key, name, seeker_id, resident_id, start_state, start_withdrawn_days, created_at
        """

    init(row: Row) {
        self.init(
            id: row["id"],
            email: row["email"],
            name: row["name"],
            seekerID: row["seeker_id"],
            residentID: row["resident_id"],
            startState: ParticipantStartState(storedName: row["start_state"], withdrawnDaysAgo: row["start_withdrawn_days"]),
            position: row["position"],
            createdAt: StoredDate.decode(row["created_at"])!
        )
    }

    /// The form the account is looked up by; participant emails are created lower case, so it
    /// is the email itself, but going through ``EmailKey`` keeps one definition.
    var emailKey: String {
        EmailKey.normalized(email) ?? email
    }

    static func fetch(_ db: Database, id: String) throws -> Participant? {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM participant WHERE id = ?", arguments: [id])
            .map(Participant.init(row:))
    }

    static func fetchAll(_ db: Database) throws -> [Participant] {
        try Row.fetchAll(db, sql: "SELECT \(columns) FROM participant ORDER BY position").map(Participant.init(row:))
    }
}
