import Foundation

/// One thing that happened during a study, as the log keeps it.
///
/// Events are numbered per participant without gaps (`seq`, from 1), so a missing one shows, and
/// so a page that resends what it buffered after losing the server changes nothing the second
/// time. Times are kept in whole milliseconds: that is what a browser measures, and it makes the
/// JSON form round-trip exactly.
public struct StudyEvent: Sendable, Hashable, Identifiable {
    /// The participant's running number, 1, 2, 3 …, assigned by ``StudyStore``.
    public var seq: Int
    /// Milliseconds since 1970-01-01 UTC.
    public var milliseconds: Int64
    /// A pseudonym: `P01`.
    public var participant: String
    /// The attempt (one participant doing one task once) the event belongs to; nil for what
    /// belongs to the session as a whole (the SUS answers, a note between tasks).
    public var attempt: String?
    public var kind: Kind
    /// For an event a participant's browser sent: its own stream and number, which make a resend
    /// recognisable (see ``StudyStore/receive(_:participant:stream:)``).
    public var client: ClientStamp?

    public init(seq: Int, time: Date, participant: String, attempt: String?, kind: Kind, client: ClientStamp? = nil) {
        self.init(seq: seq, milliseconds: Self.milliseconds(time), participant: participant, attempt: attempt,
                  kind: kind, client: client)
    }

    public init(seq: Int, milliseconds: Int64, participant: String, attempt: String?, kind: Kind, client: ClientStamp? = nil) {
        self.seq = seq
        self.milliseconds = milliseconds
        self.participant = participant
        self.attempt = attempt
        self.kind = kind
        self.client = client
    }

    public var time: Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    public var id: String { "\(participant)#\(seq)" }

    /// A date in whole milliseconds, rounded to the nearest.
    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}

/// Where a browser-sent event came from: the page's own stream (a random id the script makes
/// when the page loads) and its number there (1, 2, 3 … per stream).
public struct ClientStamp: Sendable, Hashable, Codable {
    public var stream: String
    public var number: Int

    public init(stream: String, number: Int) {
        self.stream = stream
        self.number = number
    }
}
