import Foundation

/// An event as a participant's page sends it: numbered in the page's own stream (1, 2, 3 …),
/// timed by the page. Its JSON form is an event's without `seq` and `participant` (the server
/// knows who sent it) and with `number`:
///
///     {"number":4,"time":"2025-05-01T10:00:02.500Z","attempt":"P01-login-1","type":"click",
///      "element":"p.lead","x":120,"y":340,"viewport_width":390,"viewport_height":844,
///      "interactive":false,"page":"/v2/login.html"}
public struct ClientEvent: Sendable, Hashable, Codable {
    public var number: Int
    public var milliseconds: Int64
    public var attempt: String?
    public var kind: StudyEvent.Kind

    public init(number: Int, time: Date, attempt: String?, kind: StudyEvent.Kind) {
        self.number = number
        self.milliseconds = StudyEvent.milliseconds(time)
        self.attempt = attempt
        self.kind = kind
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: StudyEvent.Key.self)
        let timeText = try c.decode(String.self, forKey: .time)
        guard let milliseconds = EventTime.milliseconds(iso: timeText) else {
            throw DecodingError.dataCorruptedError(forKey: .time, in: c, debugDescription: "not an ISO 8601 UTC time: \(timeText)")
        }
        number = try c.decode(Int.self, forKey: .number)
        self.milliseconds = milliseconds
        attempt = try c.decodeIfPresent(String.self, forKey: .attempt)
        kind = try StudyEvent.decodeKind(c)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: StudyEvent.Key.self)
        try c.encode(number, forKey: .number)
        try c.encode(EventTime.iso(milliseconds: milliseconds), forKey: .time)
        try c.encodeIfPresent(attempt, forKey: .attempt)
        try StudyEvent.encode(kind, into: &c)
    }
}

/// What the store did with a batch from a page: what it kept, what it had already, and what
/// the page should still send.
public struct ClientReceipt: Sendable, Hashable {
    /// Newly recorded, with their participant numbers.
    public var accepted: [StudyEvent]
    /// Numbers the store already had (a resend): ignored.
    public var duplicates: [Int]
    /// Numbers of the stream below its highest that the store has never received: the page
    /// lost them, or has not sent them yet.
    public var missing: [Int]
    /// The highest number up to which the store has every event of the stream: the page may drop
    /// its buffer up to here.
    public var acknowledged: Int
}
