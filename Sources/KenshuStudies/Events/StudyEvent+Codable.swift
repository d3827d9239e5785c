import Foundation

/// The stable JSON form of an event, as `events.json` and the database keep it: flat, the kind's
/// name under `type` and its fields beside it, snake_case, the time as ISO 8601 UTC with
/// milliseconds (`2025-05-01T10:00:00.250Z`):
///
///     {"attempt":"P01-login-1","participant":"P01","path":"v2/login.html","seq":3,
///      "time":"2025-05-01T10:00:02.500Z","type":"page_view"}
///
/// Keys a version does not know are ignored when reading, so nothing unknown (and nothing a
/// hand-edited file adds, such as a typed value) is carried into the log.
extension StudyEvent: Codable {
    enum Key: String, CodingKey {
        case seq, number, time, participant, attempt, type, client
        case study, task, by, path, form, fields, field, tag, text, answer, answers, outcome, reason
        case element, x, y, viewportWidth = "viewport_width", viewportHeight = "viewport_height", interactive, page
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let timeText = try c.decode(String.self, forKey: .time)
        guard let milliseconds = EventTime.milliseconds(iso: timeText) else {
            throw DecodingError.dataCorruptedError(forKey: .time, in: c, debugDescription: "not an ISO 8601 UTC time: \(timeText)")
        }
        self.init(seq: try c.decode(Int.self, forKey: .seq), milliseconds: milliseconds,
                  participant: try c.decode(String.self, forKey: .participant),
                  attempt: try c.decodeIfPresent(String.self, forKey: .attempt),
                  kind: try Self.decodeKind(c),
                  client: try c.decodeIfPresent(ClientStamp.self, forKey: .client))
    }

    static func decodeKind(_ c: KeyedDecodingContainer<Key>) throws -> Kind {
        let type = try c.decode(String.self, forKey: .type)
        func string(_ key: Key) throws -> String { try c.decode(String.self, forKey: key) }
        let kind: Kind
        switch type {
        case "task_prepared": kind = .taskPrepared(study: try string(.study), task: try string(.task))
        case "task_started": kind = .taskStarted(study: try string(.study), task: try string(.task))
        case "task_ended": kind = .taskEnded(by: try c.decode(TaskEnder.self, forKey: .by))
        case "gave_up": kind = .gaveUp
        case "page_view": kind = .pageView(path: try string(.path))
        case "click":
            kind = .click(Click(element: try string(.element), x: try c.decode(Int.self, forKey: .x), y: try c.decode(Int.self, forKey: .y),
                                viewportWidth: try c.decode(Int.self, forKey: .viewportWidth),
                                viewportHeight: try c.decode(Int.self, forKey: .viewportHeight),
                                interactive: try c.decode(Bool.self, forKey: .interactive),
                                page: try c.decodeIfPresent(String.self, forKey: .page)))
        case "form_submitted": kind = .formSubmitted(form: try string(.form), fields: try c.decode([FormField].self, forKey: .fields))
        case "login_failed": kind = .loginFailed
        case "account_locked": kind = .accountLocked
        case "key_mismatch": kind = .keyMismatch
        case "key_expired": kind = .keyExpired
        case "policy_error": kind = .policyError(field: try string(.field))
        case "password_reset_completed": kind = .passwordResetCompleted
        case "signed_in": kind = .signedIn(path: try string(.path))
        case "signed_out": kind = .signedOut
        case "myna_linked": kind = .mynaLinked
        case "myna_unlinked": kind = .mynaUnlinked
        case "note": kind = .note(tag: try c.decode(NoteTag.self, forKey: .tag), text: try string(.text))
        case "assisted": kind = .assisted
        case "seq_answer": kind = .seqAnswer(try c.decode(Int.self, forKey: .answer))
        case "sus_requested": kind = .susRequested
        case "sus_answers": kind = .susAnswers(try c.decode([Int].self, forKey: .answers))
        case "outcome_overridden":
            let code = try string(.outcome)
            guard let outcome = Outcome(code: code) else {
                throw DecodingError.dataCorruptedError(forKey: .outcome, in: c, debugDescription: "unknown outcome \(code)")
            }
            kind = .outcomeOverridden(outcome: outcome, reason: try string(.reason))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown event type \(type)")
        }
        do {
            return try kind.validated()
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: error.description)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(seq, forKey: .seq)
        try c.encode(EventTime.iso(milliseconds: milliseconds), forKey: .time)
        try c.encode(participant, forKey: .participant)
        try c.encodeIfPresent(attempt, forKey: .attempt)
        try c.encodeIfPresent(client, forKey: .client)
        try Self.encode(kind, into: &c)
    }

    /// The kind's `type` and fields, beside whatever else the container holds.
    static func encode(_ kind: Kind, into c: inout KeyedEncodingContainer<Key>) throws {
        try c.encode(kind.name, forKey: .type)
        switch kind {
        case .taskStarted(let study, let task), .taskPrepared(let study, let task):
            try c.encode(study, forKey: .study)
            try c.encode(task, forKey: .task)
        case .taskEnded(let by): try c.encode(by, forKey: .by)
        case .pageView(let path), .signedIn(let path): try c.encode(path, forKey: .path)
        case .click(let click):
            try c.encode(click.element, forKey: .element)
            try c.encode(click.x, forKey: .x)
            try c.encode(click.y, forKey: .y)
            try c.encode(click.viewportWidth, forKey: .viewportWidth)
            try c.encode(click.viewportHeight, forKey: .viewportHeight)
            try c.encode(click.interactive, forKey: .interactive)
            try c.encodeIfPresent(click.page, forKey: .page)
        case .formSubmitted(let form, let fields):
            try c.encode(form, forKey: .form)
            try c.encode(fields, forKey: .fields)
        case .policyError(let field): try c.encode(field, forKey: .field)
        case .note(let tag, let text):
            try c.encode(tag, forKey: .tag)
            try c.encode(text, forKey: .text)
        case .seqAnswer(let answer): try c.encode(answer, forKey: .answer)
        case .susAnswers(let answers): try c.encode(answers, forKey: .answers)
        case .outcomeOverridden(let outcome, let reason):
            try c.encode(outcome.code, forKey: .outcome)
            try c.encode(reason, forKey: .reason)
        case .gaveUp, .loginFailed, .accountLocked, .keyMismatch, .keyExpired, .passwordResetCompleted,
             .signedOut, .mynaLinked, .mynaUnlinked, .assisted, .susRequested:
            break
        }
    }

    /// The event as one line of stable JSON (sorted keys): what `events.json` and the database hold.
    public func jsonLine() throws -> String {
        String(decoding: try Self.lineEncoder.encode(self), as: UTF8.self)
    }

    /// One event from its JSON form.
    public static func decode(jsonLine: String) throws -> StudyEvent {
        try JSONDecoder().decode(StudyEvent.self, from: Data(jsonLine.utf8))
    }

    static let lineEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
