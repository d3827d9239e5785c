import Foundation
import KenshuStudies

/// How the console names an event: a short label and a detail line, in Japanese. Field names
/// and element descriptions only; events never hold what anyone typed.
enum StudyEventText {
    static func label(_ kind: StudyEvent.Kind) -> String {
        switch kind {
        case .taskPrepared: "課題を準備"
        case .taskStarted: "開始"
        case .taskEnded(let by):
            switch by {
            case .participant: "できた"
            case .facilitator: "ファシリテーターが終了"
            case .timeLimit: "時間切れ"
            }
        case .gaveUp: "あきらめる"
        case .pageView: "画面"
        case .click(let click): click.interactive ? "クリック" : "誤クリック"
        case .formSubmitted: "送信"
        case .loginFailed: "ログイン失敗"
        case .accountLocked: "アカウントロック"
        case .keyMismatch: "認証キー不一致"
        case .keyExpired: "認証キー期限切れ"
        case .policyError: "入力エラー"
        case .passwordResetCompleted: "パスワード再登録完了"
        case .signedIn: "ログイン"
        case .signedOut: "ログアウト"
        case .mynaLinked: "マイナポータル連携"
        case .mynaUnlinked: "マイナポータル連携解除"
        case .note(let tag, _): "メモ（\(tagLabel(tag))）"
        case .assisted: "補助あり"
        case .seqAnswer: "SEQ 回答"
        case .susRequested: "SUS を依頼"
        case .susAnswers: "SUS 回答"
        case .outcomeOverridden: "結果を変更"
        }
    }

    static func detail(_ kind: StudyEvent.Kind) -> String {
        switch kind {
        case .taskPrepared(_, let task), .taskStarted(_, let task): task
        case .pageView(let path), .signedIn(let path): path
        case .click(let click): "\(click.element) (\(click.x), \(click.y)) \(click.viewportWidth)px" + (click.page.map { " \($0)" } ?? "")
        case .formSubmitted(let form, let fields):
            form + " " + fields.map { "\($0.name)\($0.valid ? "" : "✗")" }.joined(separator: " ")
        case .policyError(let field): field
        case .note(_, let text): text
        case .seqAnswer(let answer): "\(answer) / 7"
        case .susAnswers(let answers):
            StudyStatistics.susScore(answers).map { "スコア \(StudyReportPage.number($0))" } ?? ""
        case .outcomeOverridden(let outcome, let reason): "\(StudyReportPage.label(outcome))：\(reason)"
        default: ""
        }
    }

    static func tagLabel(_ tag: StudyEvent.NoteTag) -> String { StudyReportPage.label(tag) }

    static func stateLabel(_ state: StudyProgress.State) -> String {
        switch state {
        case .idle: "待機中"
        case .prepared: "準備済み（開始待ち）"
        case .running: "実施中"
        case .rating: "SEQ 回答待ち"
        case .sus: "SUS 回答待ち"
        case .finished: "終了"
        }
    }

    /// `12:03:45` in the machine's time zone (the facilitator's clock).
    static func clock(_ date: Date) -> String {
        let c = Calendar.current.dateComponents([.hour, .minute, .second], from: date)
        return String(format: "%02d:%02d:%02d", c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}
