import Foundation
import KenshuAccounts
import KenshuSite
import KenshuStudies

/// The view model of `facilitator-console.mustache`: every participant and where they stand.
struct ConsolePage: ToolViewModel {
    var layout = ToolLayout(title: "ファシリテーター — Kenshu", inlineStyle: FacilitatorStyle.css)
    var csrf: String
    var hasNotice: Bool
    var notice: String
    var rows: [Row]
    var hasRows: Bool
    var seekers: [Seeker]
    var studies: [StudyLink]
    var studyError: String
    var hasStudyError: Bool

    struct Row: Sendable { var id: String; var account: String; var state: String; var page: String; var task: String }
    struct Seeker: Sendable { var id: String; var label: String }
    struct StudyLink: Sendable { var id: String; var title: String; var tasks: Int }

    init(desk: StudyDesk, seekers: [AccountSeed], csrf: String, notice: String?) throws {
        self.csrf = csrf
        hasNotice = notice != nil
        self.notice = notice.map(ParticipantConsolePage.noticeText) ?? ""
        let accounts = desk.accounts()
        rows = try desk.store.participants().map { participant in
            let progress = try desk.progress(participant.id)
            let email = try participant.account.flatMap { try accounts?.participant(id: $0)?.email } ?? "—"
            return Row(id: participant.id, account: email, state: StudyEventText.stateLabel(progress.state),
                       page: progress.page ?? "", task: progress.task ?? "")
        }
        hasRows = !rows.isEmpty
        var seen = Set<String>()
        self.seekers = seekers.compactMap { seed in
            guard seen.insert(seed.seekerID).inserted else { return nil }
            return Seeker(id: seed.seekerID, label: "\(seed.name)（\(seed.seekerID)）")
        }
        do {
            studies = try desk.studies().map { StudyLink(id: $0.id, title: $0.title, tasks: $0.tasks.count) }
            studyError = ""
        } catch {
            studies = []
            studyError = "\(error)"
        }
        hasStudyError = !studyError.isEmpty
    }
}

/// The view model of `facilitator-participant.mustache`: one participant, live.
struct ParticipantConsolePage: ToolViewModel {
    var layout: ToolLayout
    var id: String
    var csrf: String
    var hasNotice: Bool
    var notice: String
    var account: String
    var initialPassword: String
    var joinURL: String
    var joinQR: String
    var state: String
    var stateLabel: String
    var page: String
    var attempt: String
    var isRunning: Bool
    var canAssist: Bool
    var tasks: [TaskRow]
    var attempts: [AttemptRow]
    var hasAttempts: Bool
    var outcomes: [OutcomeOption]
    var events: [LiveAnswer.Line]
    var tags: [TagOption]

    struct TaskRow: Sendable { var taskID: String; var study: String; var prompt: String; var layout: String; var done: String; var isCurrent: Bool }
    struct AttemptRow: Sendable { var attempt: String; var task: String; var automatic: String; var override: String; var seconds: String; var misclicks: Int; var errors: String; var seq: String }
    struct OutcomeOption: Sendable { var code: String; var label: String }
    struct TagOption: Sendable { var value: String; var label: String; var key: Int; var checked: Bool }

