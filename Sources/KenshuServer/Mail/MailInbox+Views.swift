import Foundation
import KenshuMail

/// The web inbox's view models (rendered by `ToolViews` from `mail-*.mustache` inside the shared
/// layout), its stylesheet and its script. The models hold plain text: the templates escape every
/// value, since subjects, names and bodies are whatever a test mail happened to contain.
enum MailInboxView {
    /// The `<meta>` placed first in a mail's HTML inside the sandboxed iframe: no scripts, no remote
    /// images, fonts or styles, only inline styles and embedded (`data:`/`cid:`) images.
    static let mailDocumentPolicy =
        #"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'">"#

    /// Percent-encodes a value for a query string or path segment.
    static func urlComponent(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(0x80)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// The head every inbox page shares: its stylesheet and the script that reloads the list.
    static func layout(title: String, live: String? = nil) -> ToolLayout {
        ToolLayout(title: "\(title) - Kenshu メール", stylesheets: ["/mail/inbox.css"], scripts: ["/mail/inbox.js"], live: live)
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

    /// `mail-list.mustache`: search form, table and pager.
    struct ListPage: ToolViewModel {
        struct Row: Sendable {
            var isRead: Bool
            var from: String
            var to: String
            var link: String
            var subject: String
            var received: String
            var size: String
        }

        var layout = MailInboxView.layout(title: "受信メール", live: "list")
        var query: String
        var total: Int
        var unread: Int
        var rows: [Row]
        /// The page shown, at most the last one.
        var shownPage: Int
        var lastPage: Int
        /// Pager links; nil on the first or last page.
        var previous: String?
        var next: String?

        init(rows: [MaildirStore.Message], query: String, page: Int, total: Int, unread: Int) {
            self.query = query
            self.total = total
            self.unread = unread
            self.rows = rows.map { entry in
                let summary = MIMEMessage.headers(parsing: Array(entry.headerBlock.readableBytesView))
                return Row(isRead: entry.isRead,
                           from: summary.from.isEmpty ? entry.mailFrom : addresses(summary.from),
                           to: summary.to.isEmpty ? entry.recipients.joined(separator: ", ") : addresses(summary.to),
                           link: "/mail/\(urlComponent(entry.id))",
                           subject: summary.subject.isEmpty ? "（件名なし）" : summary.subject,
                           received: timestamp(entry.receivedAt),
                           size: size(entry.size))
            }
            lastPage = max(1, (total + MailInbox.pageSize - 1) / MailInbox.pageSize)
            shownPage = min(page, lastPage)
            let queryPart = query.isEmpty ? "" : "&q=\(urlComponent(query))"
            previous = page > 1 ? "/mail?page=\(page - 1)\(queryPart)" : nil
            next = page < lastPage ? "/mail?page=\(page + 1)\(queryPart)" : nil
        }
    }

    /// `mail-message.mustache`: headers, text, sandboxed HTML, attachments, raw download and delete.
    struct MessagePage: ToolViewModel {
        struct Header: Sendable {
            var name: String
            var value: String
        }

        struct Attachment: Sendable {
            var href: String
            var name: String
            var contentType: String
            var size: String
        }

        var layout: ToolLayout
        var subject: String
        var headers: [Header]
        var rawLink: String
        var deleteAction: String
        /// The mail's HTML behind `mailDocumentPolicy`, as plain text: the template puts it, escaped,
        /// in the sandboxed iframe's `srcdoc`, never into the page itself.
        var srcdoc: String?
        var text: String?
        var hasAttachments: Bool
        var attachments: [Attachment]

        init(entry: MaildirStore.Message, message: MIMEMessage) {
            let id = urlComponent(entry.id)
            subject = message.subject.isEmpty ? "（件名なし）" : message.subject
            layout = MailInboxView.layout(title: subject)
            var headers = [Header(name: "差出人", value: addresses(message.from)), Header(name: "宛先", value: addresses(message.to))]
            if !message.cc.isEmpty { headers.append(Header(name: "Cc", value: addresses(message.cc))) }
            if !message.bcc.isEmpty { headers.append(Header(name: "Bcc", value: addresses(message.bcc))) }
            if !message.replyTo.isEmpty { headers.append(Header(name: "返信先", value: addresses(message.replyTo))) }
            headers.append(Header(name: "件名", value: message.subject))
            headers.append(Header(name: "日付", value: message.date.map(timestamp) ?? ""))
            headers.append(Header(name: "受信日時", value: timestamp(entry.receivedAt)))
            headers.append(Header(name: "エンベロープ送信者", value: entry.mailFrom))
            headers.append(Header(name: "エンベロープ宛先", value: entry.recipients.joined(separator: ", ")))
            headers.append(Header(name: "サイズ", value: size(entry.size)))
            self.headers = headers
            rawLink = "/api/v1/message/\(id)/raw"
            deleteAction = "/mail/\(id)/delete"
            srcdoc = message.html.map { mailDocumentPolicy + $0 }
            text = message.text
            attachments = (message.attachments + message.inline).map { part in
                Attachment(href: "/api/v1/message/\(id)/part/\(urlComponent(part.partID))",
                           name: part.fileName.isEmpty ? "part-\(part.partID)" : part.fileName,
                           contentType: part.contentType, size: size(part.size))
            }
            hasAttachments = !attachments.isEmpty
        }
    }

    /// `mail-delete-all.mustache`: the confirmation step before deleting everything.
    struct DeleteAllPage: ToolViewModel {
        var layout = MailInboxView.layout(title: "すべて削除")
        var count: Int
    }

    /// `mail-error.mustache`: a short error page with the way back to the list.
    static func errorPage(title: String, detail: String) -> ToolErrorPage {
        ToolErrorPage(layout: layout(title: title), heading: title, detail: detail,
                      back: .init(href: "/mail", label: "受信メール一覧へ"))
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
