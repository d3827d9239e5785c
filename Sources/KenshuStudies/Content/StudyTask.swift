import KenshuSite

/// One task of a study: what the participant is asked, how their account is prepared, where
/// they start, and what counts as done.
public struct StudyTask: Sendable, Hashable, Identifiable {
    /// Unique within the study: `login`, `forgot-password`. Appears in reports and `attempts.csv`.
    public var id: String
    /// What the participant reads in the task bar, in Japanese.
    public var prompt: String
    /// The account's state when the facilitator starts the task.
    public var start: StartState
    /// The page the participant's browser opens on, as served: `v2/login.html`.
    public var startPage: String
    /// The width the task is meant for: a smartphone task is run at 390 px.
    public var layout: StudyLayout
    /// The server event that ends the task successfully; time on task runs until it.
    public var success: SuccessCondition
    /// Page sequences (served paths, the start page first) that count as the intended route:
    /// reaching the goal along one of them is a direct success, any other route an indirect one.
    /// Empty: every success is direct, since there is no route to leave.
    public var expectedPaths: [[String]]
    /// Seconds from 「開始」; a success later than this counts as a failure (time limit).
    public var timeLimit: Int?
    /// Where the task is written, for messages.
    public var location: SourceLocation
    /// The pages it names (start page, `signed_in` page, expected paths) and where.
    public var pageReferences: [PageReference] = []

    public init(id: String, prompt: String, start: StartState, startPage: String, layout: StudyLayout,
                success: SuccessCondition, expectedPaths: [[String]] = [], timeLimit: Int? = nil,
                location: SourceLocation = SourceLocation(path: "")) {
        self.id = id
        self.prompt = prompt
        self.start = start
        self.startPage = startPage
        self.layout = layout
        self.success = success
        self.expectedPaths = expectedPaths
        self.timeLimit = timeLimit
        self.location = location
    }
}

/// A page a study names, and where, so a check against the built site can point at it.
public struct PageReference: Sendable, Hashable {
    public var page: String
    public var location: SourceLocation

    public init(page: String, location: SourceLocation) {
        self.page = page
        self.location = location
    }
}
