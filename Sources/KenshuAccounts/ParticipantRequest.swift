/// What the trainer asks for when creating participants: how many (or whose names), the id
/// prefix, the fixture seeker every new account copies, the mail domain and the start state.
public struct ParticipantRequest: Sendable, Equatable {
    /// Either a number of anonymous participants or one participant per name.
    public enum Members: Sendable, Equatable {
        case count(Int)
        /// Display names in order; each gets the next id.
        case names([String])
    }

    /// At most this many participants per request: hashing each initial password takes a
    /// noticeable fraction of a second, and a seminar room holds a few dozen people.
    public static let maximumCount = 100

    public var members: Members
    /// Ids are the prefix and a number of at least two digits, continuing after the highest
    /// number already taken with this prefix: `trainee` → `trainee01`, `trainee02`, ….
    public var idPrefix: String
    /// One of the fixture accounts' seeker ids; its 求職者情報 is what every new account shows.
    public var seekerID: String
    /// The part after `@` of every new email.
    public var emailDomain: String
    public var startState: ParticipantStartState

    public init(
        count: Int,
        idPrefix: String = "trainee",
        seekerID: String,
        emailDomain: String = "example.jp",
        startState: ParticipantStartState = .fresh
    ) {
        self.members = .count(count)
        self.idPrefix = idPrefix
        self.seekerID = seekerID
        self.emailDomain = emailDomain
        self.startState = startState
    }

    /// One participant per name, in order. Names are trimmed (full-width spaces included) and
    /// blank ones dropped, so a list pasted with stray empty lines still works.
    public init(
        names: [String],
        idPrefix: String = "trainee",
        seekerID: String,
        emailDomain: String = "example.jp",
        startState: ParticipantStartState = .fresh
    ) {
        self.members = .names(names.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty })
        self.idPrefix = idPrefix
        self.seekerID = seekerID
        self.emailDomain = emailDomain
        self.startState = startState
    }

    /// Names pasted into a text area, one per line (`\n`, `\r\n` or `\r`).
    public init(
        pastedNames: String,
        idPrefix: String = "trainee",
        seekerID: String,
        emailDomain: String = "example.jp",
        startState: ParticipantStartState = .fresh
    ) {
        self.init(
            names: pastedNames.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).map(String.init),
            idPrefix: idPrefix,
            seekerID: seekerID,
            emailDomain: emailDomain,
            startState: startState
        )
    }

    /// How many participants the request creates.
    var count: Int {
        switch members {
        case .count(let count): count
        case .names(let names): names.count
        }
    }

    /// The name for the `offset`-th new participant, if the trainer gave names.
    func name(at offset: Int) -> String? {
        if case .names(let names) = members { names[offset] } else { nil }
    }
}
