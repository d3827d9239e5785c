/// One attempt as the classifier sees it: its outcome and the measures the report adds up.
public struct AttemptResult: Sendable, Hashable {
    public struct Override: Sendable, Hashable {
        public var outcome: Outcome
        public var reason: String
    }

    public var attempt: String
    public var participant: String
    public var study: String
    public var task: String
    /// 「開始」, in milliseconds since 1970.
    public var startedAt: Int64
    /// What the events say; nil while the attempt is still running with its goal not reached.
    public var automatic: Outcome?
    /// The facilitator's judgement, kept beside the automatic outcome (the latest, if several).
    public var override: Override?
    /// Seconds from 「開始」 to the first event that met the success condition, when one did.
    public var timeOnTask: Double?
    /// Seconds from 「開始」 to the end (「できた」, 「あきらめる」, the facilitator, the time limit).
    public var duration: Double?
    /// The pages shown (collapsed, consecutive repeats merged) from 「開始」 to the goal, or to
    /// the end when it was not reached; with the page the goal landed on.
    public var path: [String]
    public var clicks: Int
    /// Clicks on nothing interactive.
    public var misclicks: Int
    /// The rules' errors during the attempt, by kind.
    public var errors: [StudyErrorKind: Int]
    /// The Single Ease Question answer after the task (the latest, if answered twice).
    public var seq: Int?

    /// The outcome that counts: the facilitator's when they overrode it.
    public var outcome: Outcome? { override?.outcome ?? automatic }

    public var isFinished: Bool { outcome != nil }

    public var errorCount: Int { errors.values.reduce(0, +) }

    /// What `attempts.csv` reports as seconds: time on task for a success, otherwise the
    /// attempt's length.
    public var seconds: Double? {
        if outcome?.isSuccess == true, let timeOnTask { return timeOnTask }
        return duration ?? timeOnTask
    }
}
