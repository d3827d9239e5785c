/// Why the event log refused something. Loading a study fails with `ContentErrors` instead,
/// at `file:line:col`, like every other Content file.
public enum StudyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An event that cannot be recorded as given (an answer out of range, a click without a
    /// viewport).
    case invalidEvent(String)
    /// No participant of that pseudonym (never created, or deleted).
    case unknownParticipant(String)
    /// `events.json` of a schema this version cannot read.
    case unsupportedSchema(Int)
    /// `events.json` that is not the expected JSON.
    case malformedArchive(String)
    /// An import into a store that already holds events: it would mix two studies' logs.
    case storeNotEmpty

    public var description: String {
        switch self {
        case .invalidEvent(let why): "invalid event: \(why)"
        case .unknownParticipant(let id): "no participant \(id)"
        case .unsupportedSchema(let version): "events.json has schema \(version); this version reads schema \(EventArchive.schema)"
        case .malformedArchive(let why): "events.json cannot be read: \(why)"
        case .storeNotEmpty: "the study data directory already holds events; import into an empty one"
        }
    }
}