    init?(desk: StudyDesk, id: String, csrf: String, joinBase: String, notice: String?) throws {
        guard let participant = try desk.store.participant(id: id) else { return nil }
        let progress = try desk.progress(id)
        let last = try desk.store.events(participant: id)
        layout = ToolLayout(title: "\(id) — ファシリテーター — Kenshu", inlineStyle: FacilitatorStyle.css,
                            scripts: ["/facilitator/assets/facilitator.js"],
                            bodyData: [DataAttribute(name: "facilitator-participant", value: id),
                                       DataAttribute(name: "after", value: String(last.last?.seq ?? 0)),
                                       DataAttribute(name: "csrf", value: csrf),
                                       DataAttribute(name: "state", value: progress.state.rawValue)])
        self.id = id
        self.csrf = csrf
        hasNotice = notice != nil
        self.notice = notice.map(Self.noticeText) ?? ""
        let card = try participant.account.flatMap { try desk.accounts()?.card(for: $0) }
        account = card?.email ?? "（アカウントなし）"
        initialPassword = card?.initialPassword ?? ""
        joinURL = card.map { "\(joinBase)/join/\($0.secret)?to=study" } ?? ""
        joinQR = joinURL.isEmpty ? "" : ((try? QRCode(encoding: joinURL).svg(label: "参加者の画面を開く QR コード")) ?? "")
        state = progress.state.rawValue
        stateLabel = StudyEventText.stateLabel(progress.state)
        page = progress.page ?? "—"
        attempt = progress.attempt ?? ""
        isRunning = progress.state == .running
        canAssist = [.prepared, .running, .rating].contains(progress.state)

        let studies = (try? desk.studies()) ?? []
        var results: [AttemptResult] = []
        for study in studies {
            results += StudyReport(study: study, events: last, participants: [participant]).attempts
        }
        tasks = studies.flatMap { study in
            study.tasks.map { task in
                let done = results.filter { $0.study == study.id && $0.task == task.id }
                    .map { $0.override?.outcome ?? $0.automatic }.map { $0.map(StudyReportPage.label) ?? "実施中" }
                return TaskRow(taskID: task.id, study: study.title, prompt: task.prompt, layout: StudyReportPage.label(task.layout),
                               done: done.joined(separator: "、"), isCurrent: progress.task == task.id && progress.study == study.id)
            }
        }
        attempts = results.map { result in
            AttemptRow(attempt: result.attempt, task: result.task,
                       automatic: result.automatic.map(StudyReportPage.label) ?? "実施中",
                       override: result.override.map { "\(StudyReportPage.label($0.outcome))（\($0.reason)）" } ?? "",
                       seconds: result.timeOnTask.map { StudyReportPage.number($0) + " 秒" } ?? "—",
                       misclicks: result.misclicks,
                       errors: result.errors.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: "、"),
                       seq: result.seq.map(String.init) ?? "—")
        }
        hasAttempts = !attempts.isEmpty
        outcomes = Outcome.allCases.map { OutcomeOption(code: $0.code, label: StudyReportPage.label($0)) }
        events = last.suffix(100).reversed().map(LiveAnswer.Line.init)
        tags = StudyEvent.NoteTag.allCases.enumerated().map {
            TagOption(value: $0.element.rawValue, label: StudyReportPage.label($0.element), key: $0.offset + 1, checked: $0.offset == 0)
        }
    }

    static func noticeText(_ code: String) -> String {
        switch code {
        case "prepared": "課題を準備しました。参加者の画面に課題と「開始」が表示されます。"
        case "noted": "メモを追加しました。"
        case "assisted": "補助ありを記録しました。"
        case "ended": "課題を終了しました。"
        case "sus": "SUS の回答を依頼しました。"
        case "overridden": "結果を変更しました（自動判定も残っています）。"
        case "deleted": "参加者とそのすべての記録を削除しました。"
        default: "完了しました。"
        }
    }
}

/// What `live.json` answers: where the participant is and the events after the page's last.
struct LiveAnswer: Encodable, Sendable {
    var state: String
    var stateLabel: String
    var attempt: String?
    var page: String?
    var startedMs: Int64?
    var after: Int
    var events: [Line]

    struct Line: Encodable, Sendable {
        var seq: Int
        var time: String
        var clock: String
        var type: String
        var label: String
        var detail: String

        init(_ event: StudyEvent) {
            seq = event.seq
            time = EventTime.iso(milliseconds: event.milliseconds)
            clock = StudyEventText.clock(event.time)
            type = event.kind.name
            label = StudyEventText.label(event.kind)
            detail = StudyEventText.detail(event.kind)
        }
    }

    enum CodingKeys: String, CodingKey {
        case state, stateLabel = "state_label", attempt, page, startedMs = "started_ms", after, events
    }

    init(desk: StudyDesk, participant: String, after: Int) throws {
        let progress = try desk.progress(participant)
        let new = try desk.store.events(participant: participant, after: after)
        state = progress.state.rawValue
        stateLabel = StudyEventText.stateLabel(progress.state)
        attempt = progress.attempt
        page = progress.page
        startedMs = progress.startedAt
        self.after = new.last?.seq ?? after
        events = new.map(Line.init)
    }
}

/// The console's few styles (the tool pages' policy allows inline styles, not inline script).
enum FacilitatorStyle {
    static let css: StaticString = """
        body { font-family: "Noto Sans CJK JP", system-ui, sans-serif; margin: 1.5rem; color: #111; line-height: 1.6; }
        table { border-collapse: collapse; margin: .5rem 0 1rem; }
        th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
        .notice { background: #e8f5e9; padding: .5rem; }
        .warning { background: #fff3cd; padding: .5rem; }
        .live { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
        .current { background: #fff8e1; }
        .inline { display: inline; }
        .columns { display: flex; flex-wrap: wrap; gap: 2rem; }
        .columns > section { flex: 1 1 28rem; min-width: 0; }
        .join-qr svg { width: 9rem; height: auto; }
        .prompt { max-width: 36rem; font-size: .9rem; }
        #events td { font-size: .9rem; }
        kbd { border: 1px solid #999; border-radius: 3px; padding: 0 .25rem; font-size: .85em; }
        """
}
