import Foundation
import KenshuAccounts
import KenshuSite
import Testing
@testable import KenshuServer

/// `kenshu serve` loads Content once: the first good build fills the table and opens the
/// accounts with site.yaml's rules; a Content error at start-up leaves the flows off only until
/// the next good build.
struct FlowsSwitchTests {
    /// A copy of the shipped Content in a temporary folder.
    func copyOfContent() throws -> (root: URL, content: URL, output: URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-switch-\(UUID().uuidString)")
        let content = root.appendingPathComponent("Content")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: LiveFlowTests.contentRoot, to: content)
        return (root, content, root.appendingPathComponent("Output"))
    }

    func replace(_ old: String, with new: String, in file: URL) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains(old))
        try Data(text.replacingOccurrences(of: old, with: new).utf8).write(to: file)
    }

    func makeSwitch(_ table: SiteTable) -> FlowsSwitch {
        var configuration = AccountsConfiguration()
        configuration.hasher = PasswordHasher(iterations: 1_000)
        return FlowsSwitch(setup: .init(accountsPath: nil, configuration: configuration,
                                        clock: ManualClock(Date(timeIntervalSince1970: 1_700_000_000))),
                           mailer: FlowMailer(host: "127.0.0.1", port: 9), table: table, logger: .init(label: "test"))
    }

    @Test func theFlowsComeOnWithTheFirstGoodBuild() async throws {
        let (root, content, output) = try copyOfContent()
        defer { try? FileManager.default.removeItem(at: root) }
        let login = content.appendingPathComponent("pages/login.md")
        try replace("handler: login", with: "handler: lgoin", in: login)
        let table = SiteTable()
        let flows = makeSwitch(table)
        let rebuilder = SiteRebuilder(builder: SiteBuilder(content: content, displayRoot: "Content", output: output),
                                      broadcaster: ReloadBroadcaster(), table: table, flows: flows, logger: .init(label: "test"))
        #expect(await rebuilder.rebuild(reason: "start").isEmpty)
        #expect(flows.flows == nil && table.count == 0)

        try replace("handler: lgoin", with: "handler: login", in: login)
        #expect(await rebuilder.rebuild(reason: "fixed").isEmpty == false)
        let live = try #require(flows.flows)
        #expect(table.count > 50)
        guard case .live(let page, _, _) = table.resolve(path: "/v2/login.html") else {
            Issue.record("the login page is not live"); return
        }
        #expect(page.behaviour.form?.handler == .login)
        guard case .signedIn = try live.accounts.logIn(email: "asu.yuki@example.jp", password: "Hello#Work2021") else { Issue.record("the fixture account does not sign in"); return }
    }

    @Test func theAccountsFollowSiteYAMLsRules() async throws {
        let (root, content, output) = try copyOfContent()
        defer { try? FileManager.default.removeItem(at: root) }
        try replace("attempts_before_lock: 5", with: "attempts_before_lock: 3", in: content.appendingPathComponent("site.yaml"))
        let table = SiteTable()
        let flows = makeSwitch(table)
        let rebuilder = SiteRebuilder(builder: SiteBuilder(content: content, displayRoot: "Content", output: output),
                                      broadcaster: ReloadBroadcaster(), table: table, flows: flows, logger: .init(label: "test"))
        await rebuilder.rebuild(reason: "start")
        let accounts = try #require(flows.flows).accounts
        for _ in 0..<2 { #expect(try accounts.logIn(email: "asu.yuki@example.jp", password: "wrong#Pass1") == .rejected) }
        #expect(try accounts.logIn(email: "asu.yuki@example.jp", password: "wrong#Pass1") == .locked)
    }

    @Test func aResetKeepsTheClassUnlessAskedToRemoveIt() async throws {
        let (root, content, output) = try copyOfContent()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("accounts.sqlite").path
        func open(reset: Bool, remove: Bool) async throws -> Accounts {
            var configuration = AccountsConfiguration()
            configuration.hasher = PasswordHasher(iterations: 1_000)
            let table = SiteTable()
            let flows = FlowsSwitch(setup: .init(accountsPath: path, resetState: reset, removeParticipants: remove,
                                                 configuration: configuration, clock: ManualClock(Date(timeIntervalSince1970: 1_700_000_000))),
                                    mailer: FlowMailer(host: "127.0.0.1", port: 9), table: table, logger: .init(label: "test"))
            let rebuilder = SiteRebuilder(builder: SiteBuilder(content: content, displayRoot: "Content", output: output),
                                          broadcaster: ReloadBroadcaster(), table: table, flows: flows, logger: .init(label: "test"))
            await rebuilder.rebuild(reason: "start")
            return try #require(flows.flows).accounts
        }
        let first = try await open(reset: false, remove: false)
        _ = try first.createParticipants(ParticipantRequest(count: 2, seekerID: "asu"))
        for attempt in 1...5 { _ = try first.logIn(email: "trainee01@example.jp", password: "Wrong#Pass\(attempt)") }
        // --reset-state: the class stays, back in its start state.
        let reopened = try await open(reset: true, remove: false)
        #expect(try reopened.participants().map(\.id) == ["trainee01", "trainee02"])
        #expect(try reopened.participants().allSatisfy { !$0.isLocked })
        // --reset-state --remove-participants: a new class.
        let emptied = try await open(reset: true, remove: true)
        #expect(try emptied.participants().isEmpty)
    }
}
