import KenshuStudies

/// The view model of `study-page.mustache`: one section per state of the participant's progress.
struct StudyPage: ToolViewModel {
    var layout: ToolLayout
    var participant: String?
    var csrf: String
    var hasError: Bool
    var error: String
    var isNone = false, isIdle = false, isPrepared = false, isRunning = false, isRating = false, isSUS = false, isFinished = false
    var position = ""
    var prompt = ""
    var attempt = ""
    /// The page to go back to while a task runs (the last page shown, else the start page).
    var page = ""
    var seqQuestion = Questionnaires.seqQuestion
    var seqLowest = Questionnaires.seqLowest
    var seqHighest = Questionnaires.seqHighest
    var seqOptions = Array(1...7)
    var susLowest = Questionnaires.susLowest
    var susHighest = Questionnaires.susHighest
    var susItems: [SUSItem] = Questionnaires.susItems.enumerated().map { SUSItem(number: $0.offset + 1, statement: $0.element) }

    struct SUSItem: Sendable {
        var number: Int
        var statement: String
        var options = Array(1...5)
    }

    /// A browser that is not a study participant's.
    init(none csrf: String) {
        layout = Self.layout(state: "none", attempt: "", version: 0)
        self.csrf = csrf
        hasError = false
        error = ""
        isNone = true
    }

    init(participant: String, progress: StudyProgress, task: StudyTask?, study: Study?, csrf: String, error: String?) {
        layout = Self.layout(state: progress.state.rawValue, attempt: progress.attempt ?? "", version: progress.version)
        self.participant = participant
        self.csrf = csrf
        hasError = error != nil
        self.error = error ?? ""
        attempt = progress.attempt ?? ""
        if let task {
            prompt = task.prompt
            let index = study?.tasks.firstIndex { $0.id == task.id }
            position = index.map { "課題 \($0 + 1)/\(study?.tasks.count ?? 0)" } ?? "課題"
            page = progress.page.map { $0.hasPrefix("/") ? $0 : "/" + $0 } ?? "/" + task.startPage
        }
        switch progress.state {
        case .idle: isIdle = true
        case .prepared: isPrepared = task != nil; isIdle = task == nil
        case .running: isRunning = true
        case .rating: isRating = true
        case .sus: isSUS = true
        case .finished: isFinished = true
        }
    }

    static func layout(state: String, attempt: String, version: Int) -> ToolLayout {
        ToolLayout(title: "使いやすさの調査 — Kenshu", stylesheets: ["/study/assets/study.css"], scripts: ["/study/assets/study.js"],
                   bodyClass: "kenshu-study-page",
                   bodyData: [DataAttribute(name: "study-state", value: state), DataAttribute(name: "study-attempt", value: attempt),
                              DataAttribute(name: "study-version", value: String(version))])
    }
}
