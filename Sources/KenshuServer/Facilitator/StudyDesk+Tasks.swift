import Foundation
import KenshuAccounts
import KenshuStudies

/// The steps of a study session, each a transition of `StudyProgress` recorded in the log: the
/// facilitator prepares a task, the participant starts and ends it and answers the
/// questionnaires, the facilitator adds what only a person sees.
extension StudyDesk {
    /// What the participant's browser needs when 「開始」 opens the task.
    struct Opening: Sendable {
        var page: String
        /// A MyPage session made for a task that starts signed in.
        var session: Session?
    }

    /// Prepares a task in one step: a running attempt ends (by the facilitator), the account is
    /// put into the task's start state (its mail cleared when the task says so), and
    /// `task_prepared` names the new attempt. Returns the account's e-mail when mail is to be
    /// cleared (the caller deletes it: the mail store is asynchronous).
    func prepare(participant: String, taskID: String) throws -> (attempt: StudyEvent, clearMailOf: String?) {
        guard let studyParticipant = try store.participant(id: participant) else { throw StudyDeskError.unknownParticipant(participant) }
        guard let (study, task) = try studies().lazy.compactMap({ study in study.task(taskID).map { (study, $0) } }).first else {
            throw StudyDeskError.unknownTask(taskID)
        }
        guard case .participant = task.start.account else {
            if case .email(let email) = task.start.account { throw StudyDeskError.fixtureAccount(email) }
            throw StudyDeskError.unknownTask(taskID)
        }
        guard let accounts = accounts() else { throw StudyDeskError.accountsClosed }
        guard let account = studyParticipant.account, let classroom = try accounts.participant(id: account) else {
            throw StudyDeskError.notNow("参加者 \(participant) のアカウントがありません（クラスの画面で削除されました）。参加者を作り直してください。")
        }
        let current = try progress(participant)
        if let running = current.runningAttempt {
            try record(.taskEnded(by: .facilitator), participant: participant, attempt: running)
        }
        // The session for a signed-in start is made at 「開始」, so it is as fresh as the task.
        try accounts.prepareParticipant(id: classroom.id, state: Self.accountState(task.start.state))
        let event = try prepared(participant: participant, study: study.id, task: task.id)
        return (event, task.start.clearMail ? classroom.email : nil)
    }

    /// 「開始」: the clock starts; a task that begins signed in gets its session now.
    func start(participant: String) throws -> Opening {
        let current = try progress(participant)
        guard current.state == .prepared, let attempt = current.attempt,
              let study = current.study, let taskID = current.task, let task = try task(study: study, task: taskID) else {
            throw StudyDeskError.notNow("開始できる課題がありません。")
        }
        var session: Session?
        if task.start.signedIn, let accounts = accounts(),
           let account = try store.participant(id: participant)?.account {
            session = try accounts.prepareParticipant(id: account, state: Self.accountState(task.start.state), signedIn: true)
        }
        try record(.taskStarted(study: study, task: taskID), participant: participant, attempt: attempt)
        return Opening(page: "/" + task.startPage, session: session)
    }

    static func accountState(_ state: StartState.AccountState) -> ParticipantTaskState {
        switch state {
        case .fresh: .fresh
        case .wrongAttempts(let count): .wrongAttempts(count)
        case .withdrawn(let days): .withdrawn(daysAgo: days)
        case .linked: .linkedWithMynaPortal
        }
    }

    /// 「できた」 (by the participant), the facilitator's 終了, or 「あきらめる」; only for the
    /// attempt that runs (a page left open on an older attempt changes nothing).
    func end(participant: String, attempt: String?, by ender: StudyEvent.TaskEnder?) throws {
        let current = try progress(participant)
        guard let running = current.runningAttempt, attempt == nil || attempt == running else { return }
        try record(ender.map { .taskEnded(by: $0) } ?? .gaveUp, participant: participant, attempt: running)
    }

    /// The Single Ease Question's answer for the attempt that just ended.
    func answerSEQ(participant: String, answer: Int) throws {
        let current = try progress(participant)
        guard current.state == .rating, let attempt = current.attempt else { throw StudyDeskError.notNow("いま答える質問はありません。") }
        try record(.seqAnswer(answer), participant: participant, attempt: attempt)
    }

    func answerSUS(participant: String, answers: [Int]) throws {
        guard try progress(participant).state == .sus else { throw StudyDeskError.notNow("いま答える質問はありません。") }
        try record(.susAnswers(answers), participant: participant, attempt: nil)
    }

    /// A facilitator's note, timed when they began writing it (not when they pressed Enter),
    /// on the attempt that is prepared, runs or has just ended.
    func note(participant: String, tag: StudyEvent.NoteTag, text: String, at time: Date?) throws {
        try record(.note(tag: tag, text: text), participant: participant, attempt: currentAttempt(participant), at: time)
    }

    /// The facilitator helped: the attempt counts as assisted whatever happens after.
    func assisted(participant: String) throws {
        guard let attempt = try currentAttempt(participant) else { throw StudyDeskError.notNow("補助を記録できる課題がありません。") }
        try record(.assisted, participant: participant, attempt: attempt)
    }

    /// The facilitator's outcome for an attempt, with the reason; the automatic one stays beside it.
    func override(participant: String, attempt: String, outcome: Outcome, reason: String) throws {
        guard attempt.hasPrefix(participant + "-"),
              try store.events(participant: participant, attempt: attempt).contains(where: {
                  if case .taskStarted = $0.kind { true } else { false } })
        else { throw StudyDeskError.notNow("試行 \(attempt) は \(participant) の試行ではありません。") }
        try record(.outcomeOverridden(outcome: outcome, reason: reason), participant: participant, attempt: attempt)
    }

    /// The attempt a note or help belongs to: the prepared, running or just-ended one.
    func currentAttempt(_ participant: String) throws -> String? {
        let current = try progress(participant)
        return [.prepared, .running, .rating].contains(current.state) ? current.attempt : nil
    }
}
