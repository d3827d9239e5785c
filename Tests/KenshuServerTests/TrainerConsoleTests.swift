import Foundation
import Hummingbird
import HummingbirdTesting
import KenshuAccounts
import KenshuSite
import Testing
@testable import KenshuServer

/// The trainer console over a real loopback connection (`.live`), so the peer address is real.
struct TrainerConsoleTests {
    func withConsole(token: String? = nil, _ body: @escaping @Sendable (any TestClientProtocol, Accounts) async throws -> Void) async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-trainer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let table = SiteTable()
        table.update(with: try SiteBuilder(content: LiveFlowTests.contentRoot, output: output).render())
        let fixtures = AccountFixtures(site: try #require(table.site))
        var configuration = AccountsConfiguration()
        configuration.hasher = PasswordHasher(iterations: 1_000)
        let accounts = try Accounts.inMemory(accounts: fixtures.accounts, residents: fixtures.residents,
                                             clock: ManualClock(Date(timeIntervalSince1970: 1_700_000_000)), configuration: configuration)
        let flows = LiveFlows(table: table, accounts: accounts, mailer: FlowMailer(host: "127.0.0.1", port: 9))
        let app = Application(router: DevServer.router(output: output, broadcaster: ReloadBroadcaster(), flows: flows, trainerToken: token))
        try await app.test(.live) { client in try await body(client, accounts) }
    }

    /// The console's CSRF cookie and token, from its page.
    func open(_ client: any TestClientProtocol) async throws -> (cookie: String, page: String) {
        try await client.execute(uri: "/trainer", method: .get) { response in
            #expect(response.status == .ok)
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("kenshu_csrf=") })
            return (String(cookie.split(separator: ";")[0]), String(buffer: response.body))
        }
    }

    func post(_ client: any TestClientProtocol, _ path: String, cookie: String, _ body: String) async throws -> HTTPResponse.Status {
        let token = cookie.split(separator: "=")[1]
        return try await client.execute(uri: path, method: .post,
                                        headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                        body: ByteBuffer(string: "csrf_token=\(token)&" + body)) { $0.status }
    }

    @Test func listsEveryAccountWithItsState() async throws {
        try await withConsole { client, _ in
            let (_, page) = try await open(client)
            for text in ["asu.yuki@example.jp", "taikai.recent@example.jp", "退会済み（10日前）", "退会済み（45日前）", "有効", "<code>Hello#Work2021</code>", #"href="/mail""#] {
                #expect(page.contains(text), "\(text)")
            }
        }
    }

    @Test func unlocksMovesTheClockAndResets() async throws {
        try await withConsole { client, accounts in
            for _ in 1...5 { _ = try accounts.logIn(email: "asu.yuki@example.jp", password: "Wrong#123") }
            let (cookie, page) = try await open(client)
            #expect(page.contains("ロック中"))
            #expect(try await post(client, "/trainer/unlock", cookie: cookie, "email=asu.yuki%40example.jp") == .seeOther)
            #expect(try accounts.summaries().first?.state == .active)

            #expect(try await post(client, "/trainer/advance", cookie: cookie, "minutes=51") == .seeOther)
            #expect(accounts.clockOffset() == 51 * 60)
            #expect(try await post(client, "/trainer/advance", cookie: cookie, "minutes=-5") == .unprocessableContent)

            #expect(try await post(client, "/trainer/withdraw", cookie: cookie, "email=asu.yuki%40example.jp") == .seeOther)
            #expect(try accounts.summaries().first?.state == .withdrawn(daysAgo: 0))

            #expect(try await post(client, "/trainer/reset", cookie: cookie, "") == .seeOther)
            #expect(try accounts.summaries().first?.state == .active)
            #expect(accounts.clockOffset() == 0)
        }
    }

    @Test func aPostWithoutTheTokenChangesNothing() async throws {
        try await withConsole { client, accounts in
            let status = try await client.execute(uri: "/trainer/advance", method: .post,
                                                  headers: [.contentType: "application/x-www-form-urlencoded"],
                                                  body: ByteBuffer(string: "minutes=51")) { $0.status }
            #expect(status == .forbidden)
            #expect(accounts.clockOffset() == 0)
        }
    }

    @Test func otherMachinesNeedTheToken() {
        let request = { (uri: String) in Request(head: .init(method: .get, scheme: "http", authority: "x", path: uri), body: .init(buffer: ByteBuffer())) }
        #expect(TrainerAccess.refusal(request("/trainer"), isLoopback: true, token: nil) == nil)
        #expect(TrainerAccess.refusal(request("/trainer"), isLoopback: false, token: nil)?.status == .forbidden)
        #expect(TrainerAccess.refusal(request("/trainer"), isLoopback: false, token: "secret")?.status == .forbidden)
        #expect(TrainerAccess.refusal(request("/trainer?token=wrong!"), isLoopback: false, token: "secret")?.status == .forbidden)
        #expect(TrainerAccess.refusal(request("/trainer?token=secret"), isLoopback: false, token: "secret") == nil)
    }

    @Test func loopbackAddresses() {
        #expect(KenshuRequestContext.isLoopback("127.0.0.1"))
        #expect(KenshuRequestContext.isLoopback("127.1.2.3"))
        #expect(KenshuRequestContext.isLoopback("::1"))
        #expect(KenshuRequestContext.isLoopback("::ffff:127.0.0.1"))
        #expect(!KenshuRequestContext.isLoopback("192.168.1.10"))
        #expect(!KenshuRequestContext.isLoopback("::ffff:10.0.0.1"))
        #expect(!KenshuRequestContext.isLoopback(nil))
    }
}
