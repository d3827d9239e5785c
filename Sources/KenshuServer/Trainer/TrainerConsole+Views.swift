import Foundation
import KenshuAccounts

/// The trainer console's HTML. Every value goes through `HTMLText.escape`.
enum TrainerConsoleView {
    static func page(summaries: [AccountSummary], initialPasswords: [String: String], now: Date, offset: TimeInterval,
                     csrf: String, notice: String?) -> String {
        let e = HTMLText.escape
        let hidden = #"<input type="hidden" name="csrf_token" value="\#(e(csrf))">"#
        let rows = summaries.map { account -> String in
            var operations: [String] = []
            if account.state == .locked {
                operations.append(#"<form method="post" action="/trainer/unlock">\#(hidden)<input type="hidden" name="email" value="\#(e(account.email))"><button type="submit">ロック解除</button></form>"#)
            }
            if account.state == .active {
                operations.append(#"<form method="post" action="/trainer/withdraw">\#(hidden)<input type="hidden" name="email" value="\#(e(account.email))"><button type="submit">退会させる</button></form>"#)
            }
            if account.linkedResidentID != nil {
                operations.append(#"<form method="post" action="/trainer/unlink">\#(hidden)<input type="hidden" name="email" value="\#(e(account.email))"><button type="submit">ハローワーク側の連携を削除</button></form>"#)
            }
            return """
                <tr>
                  <th scope="row">\(e(account.email))</th>
                  <td data-label="初期パスワード"><code>\(e(initialPasswords[account.email.lowercased()] ?? "—"))</code></td>
                  <td data-label="氏名" class="name">\(e(account.name))</td>
                  <td data-label="状態">\(e(stateLabel(account.state)))</td>
                  <td data-label="連続失敗">\(account.failedAttempts)</td>
                  <td data-label="マイナポータル連携">\(account.linkedResidentID == nil ? "なし" : "連携中")</td>
                  <td data-label="前回のログイン日時" class="date">\(account.lastLogin.map { e(JapanTime.japaneseMinute($0)) } ?? "—")</td>
                  <td data-label="操作" class="operations">\(operations.isEmpty ? "" : "<div>\(operations.joined())</div>")</td>
                </tr>
                """
        }.joined(separator: "\n")
        let offsetMinutes = Int(offset / 60)
        let noticeHTML = notice.flatMap(noticeText).map { #"<p class="notice" role="status">\#(e($0))</p>"# } ?? ""
        return """
            <!doctype html>
            <html lang="ja">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex"><title>トレーナー画面 — Kenshu</title>
            <style>\(stylesheet)</style></head>
            <body>
            <header><p class="product">Kenshu</p><nav aria-label="トレーナーのメニュー"><a href="/mail">受信箱（メール）</a> <a href="/">画面一覧</a></nav></header>
            <main id="main">
            <h1>トレーナー画面</h1>
            \(noticeHTML)
            <section aria-labelledby="accounts-title">
            <h2 id="accounts-title">アカウント</h2>
            <p>初期パスワードは fixtures（Content/fixtures/seekers.yaml）のものです。パスワード再登録で変えた後も、「すべて初期状態に戻す」で元に戻ります。</p>
            <div class="table-scroll">
            <table>
            <thead><tr><th scope="col">ID（メールアドレス）</th><th scope="col">初期パスワード</th><th scope="col">氏名</th><th scope="col">状態</th><th scope="col">連続失敗</th><th scope="col">マイナポータル連携</th><th scope="col">前回のログイン日時</th><th scope="col">操作</th></tr></thead>
            <tbody>
            \(rows)
            </tbody>
            </table>
            </div>
            </section>
            <section aria-labelledby="clock-title">
            <h2 id="clock-title">時計</h2>
            <p>模擬時刻: <strong>\(e(JapanTime.japaneseMinute(now)))</strong>（実際の時刻より \(offsetMinutes) 分進んでいます）</p>
            <p>認証キーはメール配信から50分で無効になります。期限切れを見せるには、時計を51分進めてください。</p>
            <form method="post" action="/trainer/advance">\(hidden)
            <label for="minutes">進める分数</label> <input id="minutes" name="minutes" type="number" min="1" value="51" inputmode="numeric">
            <button type="submit">時計を進める</button></form>
            </section>
            <section aria-labelledby="reset-title">
            <h2 id="reset-title">すべて初期状態に戻す</h2>
            <p>アカウント、ロック、認証キー、マイナポータル連携、ログイン中のセッション、時計を fixtures の状態に戻します（受信箱のメールは残ります）。</p>
            <form method="post" action="/trainer/reset">\(hidden)<button type="submit" class="danger">すべて初期状態に戻す</button></form>
            </section>
            </main>
            </body>
            </html>
            """
    }

    static func refusal(askForToken: Bool) -> String {
        let detail = askForToken
            ? #"<p>このサーバーの外からトレーナー画面を開くには、起動時に表示されたトークンが必要です。</p><form method="get" action="/trainer"><label for="token">トークン</label> <input id="token" name="token" type="password" autocomplete="off"> <button type="submit">開く</button></form>"#
            : "<p>トレーナー画面は、このサーバーを動かしているコンピューター（127.0.0.1）からのみ開けます。</p>"
        return """
            <!doctype html>
            <html lang="ja"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>トレーナー画面 — Kenshu</title><style>\(stylesheet)</style></head>
            <body><main id="main"><h1>トレーナー画面</h1>\(detail)</main></body></html>
            """
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

    static let stylesheet = """
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
