extension StudyReport {
    /// How many paths a task summary lists.
    public static let topPathCount = 3

    /// Builds the report of `study` from a log (any order; grouped by participant and sorted by
    /// `seq` here). `participants` orders them as created; without it, by first appearance.
    ///
    /// A participant counts when they have an attempt at this study's tasks, or no attempt at all
    /// (only answers or notes); participants who only did another study's tasks are left out.
    public init(study: Study, events: [StudyEvent], participants: [StudyParticipant]? = nil) {
        var byParticipant: [String: [StudyEvent]] = [:]
        var order: [String] = participants?.map(\.id) ?? []
        for event in events {
            if byParticipant[event.participant] == nil, participants == nil { order.append(event.participant) }
            byParticipant[event.participant, default: []].append(event)
        }
        order.append(contentsOf: byParticipant.keys.filter { !order.contains($0) }.sorted())

        var attempts: [AttemptResult] = []
        var unknown = 0
        var attemptTask: [String: AttemptResult] = [:]
        var clickMaps: [ClickMap.Key: [ClickPoint]] = [:]
        var sus: [SUSResult] = []
        var included: [String] = []
        var looseEvents: [StudyEvent] = []

        for participant in order {
            let log = (byParticipant[participant] ?? []).sorted { $0.seq < $1.seq }
            var byAttempt: [String: [StudyEvent]] = [:]
            var attemptOrder: [String] = []
            for event in log {
                guard let attempt = event.attempt else {
                    looseEvents.append(event)
                    continue
                }
                if byAttempt[attempt] == nil { attemptOrder.append(attempt) }
                byAttempt[attempt, default: []].append(event)
            }
            var ownAttempts = 0, otherStudies = 0
            for attempt in attemptOrder {
                let attemptEvents = byAttempt[attempt]!
                guard let started = attemptEvents.first(where: { if case .taskStarted = $0.kind { true } else { false } }),
                      case .taskStarted(let studyID, let taskID) = started.kind else { continue }
                guard studyID == study.id else {
                    otherStudies += 1
                    continue
                }
                ownAttempts += 1
                guard let task = study.task(taskID), let result = OutcomeClassifier.classify(attemptEvents, task: task) else {
                    unknown += 1
                    continue
                }
                attempts.append(result)
                attemptTask[attempt] = result
                Self.collectClicks(attemptEvents, participantLog: log, result: result, into: &clickMaps)
            }
            guard ownAttempts > 0 || otherStudies == 0 else { continue }
            included.append(participant)
            if let answers = log.reversed().lazy.compactMap({ event -> [Int]? in
                if case .susAnswers(let answers) = event.kind { answers } else { nil }
            }).first, let score = StudyStatistics.susScore(answers) {
                sus.append(SUSResult(participant: participant, answers: answers, score: score))
            }
        }
        attempts.sort { ($0.startedAt, $0.participant, $0.attempt) < ($1.startedAt, $1.participant, $1.attempt) }

        let includedSet = Set(included)
        var notes: [(NoteEntry, Int)] = []
        for event in events {
            guard case .note(let tag, let text) = event.kind, includedSet.contains(event.participant) else { continue }
            let attempt = event.attempt.flatMap { attemptTask[$0] }
            guard event.attempt == nil || attempt != nil else { continue }
            notes.append((NoteEntry(milliseconds: event.milliseconds, participant: event.participant, attempt: event.attempt,
                                    task: attempt?.task,
                                    secondsIntoAttempt: attempt.map { Double(event.milliseconds - $0.startedAt) / 1000 },
                                    tag: tag, text: text), event.seq))
        }
        notes.sort { ($0.0.milliseconds, $0.0.participant, $0.1) < ($1.0.milliseconds, $1.0.participant, $1.1) }

        self.init(
            studyID: study.id, title: study.title, participants: included,
            tasks: study.tasks.map { task in TaskSummary(task: task, attempts: attempts.filter { $0.task == task.id }) },
            attempts: attempts, unknownTaskAttempts: unknown,
            clickMaps: clickMaps.sorted { $0.key < $1.key }.map { ClickMap(page: $0.key.page, layout: $0.key.layout, points: $0.value) },
            sus: sus, susMean: StudyStatistics.mean(sus.map(\.score)), notes: notes.map(\.0))
    }

    /// The attempt's clicks as dots on the page they were on: the click's own page, else the
    /// participant's latest page view before it.
    static func collectClicks(_ attemptEvents: [StudyEvent], participantLog: [StudyEvent], result: AttemptResult,
                              into maps: inout [ClickMap.Key: [ClickPoint]]) {
        var lastPage: String?
        var logIndex = participantLog.startIndex
        for event in attemptEvents {
            guard case .click(let click) = event.kind else { continue }
            var page = click.page
            if page == nil {
                while logIndex < participantLog.endIndex, participantLog[logIndex].seq < event.seq {
                    if case .pageView(let path) = participantLog[logIndex].kind { lastPage = path }
                    logIndex += 1
                }
                page = lastPage
            }
            let key = ClickMap.Key(page: StudyPath.collapse(page ?? "?"), layout: click.layout)
            maps[key, default: []].append(ClickPoint(
                participant: event.participant, task: result.task, element: click.element, x: click.x, y: click.y,
                viewportWidth: click.viewportWidth, viewportHeight: click.viewportHeight, misclick: !click.interactive))
        }
    }
}

extension ClickMap {
    struct Key: Hashable, Comparable {
        var page: String
        var layout: StudyLayout

        static func < (a: Key, b: Key) -> Bool { (a.page, a.layout) < (b.page, b.layout) }
    }
}

extension TaskSummary {
    /// The task's row from its attempts (finished ones count; running ones are only counted).
    init(task: StudyTask, attempts: [AttemptResult]) {
        let finished = attempts.filter(\.isFinished)
        let successes = finished.filter { $0.outcome?.isSuccess == true }
        let times = successes.compactMap(\.timeOnTask)
        var errors: [StudyErrorKind: Int] = [:]
        for attempt in finished { errors.merge(attempt.errors, uniquingKeysWith: +) }
        let clicks = finished.reduce(0) { $0 + $1.clicks }, misclicks = finished.reduce(0) { $0 + $1.misclicks }
        let seq = finished.compactMap(\.seq).map(Double.init)
        self.init(
            id: task.id, prompt: task.prompt, layout: task.layout, n: finished.count, inProgress: attempts.count - finished.count,
            outcomes: Outcome.allCases.map { outcome in OutcomeCount(outcome: outcome, count: finished.filter { $0.outcome == outcome }.count) },
            successes: successes.count,
            successRate: ConfidenceInterval.adjustedWald(successes: successes.count, trials: finished.count),
            successTimes: times, medianTime: StudyStatistics.median(times), geometricMeanTime: StudyStatistics.geometricMean(times),
            clicks: clicks, misclicks: misclicks, misclickRate: clicks == 0 ? nil : Double(misclicks) / Double(clicks),
            errors: errors.sorted { $0.key < $1.key }.map { ErrorCount(kind: $0.key, count: $0.value) },
            seqAnswers: seq.count, seqMean: StudyStatistics.mean(seq),
            topPaths: StudyStatistics.mostCommon(finished.map(\.path), limit: StudyReport.topPathCount) {
                $0.joined(separator: "\u{1}") < $1.joined(separator: "\u{1}")
            }.map { PathCount(pages: $0.value, count: $0.count) })
    }
}
