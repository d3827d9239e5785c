/// Decides how an attempt ended from its recorded events alone: a pure function, so the live
/// console, the report and an imported log always agree, and a test can state a log and its
/// outcome side by side.
///
/// The rules, in order:
/// 1. `assisted` anywhere in the attempt → assisted (help changes what a success means).
/// 2. The success condition met between 「開始」 and the end → direct success when the path
///    follows one of the task's expected paths, else indirect; but failed (time limit) when it
///    was met only after the time limit.
/// 3. Otherwise, once ended: 「あきらめる」 → gave up; ended by the time limit, or later than it
///    → failed (time limit); else → failed (wrong end state).
/// 4. Otherwise the attempt is still running: no outcome yet.
///
/// A facilitator's `outcome_overridden` does not change the automatic outcome; both are kept.
public enum OutcomeClassifier {
    /// Classifies the events of one attempt (in any order; they are sorted by `seq`). Nil when
    /// they hold no `task_started`.
    public static func classify(_ events: [StudyEvent], task: StudyTask) -> AttemptResult? {
        let events = events.sorted { $0.seq < $1.seq }
        guard let startIndex = events.firstIndex(where: { if case .taskStarted = $0.kind { true } else { false } }),
              case .taskStarted(let study, let taskID) = events[startIndex].kind else { return nil }
        let start = events[startIndex]
        let endIndex = events[(startIndex + 1)...].firstIndex { event in
            switch event.kind {
            case .taskEnded, .gaveUp: true
            default: false
            }
        }
        let window = events[startIndex...(endIndex ?? events.count - 1)]
        let successIndex = window.firstIndex { task.success.isMet(by: $0.kind) }
        let limit = task.timeLimit.map { Int64($0) * 1000 }
        func seconds(_ event: StudyEvent) -> Double { Double(event.milliseconds - start.milliseconds) / 1000 }

        var result = AttemptResult(
            attempt: start.attempt ?? "", participant: start.participant, study: study, task: taskID,
            startedAt: start.milliseconds, automatic: nil, override: nil,
            timeOnTask: successIndex.map { seconds(events[$0]) }, duration: endIndex.map { seconds(events[$0]) },
            path: path(events, start: startIndex, window: window, success: successIndex, task: task),
            clicks: 0, misclicks: 0, errors: [:], seq: nil)

        for event in window {
            if case .click(let click) = event.kind {
                result.clicks += 1
                if !click.interactive { result.misclicks += 1 }
            }
            if let error = event.kind.errorKind { result.errors[error, default: 0] += 1 }
        }
        var assisted = false
        for event in events {
            switch event.kind {
            case .assisted: assisted = true
            case .seqAnswer(let answer): result.seq = answer
            case .outcomeOverridden(let outcome, let reason): result.override = .init(outcome: outcome, reason: reason)
            default: break
            }
        }

        if assisted {
            result.automatic = .assisted
        } else if let successIndex {
            if let limit, events[successIndex].milliseconds - start.milliseconds > limit {
                result.automatic = .failed(.timeLimit)
            } else {
                result.automatic = followsExpectedPath(result.path, task: task) ? .directSuccess : .indirectSuccess
            }
        } else if let endIndex {
            let end = events[endIndex]
            switch end.kind {
            case .gaveUp:
                result.automatic = .gaveUp
            case .taskEnded(.timeLimit):
                result.automatic = .failed(.timeLimit)
            default:
                let late = limit.map { end.milliseconds - start.milliseconds > $0 } ?? false
                result.automatic = .failed(late ? .timeLimit : .wrongEndState)
            }
        }
        return result
    }

    /// The page the participant was on at 「開始」 (the attempt's last page view before it, else
    /// the task's start page, which the server opened), then the page views after it up to the
    /// goal and the page the goal landed on — or up to the end when the goal was not reached.
    ///
    /// The page the goal landed on is the `signed_in` event's own path, else the next page view:
    /// the server records a rule's outcome before the page it leads to is shown. The tool's own
    /// pages (the mailbox) are left out (``StudyPath/isToolPage(_:)``).
    static func path(_ events: [StudyEvent], start: Int, window: ArraySlice<StudyEvent>, success: Int?,
                     task: StudyTask) -> [String] {
        func page(_ event: StudyEvent) -> String? {
            if case .pageView(let path) = event.kind, !StudyPath.isToolPage(path) { StudyPath.collapse(path) } else { nil }
        }
        var pages = [events[..<start].reversed().lazy.compactMap(page).first ?? StudyPath.collapse(task.startPage)]
        if let success {
            pages += events[(start + 1)...success].compactMap(page)
            if case .signedIn(let landing) = events[success].kind {
                pages.append(StudyPath.collapse(landing))
            } else if let landing = events[(success + 1)...].lazy.compactMap(page).first {
                pages.append(landing)
            }
        } else {
            pages += window.dropFirst().compactMap(page)
        }
        return mergingRepeats(pages)
    }

    /// Direct when the path is one of the expected paths, with or without the page the goal
    /// landed on (the server may report the goal before or after that page is shown). A task
    /// without expected paths has no route to leave: every success is direct.
    static func followsExpectedPath(_ path: [String], task: StudyTask) -> Bool {
        guard !task.expectedPaths.isEmpty else { return true }
        let expected = task.expectedPaths.map { mergingRepeats($0.map(StudyPath.collapse)) }
        return expected.contains(path) || (path.count > 1 && expected.contains(Array(path.dropLast())))
    }

    /// `[a, a, b, a]` → `[a, b, a]`: a page shown again in place (a form redisplayed with an
    /// error, a reload) is not a step of the route.
    static func mergingRepeats(_ pages: [String]) -> [String] {
        var merged: [String] = []
        for page in pages where merged.last != page { merged.append(page) }
        return merged
    }
}
