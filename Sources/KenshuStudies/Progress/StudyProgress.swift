/// Where one participant stands in a study, folded from their events alone: what the task bar,
/// the participant's page and the console show. Pure, like ``OutcomeClassifier``: the server
/// keeps one per participant in memory and rebuilds it from the log at start-up, so a restart
/// in the middle of a task resumes exactly where it was.
///
///     idle ──task_prepared──▶ prepared ──task_started (「開始」)──▶ running
///       ▲                                                            │ task_ended / gave_up
///       └──────── seq_answer ◀──────── rating ◀──────────────────────┘
///     rating/idle ──(every task done, or sus_requested)──▶ sus ──sus_answers──▶ finished
public struct StudyProgress: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, CaseIterable {
        /// Waiting for the facilitator to prepare a task.
        case idle
        /// A task is prepared: the prompt and 「開始」 are shown.
        case prepared
        /// The clock runs: the task bar is on the mock's pages.
        case running
        /// The task ended: the Single Ease Question is asked.
        case rating
        /// The System Usability Scale is asked.
        case sus
        /// The SUS is answered: nothing more to do.
        case finished
    }

    public private(set) var state: State = .idle
    /// The prepared, running or just-ended attempt.
    public private(set) var attempt: String?
    public private(set) var study: String?
    public private(set) var task: String?
    /// When 「開始」 was pressed (milliseconds since 1970), while running.
    public private(set) var startedAt: Int64?
    /// The last page the server showed the participant (a collapsed path).
    public private(set) var page: String?
    /// The highest `seq` folded in.
    public private(set) var lastSeq = 0
    /// Counts changes of state or attempt: a page that shows the state reloads when it differs.
    public private(set) var version = 0
    /// The tasks (study id, task id) with an ended attempt.
    public private(set) var endedTasks: Set<TaskKey> = []
    private var susRequested = false

    public struct TaskKey: Sendable, Hashable {
        public var study: String
        public var task: String
    }

    public init() {}

    /// Folds a participant's events in order. `studies` tells when every task of a study is done
    /// (then the SUS follows the last SEQ).
    public init(events: [StudyEvent], studies: [Study]) {
        for event in events.sorted(by: { $0.seq < $1.seq }) { apply(event, studies: studies) }
    }

    public mutating func apply(_ event: StudyEvent, studies: [Study]) {
        lastSeq = max(lastSeq, event.seq)
        switch event.kind {
        case .taskPrepared(let study, let task):
            move(to: .prepared, attempt: event.attempt, study: study, task: task)
            startedAt = nil
        case .taskStarted(let study, let task):
            move(to: .running, attempt: event.attempt, study: study, task: task)
            startedAt = event.milliseconds
        case .taskEnded, .gaveUp:
            guard state == .running || state == .prepared, event.attempt == attempt else { return }
            if let study, let task { endedTasks.insert(TaskKey(study: study, task: task)) }
            move(to: .rating, attempt: attempt, study: study, task: task)
            startedAt = nil
        case .seqAnswer:
            guard state == .rating else { return }
            move(to: askSUS(studies) ? .sus : .idle, attempt: nil, study: study, task: nil)
        case .susRequested:
            susRequested = true
            if state == .idle { move(to: .sus, attempt: nil, study: study, task: nil) }
        case .susAnswers:
            susRequested = false
            move(to: .finished, attempt: nil, study: study, task: nil)
        case .pageView(let path):
            page = path
        default:
            break
        }
    }

    /// Whether the SUS comes next: asked for, or every task of the current study has ended.
    private func askSUS(_ studies: [Study]) -> Bool {
        if susRequested { return true }
        guard let study, let tasks = studies.first(where: { $0.id == study })?.tasks, !tasks.isEmpty else { return false }
        return tasks.allSatisfy { endedTasks.contains(TaskKey(study: study, task: $0.id)) }
    }

    private mutating func move(to state: State, attempt: String?, study: String?, task: String?) {
        if state != self.state || attempt != self.attempt { version += 1 }
        self.state = state
        self.attempt = attempt
        self.study = study
        self.task = task
    }

    /// The running attempt, or nil.
    public var runningAttempt: String? { state == .running ? attempt : nil }
}
