import Foundation
import KenshuAccounts
import KenshuMail
import Testing

@testable import KenshuServer

/// The tool's own pages from the shipped Mustache templates: one layout, every value escaped, and a
/// missing or broken template an error at load instead of a blank page.
struct ToolViewsTests {
    let views: ToolViews

    init() throws {
        views = try ToolViews(directory: ToolViews.bundledDirectory)
    }

    /// A mail whose subject, sender and body try to break out of the markup.
    static let hostileMail = """
        To: "Quote \\" Name" <quote@example.jp>\r
        Subject: <script>x</script>\r
        Content-Type: text/plain; charset=UTF-8\r
        \r
        </pre><b>bold</b> & 'single'\r

        """

    static let summary = AccountSummary(email: #"o"neil<b>@example.jp"#, name: "<i>名前</i>", seekerID: "1",
                                        state: .locked, failedAttempts: 5, linkedResidentID: "r1", lastLogin: nil)

    /// Everything up to `<title>`: the layout's part of the head.
    func head(_ html: String) throws -> Substring {
        html[..<(try #require(html.range(of: "<title>"))).lowerBound]
    }

    @Test func everyPageHasTheSharedLayout() async throws {
        let mailbox = try await MailTestMailbox.make()
        defer { mailbox.remove() }
        let id = try await mailbox.deliver(MailTestMailbox.utf8Mail)
        let entry = try #require(mailbox.store.message(id: id))
        let raw = try #require(try await mailbox.store.rawMessage(id: id))
        let pages = [
            views.render(.mailList, MailInboxView.ListPage(rows: [entry], query: "", page: 1, total: 1, unread: 1)),
            views.render(.mailMessage, MailInboxView.MessagePage(entry: entry, message: MIMEMessage(parsing: Array(raw.readableBytesView)))),
            views.render(.mailDeleteAll, MailInboxView.DeleteAllPage(count: 1)),
            views.render(.mailError, MailInboxView.errorPage(title: "t", detail: "d")),
            views.render(.trainerConsole, TrainerConsoleView.ConsolePage(summaries: [Self.summary], initialPasswords: [:], now: Date(),
                                                                         offset: 0, csrf: "c", notice: nil)),
            views.render(TrainerConsoleView.refusal(askForToken: true).template, TrainerConsoleView.refusal(askForToken: true).page),
            views.render(TrainerConsoleView.refusal(askForToken: false).template, TrainerConsoleView.refusal(askForToken: false).page),
        ]
        let layoutHead = try head(pages[0])
        for head in [#"<!DOCTYPE html>"#, #"<html lang="ja">"#, #"<meta charset="utf-8">"#,
                     #"<meta name="viewport" content="width=device-width, initial-scale=1">"#, #"<meta name="robots" content="noindex">"#] {
            #expect(layoutHead.contains(head), "\(head)")
        }
        for page in pages {
            #expect(try head(page) == layoutHead)
            #expect(page.contains(#"<main id="main">"#))
            #expect(page.hasSuffix("</main>\n</body>\n</html>\n"))
            #expect(page.components(separatedBy: "<body").count == 2)
        }
        // The inbox's head and bar; the console's own header and inline stylesheet.
        #expect(pages[0].contains(#"<title>受信メール - Kenshu メール</title>"#))
        #expect(pages[0].contains(#"<link rel="stylesheet" href="/mail/inbox.css">"#))
        #expect(pages[0].contains(#"<script src="/mail/inbox.js" defer></script>"#))
        #expect(pages[0].contains(#"<body data-live="list">"#))
        for page in pages[0...3] { #expect(page.contains(#"<header class="bar"><a href="/mail">Kenshu メール</a></header>"#)) }
        #expect(pages[3].contains(#"<p><a href="/mail">受信メール一覧へ</a></p>"#))
        #expect(pages[4].contains("<title>トレーナー画面 — Kenshu</title>\n<style>"))
        #expect(pages[4].contains(#"<nav aria-label="トレーナーのメニュー">"#))
        #expect(!pages[4].contains("<script"))
        #expect(pages[5].contains(#"<input id="token" name="token" type="password" autocomplete="off">"#))
        #expect(!pages[6].contains("<form"))
        for page in pages[5...6] {
            #expect(page.contains("<h1>トレーナー画面</h1>"))
            #expect(!page.contains("<header"))
        }
    }

    @Test func everyValueIsEscaped() async throws {
        let mailbox = try await MailTestMailbox.make()
        defer { mailbox.remove() }
        let id = try await mailbox.deliver(Self.hostileMail, from: #"x"y<z>@example.jp"#, to: [#"a"b@example.jp"#])
        let entry = try #require(mailbox.store.message(id: id))
        let raw = try #require(try await mailbox.store.rawMessage(id: id))
        let list = views.render(.mailList, MailInboxView.ListPage(rows: [entry], query: #"subject:"><script>"#, page: 2, total: 120, unread: 1))
        #expect(list.contains("<a href=\"/mail/\(id)\">&lt;script&gt;x&lt;/script&gt;</a>"))
        #expect(list.contains("<td>x&quot;y&lt;z&gt;@example.jp</td>"))
        #expect(list.contains(#"value="subject:&quot;&gt;&lt;script&gt;""#))
        #expect(list.contains(#"<a href="/mail?page=1&amp;q=subject%3A%22%3E%3Cscript%3E" rel="prev">前へ</a>"#))
        #expect(list.contains(#"<span>2 / 3 ページ</span>"#))
        #expect(!list.contains("<script>"))

        let message = views.render(.mailMessage, MailInboxView.MessagePage(entry: entry, message: MIMEMessage(parsing: Array(raw.readableBytesView))))
        #expect(message.contains("<title>&lt;script&gt;x&lt;/script&gt; - Kenshu メール</title>"))
        #expect(message.contains("<h1>&lt;script&gt;x&lt;/script&gt;</h1>"))
        #expect(message.contains("<td>Quote &quot; Name &lt;quote@example.jp&gt;</td>"))
        #expect(message.contains("<td>x&quot;y&lt;z&gt;@example.jp</td>"))
        #expect(message.contains("<td>a&quot;b@example.jp</td>"))
        #expect(message.contains("<pre class=\"mail-text\">&lt;/pre&gt;&lt;b&gt;bold&lt;/b&gt; &amp; &#39;single&#39;"))
        #expect(!message.contains("<script>") && !message.contains("<b>"))

        let console = views.render(.trainerConsole, TrainerConsoleView.ConsolePage(
            summaries: [Self.summary], initialPasswords: [#"o"neil<b>@example.jp"#: "p<'>"], now: Date(), offset: 0,
            csrf: #"c"><x"#, notice: "reset"))
        #expect(console.contains(#"<th scope="row">o&quot;neil&lt;b&gt;@example.jp</th>"#))
        #expect(console.contains(#"<input type="hidden" name="email" value="o&quot;neil&lt;b&gt;@example.jp">"#))
        #expect(console.contains(#"<code>p&lt;&#39;&gt;</code>"#))
        #expect(console.contains(#"class="name">&lt;i&gt;名前&lt;/i&gt;</td>"#))
        #expect(console.components(separatedBy: #"name="csrf_token" value="c&quot;&gt;&lt;x">"#).count == 5)  // unlock, unlink, advance, reset
        #expect(console.contains(#"<p class="notice" role="status">すべて初期状態に戻しました。</p>"#))
        #expect(!console.contains("<b>") && !console.contains("<x") && !console.contains("<i>"))

        let error = views.render(.error, ToolErrorPage(layout: ToolLayout(title: "<t>", stylesheets: [#"/a".css"#], mainClass: "hw-main"),
                                                       heading: "<h>", detail: "<d>", back: .init(href: #"/"x"#, label: "<l>")))
        #expect(error.contains("<title>&lt;t&gt;</title>\n<link rel=\"stylesheet\" href=\"/a&quot;.css\">"))
        #expect(error.contains(#"<main id="main" class="hw-main">"#))
        #expect(error.contains("<h1>&lt;h&gt;</h1>\n<p>&lt;d&gt;</p>\n<p><a href=\"/&quot;x\">&lt;l&gt;</a></p>"))
    }

    @Test func attachmentsAreListedAsLinks() async throws {
        // Built in Swift, this list once came out as GRDB `SQL` values (a string interpolation in a
        // `map` closure inferred as `SQL`): the page showed `SQL(elements: …)` instead of links.
        let mailbox = try await MailTestMailbox.make()
        defer { mailbox.remove() }
        let id = try await mailbox.deliver(MailTestMailbox.hostileMail)
        let entry = try #require(mailbox.store.message(id: id))
        let raw = try #require(try await mailbox.store.rawMessage(id: id))
        let message = views.render(.mailMessage, MailInboxView.MessagePage(entry: entry, message: MIMEMessage(parsing: Array(raw.readableBytesView))))
        #expect(message.contains("<ul class=\"attachments\">\n<li><a href=\"/api/v1/message/\(id)/part/2\">履歴.txt</a> (text/plain, "))
        #expect(!message.contains("SQL"))
    }

    @Test func theConsoleShowsOnlyTheOperationsAnAccountAllows() {
        let active = AccountSummary(email: "a@example.jp", name: "a", seekerID: "2", state: .active, failedAttempts: 0,
                                    linkedResidentID: nil, lastLogin: nil)
        let withdrawn = AccountSummary(email: "w@example.jp", name: "w", seekerID: "3", state: .withdrawn(daysAgo: 3),
                                       failedAttempts: 0, linkedResidentID: nil, lastLogin: nil)
        let console = views.render(.trainerConsole, TrainerConsoleView.ConsolePage(
            summaries: [Self.summary, active, withdrawn], initialPasswords: [:], now: Date(), offset: 51 * 60, csrf: "c", notice: nil))
        #expect(console.components(separatedBy: ">ロック解除</button>").count == 2)
        #expect(console.components(separatedBy: ">ハローワーク側の連携を削除</button>").count == 2)
        #expect(console.components(separatedBy: ">退会させる</button>").count == 2)
        // Nothing at all in the cell of an account without operations: the narrow layout hides it (td:empty).
        #expect(console.contains(#"<td data-label="操作" class="operations"></td>"#))
        #expect(console.contains("退会済み（3日前）"))
        #expect(console.contains("51 分進んでいます"))
        #expect(!console.contains(#"class="notice""#))
    }

    /// A copy of the shipped templates to break.
    func copyOfTheTemplates() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-views-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: ToolViews.bundledDirectory, to: directory)
        return directory
    }

    @Test func aMissingTemplateFailsAtLoad() throws {
        let directory = try copyOfTheTemplates()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.removeItem(at: directory.appendingPathComponent("layout.mustache"))
        let error = try #require(throws: ToolViews.LoadError.self) { try ToolViews(directory: directory) }
        #expect(error.description.contains("layout.mustache"))
        let nowhere = directory.appendingPathComponent("nowhere")
        #expect(throws: ToolViews.LoadError.self) { try ToolViews(directory: nowhere) }
    }

    @Test func anUnknownPartialOrABrokenTemplateFailsAtLoad() throws {
        let directory = try copyOfTheTemplates()
        defer { try? FileManager.default.removeItem(at: directory) }
        let extra = directory.appendingPathComponent("extra.mustache")
        try "{{<layout}}{{$content}}{{> mail-headr}}{{/content}}{{/layout}}".write(to: extra, atomically: true, encoding: .utf8)
        let unknown = try #require(throws: ToolViews.LoadError.self) { try ToolViews(directory: directory) }
        #expect(unknown.description.contains("extra.mustache") && unknown.description.contains("mail-headr"))
        try "<p>\n{{#open}}never closed</p>".write(to: extra, atomically: true, encoding: .utf8)
        let broken = try #require(throws: ToolViews.LoadError.self) { try ToolViews(directory: directory) }
        #expect(broken.description.contains("extra.mustache"))
    }

    @Test func partialNames() {
        #expect(ToolViews.partialNames(in: "{{> a}} {{<b}}{{/b}} {{>*dynamic}} {{x}} {{#s}}{{/s}}") == ["a", "b"])
    }
}
