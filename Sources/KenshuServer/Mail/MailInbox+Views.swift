import Foundation
import KenshuMail

/// The HTML, CSS and script of the web inbox. Every interpolated value goes through `escape`, since
/// subjects, names and bodies are whatever a test mail happened to contain.
enum MailInboxView {
    /// The `<meta>` placed first in a mail's HTML inside the sandboxed iframe: no scripts, no remote
    /// images, fonts or styles, only inline styles and embedded (`data:`/`cid:`) images.
    static let mailDocumentPolicy =
        #"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'">"#

    /// Escapes text for element content and double- or single-quoted attribute values.
    static func escape(_ text: String) -> String { HTMLText.escape(text) }

    /// Percent-encodes a value for a query string or path segment.
    static func urlComponent(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(0x80)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// The frame every page shares.
    static func page(title: String, bodyAttributes: String = "", content: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="ja">
        <head>
        <meta charset="utf-8">
        <meta name="robots" content="noindex">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) - Kenshu メール</title>
        <link rel="stylesheet" href="/mail/inbox.css">
        <script src="/mail/inbox.js" defer></script>
        </head>
        <body\(bodyAttributes)>
        <header class="bar"><a href="/mail">Kenshu メール</a></header>
        <main>
        \(content)
        </main>
        </body>
        </html>
        """
    }

    /// Addresses as `名前 <address>`, comma separated.
    static func addresses(_ list: [MailAddress]) -> String {
        list.map { $0.name.isEmpty ? $0.address : "\($0.name) <\($0.address)>" }.joined(separator: ", ")
    }

    /// Sizes as the inbox shows them (`512 B`, `3.4 KB`, `1.2 MB`).
    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return String(format: "%.1f KB", Double(bytes) / 1024) }
        return String(format: "%.1f MB", Double(bytes) / (1024 * 1024))
    }

    /// Receive times in Japan time, the zone the replicated service works in.
    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "ja_JP")
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
        formatter.dateFormat = "yyyy/MM/dd HH:mm:ss"
        return formatter.string(from: date)
    }

    /// The list page: search form, table and pager.
    static func listPage(rows: [MaildirStore.Message], query: String, page: Int, total: Int, unread: Int) -> String {
        var table = ""
        for entry in rows {
            let summary = MIMEMessage.headers(parsing: Array(entry.headerBlock.readableBytesView))
            let link = "/mail/\(urlComponent(entry.id))"
            let subject = summary.subject.isEmpty ? "（件名なし）" : summary.subject
            let from = summary.from.isEmpty ? entry.mailFrom : addresses(summary.from)
            let to = summary.to.isEmpty ? entry.recipients.joined(separator: ", ") : addresses(summary.to)
            table += """
            <tr class="\(entry.isRead ? "read" : "unread")">
            <td class="mark">\(entry.isRead ? "" : "未読")</td>
            <td>\(escape(from))</td>
            <td>\(escape(to))</td>
            <td><a href="\(escape(link))">\(escape(subject))</a></td>
            <td class="date">\(escape(timestamp(entry.receivedAt)))</td>
            <td class="size">\(escape(size(entry.size)))</td>
            </tr>

            """
        }
        if rows.isEmpty { table = "<tr><td colspan=\"6\" class=\"empty\">メールはありません。</td></tr>\n" }
        let lastPage = max(1, (total + MailInbox.pageSize - 1) / MailInbox.pageSize)
        let queryPart = query.isEmpty ? "" : "&amp;q=\(urlComponent(query))"
        var pager = ""
        if page > 1 { pager += "<a href=\"/mail?page=\(page - 1)\(queryPart)\" rel=\"prev\">前へ</a> " }
        pager += "<span>\(min(page, lastPage)) / \(lastPage) ページ</span>"
        if page < lastPage { pager += " <a href=\"/mail?page=\(page + 1)\(queryPart)\" rel=\"next\">次へ</a>" }
        let content = """
        <h1>受信メール</h1>
        <p class="counts">\(total) 件（未読 \(unread) 件）</p>
        <form class="search" method="get" action="/mail" role="search">
        <label for="q">検索</label>
        <input type="search" id="q" name="q" value="\(escape(query))" placeholder="to:taro@example.jp subject:認証 is:unread">
        <button type="submit">検索</button>
        </form>
        <p class="actions"><a href="/mail/delete-all">すべて削除…</a></p>
        <table class="messages">
        <thead><tr><th>未読</th><th>差出人</th><th>宛先</th><th>件名</th><th>受信日時</th><th>サイズ</th></tr></thead>
        <tbody>
        \(table)</tbody>
        </table>
        <nav class="pager">\(pager)</nav>
        """
        return self.page(title: "受信メール", bodyAttributes: " data-live=\"list\"", content: content)
    }

    /// One message: headers, text, sandboxed HTML, attachments, raw download and delete.
    static func messagePage(entry: MaildirStore.Message, message: MIMEMessage) -> String {
        let id = urlComponent(entry.id)
        let subject = message.subject.isEmpty ? "（件名なし）" : message.subject
        var headerRows = [
            ("差出人", addresses(message.from)),
            ("宛先", addresses(message.to)),
        ]
        if !message.cc.isEmpty { headerRows.append(("Cc", addresses(message.cc))) }
        if !message.bcc.isEmpty { headerRows.append(("Bcc", addresses(message.bcc))) }
        if !message.replyTo.isEmpty { headerRows.append(("返信先", addresses(message.replyTo))) }
        headerRows.append(("件名", message.subject))
        headerRows.append(("日付", message.date.map(timestamp) ?? ""))
        headerRows.append(("受信日時", timestamp(entry.receivedAt)))
        headerRows.append(("エンベロープ送信者", entry.mailFrom))
        headerRows.append(("エンベロープ宛先", entry.recipients.joined(separator: ", ")))
        headerRows.append(("サイズ", size(entry.size)))
        let headerTable = headerRows.map { "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>" }
            .joined(separator: "\n")
        var sections = ""
        if let html = message.html {
            sections += """
            <section><h2>HTML 本文</h2>
            <iframe class="mail-html" title="HTML 本文" sandbox="" referrerpolicy="no-referrer" srcdoc="\(escape(mailDocumentPolicy + html))"></iframe>
            </section>

            """
        }
        if let text = message.text {
            sections += "<section><h2>テキスト本文</h2>\n<pre class=\"mail-text\">\(escape(text))</pre>\n</section>\n"
        }
        let parts = message.attachments + message.inline
        if !parts.isEmpty {
            let items = parts.map { part in
                let name = part.fileName.isEmpty ? "part-\(part.partID)" : part.fileName
                let href = "/api/v1/message/\(id)/part/\(urlComponent(part.partID))"
                return "<li><a href=\"\(escape(href))\">\(escape(name))</a> (\(escape(part.contentType)), \(escape(size(part.size))))</li>"
            }.joined(separator: "\n")
            sections += "<section><h2>添付ファイル</h2>\n<ul class=\"attachments\">\n\(items)\n</ul>\n</section>\n"
        }
        let content = """
        <p><a href="/mail">← 受信メール一覧へ</a></p>
        <h1>\(escape(subject))</h1>
        <table class="headers">
        \(headerTable)
        </table>
        <p class="actions">
        <a href="/api/v1/message/\(id)/raw?download=1">元のメール (.eml) をダウンロード</a>
        <a href="/api/v1/message/\(id)/raw">ソースを表示</a>
        </p>
        <form method="post" action="/mail/\(id)/delete"><button type="submit">このメールを削除</button></form>
        \(sections)
        """
        return page(title: subject, content: content)
    }

    /// The confirmation step before deleting everything.
    static func confirmDeleteAllPage(count: Int) -> String {
        let content = """
        <h1>すべてのメールを削除</h1>
        <p>\(count) 件のメールをすべて削除します。元に戻せません。</p>
        <form method="post" action="/mail/delete-all">
        <input type="hidden" name="confirm" value="yes">
        <button type="submit">すべて削除する</button>
        <a href="/mail">キャンセル</a>
        </form>
        """
        return page(title: "すべて削除", content: content)
    }

    /// A short error page.
    static func errorPage(title: String, detail: String) -> String {
        page(title: title, content: "<h1>\(escape(title))</h1>\n<p>\(escape(detail))</p>\n<p><a href=\"/mail\">受信メール一覧へ</a></p>")
    }

    /// The inbox stylesheet, served from `/mail/inbox.css` so pages need no inline styles.
    static let stylesheet = """
    body{font-family:"Noto Sans CJK JP","Noto Sans JP","Hiragino Kaku Gothic ProN","Hiragino Sans",Meiryo,system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
    .bar{background:#234;padding:.6em 1em}.bar a{color:#fff;text-decoration:none;font-weight:bold}
    main{padding:1em;max-width:80em;margin:auto}
    table{border-collapse:collapse;width:100%;background:#fff}
    th,td{border-bottom:1px solid #ddd;padding:.4em .5em;text-align:left;vertical-align:top;overflow-wrap:anywhere}
    tr.unread{font-weight:bold}.mark{color:#c00;white-space:nowrap}
    .date,.size{white-space:nowrap}.empty{text-align:center;color:#777}
    .search{margin:1em 0}.search input{width:30em;max-width:70%}
    .headers th{width:10em;background:#f0f0f0}
    pre.mail-text{white-space:pre-wrap;background:#fff;border:1px solid #ddd;padding:1em}
    iframe.mail-html{width:100%;height:40em;border:1px solid #ddd;background:#fff}
    .actions a{margin-right:1em}.pager{margin:1em 0}
    """

    /// Reloads the list when mail arrives or changes; pages work the same without it.
    static let script = BrowserEventsScript.client + """
    (function () {
      "use strict";
      if (document.body.dataset.live !== "list") { return; }
      var reload = function () { window.location.reload(); };
      kenshuEvents.on("mail-added", reload);
      kenshuEvents.on("mail-deleted", reload);
    })();
    """
}
