/// The numbers of a study's report, ready to draw: per task, per page, per participant. Built
/// from the event log alone (``init(study:events:participants:)``), so the live console, the
/// offline HTML file and an imported `events.json` show the same figures.
///
/// Plain values only (no HTML, no SVG): KenshuServer draws them.
public struct StudyReport: Sendable, Hashable {
    public var studyID: String
    public var title: String
    /// Participants in the log, in creation order (pseudonyms).
    public var participants: [String]
    /// One per task of the study, in the study's order.
    public var tasks: [TaskSummary]
    /// Every attempt at a task of this study, classified, in the order they started; including
    /// those still running (`outcome == nil`), which the task summaries leave out.
    public var attempts: [AttemptResult]
    /// Attempts naming a task the study no longer has (the file changed after the run).
    public var unknownTaskAttempts: Int
    /// Clicks by page and layout, for the click maps.
    public var clickMaps: [ClickMap]
    /// Each participant's latest SUS answers, scored.
    public var sus: [SUSResult]
    public var susMean: Double?
    /// The facilitator's notes, in time order.
    public var notes: [NoteEntry]
}

/// One task's row of the report.
public struct TaskSummary: Sendable, Hashable {
    public var id: String
    public var prompt: String
    public var layout: StudyLayout
    /// Finished attempts (what the rates count).
    public var n: Int
    /// Attempts still running, not counted in `n`.
    public var inProgress: Int
    /// Every outcome with its count (zeros included), in ``Outcome/allCases`` order.
    public var outcomes: [OutcomeCount]
    /// Direct and indirect successes.
    public var successes: Int
    /// successes / n with its adjusted-Wald 95 % interval; nil for n = 0.
    public var successRate: ConfidenceInterval?
    /// Time on task of the successes, in seconds.
    public var successTimes: [Double]
    public var medianTime: Double?
    public var geometricMeanTime: Double?
    public var clicks: Int
    public var misclicks: Int
    /// misclicks / clicks; nil without clicks.
    public var misclickRate: Double?
    /// The rules' errors over all finished attempts, by kind (sorted by name).
    public var errors: [ErrorCount]
    public var seqAnswers: Int
    public var seqMean: Double?
    /// The most common paths of finished attempts, most common first.
    public var topPaths: [PathCount]
}

public struct OutcomeCount: Sendable, Hashable {
    public var outcome: Outcome
    public var count: Int
}

public struct ErrorCount: Sendable, Hashable {
    public var kind: StudyErrorKind
    public var count: Int
}

public struct PathCount: Sendable, Hashable {
    public var pages: [String]
    public var count: Int
}

/// The clicks on one page at one layout: the dots of one click map.
public struct ClickMap: Sendable, Hashable {
    public var page: String
    public var layout: StudyLayout
    public var points: [ClickPoint]

    public var misclicks: Int { points.filter(\.misclick).count }
}

public struct ClickPoint: Sendable, Hashable {
    public var participant: String
    public var task: String
    public var element: String
    /// CSS pixels from the page's top left (below the task bar).
    public var x: Int
    public var y: Int
    public var viewportWidth: Int
    public var viewportHeight: Int
    public var misclick: Bool
}

public struct SUSResult: Sendable, Hashable {
    public var participant: String
    public var answers: [Int]
    /// 0–100.
    public var score: Double
}

public struct NoteEntry: Sendable, Hashable {
    public var milliseconds: Int64
    public var participant: String
    public var attempt: String?
    /// The attempt's task, when the note belongs to one.
    public var task: String?
    /// Seconds since that attempt's 「開始」, when the note belongs to one.
    public var secondsIntoAttempt: Double?
    public var tag: StudyEvent.NoteTag
    public var text: String
}
