import Foundation
import KenshuAccounts
import KenshuSite

/// The trainer console's view models (rendered by `ToolViews` from `trainer-*.mustache` inside the
/// shared layout) and its stylesheet. The models hold plain text; the templates escape it.
enum TrainerConsoleView {
    /// The console's head: its own inline stylesheet, no script.
    static let layout = ToolLayout(title: "トレーナー画面 — Kenshu", inlineStyle: stylesheet)

    /// `trainer-console.mustache`: every account and its operations, the clock, the reset.
    struct ConsolePage: ToolViewModel {
        struct Account: Sendable {
            var email: String
            var initialPassword: String
            var name: String
            var state: String
            var failedAttempts: Int
            var link: String
            var lastLogin: String
            var canUnlock: Bool
            var canWithdraw: Bool
            var canUnlink: Bool
            /// Stored, not computed: Mustache reads view models through `Mirror`, which sees stored properties only.
            var hasOperations: Bool
        }

        var layout = TrainerConsoleView.layout
        var csrf: String
        var notice: String?
        var accounts: [Account]
        var now: String
        var offsetMinutes: Int

        init(summaries: [AccountSummary], initialPasswords: [String: String], now: Date, offset: TimeInterval,
             csrf: String, notice: String?) {
            self.csrf = csrf
            self.notice = notice.flatMap(noticeText)
            accounts = summaries.map { account in
                let canUnlock = account.state == .locked, canWithdraw = account.state == .active
                let canUnlink = account.linkedResidentID != nil
                return Account(email: account.email,
                               initialPassword: initialPasswords[account.email.lowercased()] ?? "—",
                               name: account.name,
                               state: stateLabel(account.state),
                               failedAttempts: account.failedAttempts,
                               link: account.linkedResidentID == nil ? "なし" : "連携中",
                               lastLogin: account.lastLogin.map(JapaneseDate.manualMinute) ?? "—",
                               canUnlock: canUnlock, canWithdraw: canWithdraw, canUnlink: canUnlink,
                               hasOperations: canUnlock || canWithdraw || canUnlink)
            }
            self.now = JapaneseDate.manualMinute(now)
            offsetMinutes = Int(offset / 60)
        }
    }

    /// `trainer-refusal.mustache` (with the token form) or `error.mustache` (from another machine
    /// when the server has no token): the page another machine gets instead of the console.
    static func refusal(askForToken: Bool) -> (template: ToolViews.Template, page: ToolErrorPage) {
        let detail = askForToken
            ? "このサーバーの外からトレーナー画面を開くには、起動時に表示されたトークンが必要です。"
            : "トレーナー画面は、このサーバーを動かしているコンピューター（127.0.0.1）からのみ開けます。"
        return (askForToken ? .trainerRefusal : .error, ToolErrorPage(layout: layout, heading: "トレーナー画面", detail: detail))
    }

    static func stateLabel(_ state: AccountState) -> String {
        switch state {
        case .active: "有効"
        case .locked: "ロック中"
        case .withdrawn(let days): "退会済み（\(days)日前）"
        }
    }

    static func noticeText(_ code: String) -> String? {
        switch code {
        case "unlocked": "ロックを解除しました。"
        case "unlinked": "ハローワーク側の連携を削除しました。"
        case "withdrawn": "退会させました（今日から30日以内ならアカウントを再登録できます。再登録すると、以前のマイナポータル連携は使えません）。"
        case "advanced": "時計を進めました。"
        case "reset": "すべて初期状態に戻しました。"
        default: nil
        }
    }

    /// Inline in the page (`ToolLayout.inlineStyle`), as the console always had it: no second route
    /// to serve, and a refused machine's page is styled too.
    static let stylesheet: StaticString = """
        body { font-family: "Noto Sans CJK JP", "Hiragino Sans", Meiryo, sans-serif; margin: 0; color: #1a1a1a; line-height: 1.6; }
        header { display: flex; justify-content: space-between; align-items: center; padding: .6rem 1rem; background: #263238; color: #fff; flex-wrap: wrap; }
        header a { color: #fff; margin-left: 1rem; }
        .product { margin: 0; font-weight: 700; }
        main { padding: 1rem; max-width: 72rem; margin: 0 auto; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
        th, td { border: 1px solid #b0bec5; padding: .4rem .5rem; text-align: left; vertical-align: top; }
        thead th { background: #eceff1; }
        .operations form { display: inline-block; margin: 0 .3rem .3rem 0; }
        .operations button, .date, .name { white-space: nowrap; }
        .table-scroll { overflow-x: auto; }
        button { font: inherit; padding: .3rem .8rem; cursor: pointer; }
        .danger { border: 2px solid #b3261e; color: #b3261e; background: #fff; }
        .notice { padding: .5rem .8rem; background: #e8f5e9; border-left: 4px solid #2e7d32; }
        @media (max-width: 1023px) {
          table, thead, tbody, tr, th, td { display: block; }
          thead { display: none; }
          tr { margin-bottom: .8rem; border: 1px solid #b0bec5; }
          th, td { border-width: 0 0 1px; }
          th[scope="row"] { background: #eceff1; }
          /* Stacked cells name their column, which the hidden header row no longer does. */
          td { display: grid; grid-template-columns: 9.5em 1fr; gap: .5rem; }
          td::before { content: attr(data-label); color: #455a64; font-size: .875rem; }
          td.operations:empty { display: none; }
          .date, .name, .operations button { white-space: normal; }
        }
        """
}
