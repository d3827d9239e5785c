import Foundation
import Hummingbird
import HummingbirdTesting
import KenshuAccounts
import KenshuMail
import KenshuSite
import NIOCore
import NIOPosix
import Testing
@testable import KenshuServer

/// The served flows through Hummingbird's router test client, on the shipped Content, with
/// accounts in memory on a test clock and a real SMTP sink catching the key mails.
struct LiveFlowTests {
    static let contentRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Content")

    /// A served site with its sink; `body` gets a client that keeps cookies like a browser.
    func withServer(_ body: @escaping @Sendable (Browser, Fixture) async throws -> Void) async throws {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-flows-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let output = temporary.appendingPathComponent("Output")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let table = SiteTable()
        table.update(with: try SiteBuilder(content: Self.contentRoot, output: output).render())
        let fixtures = AccountFixtures(site: try #require(table.site))
        var configuration = AccountsConfiguration()
        configuration.hasher = PasswordHasher(iterations: 1_000)
        let clock = ManualClock(Date(timeIntervalSince1970: 1_700_000_000))
        let accounts = try Accounts.inMemory(accounts: fixtures.accounts, residents: fixtures.residents,
                                             clock: clock, configuration: configuration)
        let store = try await MaildirStore.open(directory: temporary.appendingPathComponent("mail").path)
        let sink = try await SMTPServer.start(port: 0, store: store, group: MultiThreadedEventLoopGroup.singleton)
        let mailer = FlowMailer(host: "127.0.0.1", port: sink.port)
        let flows = LiveFlows(table: table, accounts: accounts, mailer: mailer)
        let app = Application(router: DevServer.router(output: output, broadcaster: ReloadBroadcaster(), flows: flows))
        do {
            // The mailer runs beside the server, as in `kenshu serve`'s service group.
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await mailer.run() }
                try await app.test(.router) { client in
                    try await body(Browser(client: client), Fixture(clock: clock, accounts: accounts, store: store))
                }
                group.cancelAll()
            }
        } catch {
            try await sink.shutdown()
            throw error
        }
        try await sink.shutdown()
    }

    struct Fixture: Sendable {
        let clock: ManualClock
        let accounts: Accounts
        let store: MaildirStore

        /// The 認証キー from the newest mail, waiting (up to 5 s) for the store to announce mail number `count`.
        func latestKey(count: Int = 1) async throws -> String? {
            if store.count < count {
                let events = store.events()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { [store] in
                        for await event in events {
                            if case .added = event, store.count >= count { return }
                        }
                    }
                    group.addTask { try await Task.sleep(for: .seconds(5)) }
                    // A mail delivered before the subscription: no event comes, the count says so.
                    if store.count < count { try await group.next() }
                    group.cancelAll()
                }
            }
            guard let id = store.messages(limit: 1).first?.id, let raw = try await store.rawMessage(id: id) else { return nil }
            let text = MIMEMessage(parsing: Array(buffer: raw)).text ?? ""
            guard let range = text.range(of: "認証キー：") else { return nil }
            return String(text[range.upperBound...].prefix { !$0.isNewline })
        }
    }

    /// Cookies in, `Set-Cookie` out, like a browser; forms posted with the page's CSRF token.
    final class Browser: @unchecked Sendable {
        let client: any TestClientProtocol
        var cookies: [String: String] = [:]
        var setCookieLines: [String] = []

        init(client: any TestClientProtocol) { self.client = client }

        struct Page {
            var status: HTTPResponse.Status
            var location: String?
            var body: String
            var headers: HTTPFields
        }

        func get(_ uri: String) async throws -> Page {
            try await send(uri, method: .get, body: nil)
        }

        /// Posts fields (plus the page's CSRF token unless `csrf` is given).
        func post(_ uri: String, _ fields: [String: String], csrf: String? = nil) async throws -> Page {
            var fields = fields
            fields["csrf_token"] = csrf ?? cookies["kenshu_csrf"] ?? ""
            let body = fields.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
            return try await send(uri, method: .post, body: body)
        }

        private func send(_ uri: String, method: HTTPRequest.Method, body: String?) async throws -> Page {
            var headers: HTTPFields = [:]
            if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
            if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
            return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
                for line in response.headers[values: .setCookie] {
                    self.setCookieLines.append(line)
                    let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
                    if value.isEmpty || line.contains("Max-Age=0") { self.cookies[name] = nil } else { self.cookies[name] = value }
                }
                return Page(status: response.status, location: response.headers[.location], body: String(buffer: response.body), headers: response.headers)
            }
        }

        static func encode(_ text: String) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._*")
            return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
        }
    }

    // MARK: Login, lock, logout

    @Test func loginPageIsAPostFormWithACSRFTokenInAnHttpOnlyCookie() async throws {
        try await withServer { browser, _ in
            let page = try await browser.get("/v2/login.html")
            #expect(page.status == .ok)
            #expect(page.headers[.cacheControl] == "no-store")
            let token = try #require(browser.cookies["kenshu_csrf"])
            #expect(token.count == 32)
            let cookie = try #require(browser.setCookieLines.first { $0.hasPrefix("kenshu_csrf=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
            #expect(page.body.contains(#"<form class="screen-form" method="post" novalidate>"#))
            #expect(page.body.contains(#"name="csrf_token" value="\#(token)""#))
            #expect(page.body.contains(#"name="email""#) && page.body.contains(#"name="password""#))
            #expect(page.body.contains(#"<script src="/_kenshu/live.js"></script>"#))
        }
    }

    @Test func postsWithoutTheRightTokenAreForbidden() async throws {
        try await withServer { browser, _ in
            _ = try await browser.get("/v2/login.html")
            let forged = try await browser.post("/v2/login.html", ["email": "asu.yuki@example.jp", "password": "Hello#Work2021"], csrf: "0123456789abcdef0123456789abcdef")
            #expect(forged.status == .forbidden)
            browser.cookies["kenshu_csrf"] = nil
            let cookieless = try await browser.post("/v2/login.html", ["email": "asu.yuki@example.jp", "password": "Hello#Work2021"], csrf: "")
            #expect(cookieless.status == .forbidden)
            #expect(browser.cookies["kenshu_session"] == nil)
        }
    }

    @Test func loginShowsHomeWithThePreviousLoginAndRenewsTheSession() async throws {
        try await withServer { browser, fixture in
            _ = try await browser.get("/v2/login.html")
            let first = try await browser.post("/v2/login.html", ["email": "asu.yuki@example.jp", "password": "Hello#Work2021"])
            #expect(first.status == .seeOther)
            #expect(first.location == "/v2/home.html")
            let firstSession = try #require(browser.cookies["kenshu_session"])
            #expect(browser.setCookieLines.contains { $0.hasPrefix("kenshu_session=") && $0.contains("HttpOnly") && $0.contains("SameSite=Lax") })
            let home = try await browser.get("/v2/home.html")
            #expect(home.status == .ok)
            #expect(home.body.contains("明日 勇気様"))
            #expect(home.body.contains("前回のログイン日時: 2021年09月21日 10時00分"))
            #expect(home.body.contains(#"name="action" value="logout""#))

            fixture.clock.advance(by: 3600)
            _ = try await browser.post("/v2/login.html", ["email": "asu.yuki@example.jp", "password": "Hello#Work2021"])
            #expect(browser.cookies["kenshu_session"] != firstSession)
            // 1,700,000,000 s is 2023-11-15 07:13 in Japan.
            #expect(try await browser.get("/v2/home.html").body.contains("前回のログイン日時: 2023年11月15日 07時13分"))
            #expect(try await fixture.accounts.session(id: firstSession) == nil)
        }
    }

    @Test func wrongPasswordKeepsTheIDAndDoesNotSayWhetherItExists() async throws {
        try await withServer { browser, _ in
            _ = try await browser.get("/v2/login.html")
            let wrong = try await browser.post("/v2/login.html", ["email": "asu.yuki@example.jp", "password": "Wrong#Pass1"])
            let unknown = try await browser.post("/v2/login.html", ["email": "nobody@example.jp", "password": "Wrong#Pass1"])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.body.contains("IDまたはパスワードが正しくありません"))
            #expect(wrong.body.contains(#"value="asu.yuki@example.jp""#))
            #expect(!wrong.body.contains("Wrong#Pass1"))
            let message = { (body: String) in body.components(separatedBy: #"role="alert">"#).dropFirst().first?.prefix(60) }
            #expect(message(wrong.body) == message(unknown.body))
        }
    }

    @Test func fifthWrongPasswordLocksAndTheRightOneThenShowsTheLockScreen() async throws {
        try await withServer { browser, _ in
            _ = try await browser.get("/v2/login.html")
            for attempt in 1...5 {
                let page = try await browser.post("/v2/login.html", ["email": "asu.yuki@example.jp", "password": "Wrong#Pass\(attempt)"])
                if attempt < 5 { #expect(page.status == .unprocessableContent) } else { #expect(page.location == "/v2/locked.html") }
            }
            let right = try await browser.post("/v2/login.html", ["email": "asu.yuki@example.jp", "password": "Hello#Work2021"])
            #expect(right.location == "/v2/locked.html")
            #expect(browser.cookies["kenshu_session"] == nil)
        }
    }

    @Test func logoutEndsTheSessionAndMyPageAsksToSignInAgain() async throws {
        try await withServer { browser, _ in
            #expect(try await browser.get("/v1/home.html").location == "/v1/login.html")
            _ = try await browser.get("/v1/login.html")
            _ = try await browser.post("/v1/login.html", ["email": "asu.yuki@example.jp", "password": "Hello#Work2021"])
            let session = try #require(browser.cookies["kenshu_session"])
            let out = try await browser.post("/v1/jobs/request.html", ["action": "logout"])
            #expect(out.location == "/v1/index.html")
            #expect(browser.cookies["kenshu_session"] == nil)
            browser.cookies["kenshu_session"] = session  // the back button with the old cookie
            #expect(try await browser.get("/v1/home.html").location == "/v1/login.html")
        }
    }

    @Test func actionsAPageDoesNotOfferAreRefused() async throws {
        try await withServer { browser, _ in
            _ = try await browser.get("/v2/login.html")
            #expect(try await browser.post("/v2/login.html", ["action": "myna-unlink"]).status == .badRequest)
            #expect(try await browser.post("/v2/login.html", ["action": "logout"]).status == .badRequest)
        }
    }

    @Test func emptyAndOverlongFieldsAreNamedBesideTheField() async throws {
        try await withServer { browser, _ in
            _ = try await browser.get("/v2/login.html")
            let page = try await browser.post("/v2/login.html", ["email": String(repeating: "a", count: 300), "password": ""])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("入力できる文字数を超えています。"))
            #expect(page.body.contains(#"<p class="field-error" id="login-password-error">入力してください。</p>"#))
            #expect(page.body.contains(#"aria-invalid="true""#))
        }
    }

    // MARK: Password reset

    @Test func passwordResetByMailChecksTheKeyAndThePolicyAndUnlocks() async throws {
        try await withServer { browser, fixture in
            _ = try await browser.get("/v2/login.html")
            for attempt in 1...5 { _ = try await browser.post("/v2/login.html", ["email": "asu.yuki@example.jp", "password": "Wrong#\(attempt)xx"]) }

            _ = try await browser.get("/v2/password-reset.html")
            let requested = try await browser.post("/v2/password-reset.html", ["email": "asu.yuki@example.jp"])
            #expect(requested.location == "/v2/password-reset-key.html")
            #expect(browser.cookies["kenshu_reset"] != nil)
            let key = try #require(try await fixture.latestKey())
            let mail = try #require(fixture.store.messages(limit: 1).first)
            #expect(mail.mailFrom == "system@mail.hellowork.mhlw.go.jp")
            #expect(mail.recipients == ["asu.yuki@example.jp"])
            let raw = try #require(try await fixture.store.rawMessage(id: mail.id))
            #expect(MIMEMessage(parsing: Array(buffer: raw)).subject == "パスワード再登録申込受付通知")
            #expect(key.count == 8)

            let weak = try await browser.post("/v2/password-reset-key.html", ["new_password": "short1!", "confirmation": "other", "key": "WRONGKEY"])
            #expect(weak.status == .unprocessableContent)
            #expect(weak.body.contains("パスワードは8桁以上で入力してください。"))
            #expect(weak.body.contains("一致しません"))
            #expect(weak.body.contains("認証キーが正しくありません。"))
            // A summary above the explanation lists every error, in form order, linked to its field.
            let summary = try #require(weak.body.range(of: #"<div class="error-summary" role="alert">"#))
            let items = [
                ##"<li><a href="#new-password">新しいパスワード</a>：パスワードは8桁以上で入力してください。</li>"##,
                ##"<li><a href="#new-password-confirm">新しいパスワード（確認用）</a>：「新しいパスワード」と「新しいパスワード（確認用）」が一致しません。</li>"##,
                ##"<li><a href="#reset-key">認証キー</a>：認証キーが正しくありません。メールに記載の認証キーを入力してください。</li>"##,
            ].map { weak.body.range(of: $0)?.lowerBound }
            #expect(items.allSatisfy { $0 != nil && $0! > summary.lowerBound && $0! < weak.body.range(of: #"<div class="prose">"#)!.lowerBound })
            #expect(items.compactMap { $0 } == items.compactMap { $0 }.sorted())
            #expect(!(try await browser.get("/v2/password-reset-key.html")).body.contains("error-summary"))

            let partly = try await browser.post("/v2/password-reset-key.html", ["new_password": "abc", "confirmation": "", "key": key])
            #expect(partly.body.contains(#"<p class="field-error" id="new-password-confirm-error">入力してください。</p>"#))
            #expect(partly.body.contains("パスワードは8桁以上で入力してください。"))

            let done = try await browser.post("/v2/password-reset-key.html", ["new_password": "New#Pass2026", "confirmation": "New#Pass2026", "key": key])
            #expect(done.location == "/v2/password-reset-done.html")
            let again = try await browser.post("/v2/password-reset-key.html", ["new_password": "New#Pass2026", "confirmation": "New#Pass2026", "key": key])
            #expect(again.status == .unprocessableContent)

            #expect(try await browser.post("/v2/login.html", ["email": "asu.yuki@example.jp", "password": "New#Pass2026"]).location == "/v2/home.html")
        }
    }

    @Test func anUnknownIDGetsTheSameNextScreenAndNoMail() async throws {
        try await withServer { browser, fixture in
            _ = try await browser.get("/v2/password-reset.html")
            let page = try await browser.post("/v2/password-reset.html", ["email": "nobody@example.jp"])
            #expect(page.location == "/v2/password-reset-key.html")
            #expect(try await fixture.latestKey() == nil)
            #expect(fixture.store.count == 0)
        }
    }

    @Test func anExpiredKeyIsRefusedAfterFiftyMinutes() async throws {
        try await withServer { browser, fixture in
            _ = try await browser.get("/v2/password-reset.html")
            _ = try await browser.post("/v2/password-reset.html", ["email": "asu.yuki@example.jp"])
            let key = try #require(try await fixture.latestKey())
            try fixture.accounts.advanceClock(by: 51 * 60)
            let page = try await browser.post("/v2/password-reset-key.html", ["new_password": "New#Pass2026", "confirmation": "New#Pass2026", "key": key])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("有効期限"))
        }
    }

    // MARK: Re-registration

    @Test func aRecentlyWithdrawnAccountReregistersWithTheMailedKey() async throws {
        try await withServer { browser, fixture in
            _ = try await browser.get("/v2/reregister.html")
            let old = try await browser.post("/v2/reregister.html", ["email": "taikai.old@example.jp", "password": "Hello#Work2021"])
            #expect(old.status == .unprocessableContent)
            #expect(old.body.contains("31日以上"))
            #expect(fixture.store.count == 0)

            let recent = try await browser.post("/v2/reregister.html", ["email": "taikai.recent@example.jp", "password": "Hello#Work2021"])
            #expect(recent.location == "/v2/reregister-key.html")
            let key = try #require(try await fixture.latestKey())
            #expect(try await browser.post("/v2/reregister-key.html", ["key": key]).location == "/v2/reregister-done.html")
            #expect(try await browser.post("/v2/login.html", ["email": "taikai.recent@example.jp", "password": "Hello#Work2021"]).location == "/v2/home.html")
            #expect(try await browser.get("/v2/home.html").body.contains("大開 新様"))
        }
    }

    // MARK: Myna Portal

    @Test func mynaPortalLinksSignsInWithoutAPasswordAndUnlinks() async throws {
        try await withServer { browser, _ in
            #expect(try await browser.get("/v2/mynaportal/index.html").location == "/v2/mynaportal/login.html")
            #expect(try await browser.get("/v2/link-auth.html").location == "/v2/mynaportal/login.html")
            _ = try await browser.get("/v2/mynaportal/login.html")
            #expect(try await browser.post("/v2/mynaportal/login.html", ["pin": "12"]).status == .unprocessableContent)
            #expect(try await browser.post("/v2/mynaportal/login.html", ["pin": "1234"]).location == "/v2/mynaportal/index.html")
            #expect(try await browser.get("/v2/mynaportal/connections-linked.html").location == "/v2/mynaportal/connections.html")
            #expect(try await browser.get("/v2/link-auth.html").status == .ok)

            let linked = try await browser.post("/v2/link-auth.html", ["email": "asu.yuki@example.jp", "password": "Hello#Work2021"])
            #expect(linked.location == "/v2/mynaportal/connected.html")
            #expect(browser.cookies["kenshu_session"] != nil)
            #expect(try await browser.get("/v2/mynaportal/connections.html").location == "/v2/mynaportal/connections-linked.html")

            // Logging out of HelloWork leaves Myna Portal signed in; its link signs in again.
            _ = try await browser.post("/v2/home.html", ["action": "logout"])
            #expect(browser.cookies["kenshu_myna"] != nil)
            let sso = try await browser.post("/v2/mynaportal/connections-linked.html", ["action": "sso"])
            #expect(sso.location == "/v2/home.html")
            #expect(try await browser.get("/v2/home.html").status == .ok)

            #expect(try await browser.post("/v2/mynaportal/unlink.html", ["action": "myna-unlink"]).location == "/v2/mynaportal/unlinked.html")
            #expect(try await browser.post("/v2/mynaportal/connected.html", ["action": "sso"]).location == "/v2/link-mismatch.html")
        }
    }

    @Test func aLinkBrokenOnTheHelloWorkSideShowsTheMismatchScreen() async throws {
        try await withServer { browser, fixture in
            _ = try await browser.get("/v2/mynaportal/login.html")
            _ = try await browser.post("/v2/mynaportal/login.html", ["pin": "0000"])
            _ = try await browser.post("/v2/link-auth.html", ["email": "asu.yuki@example.jp", "password": "Hello#Work2021"])
            try fixture.accounts.removeHelloWorkLink(email: "asu.yuki@example.jp")
            #expect(try await browser.post("/v2/mynaportal/connections-linked.html", ["action": "sso"]).location == "/v2/link-mismatch.html")
        }
    }

    @Test func wrongPasswordsOnTheLinkScreenCountTowardTheLock() async throws {
        try await withServer { browser, _ in
            _ = try await browser.get("/v2/mynaportal/login.html")
            _ = try await browser.post("/v2/mynaportal/login.html", ["pin": "0000"])
            for attempt in 1...4 {
                #expect(try await browser.post("/v2/link-auth.html", ["email": "asu.yuki@example.jp", "password": "Wrong#\(attempt)xx"]).status == .unprocessableContent)
            }
            #expect(try await browser.post("/v2/login.html", ["email": "asu.yuki@example.jp", "password": "Wrong#5xx"]).location == "/v2/locked.html")
        }
    }
}
