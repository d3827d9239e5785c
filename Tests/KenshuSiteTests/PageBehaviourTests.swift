import Foundation
import Testing
@testable import KenshuSite

/// What a page says about being served is typed and checked by the build: a typo in it stops
/// the build at its `file:line:col` instead of making a MyPage screen public or failing in front
/// of a participant.
struct PageBehaviourTests {
    /// The build's errors (and the step that found them) after replacing `pages/index.md`'s
    /// front matter; Output/ keeps the earlier build.
    func failure(_ frontMatter: String) throws -> (messages: [String], step: BuildStep?) {
        let site = try TemporaryContent()
        defer { site.remove() }
        let builder = SiteBuilder(content: site.content, displayRoot: "Content", output: site.output)
        _ = try builder.build()
        let before = site.read("a/index.html")
        try site.write("pages/index.md", "---\ntemplate: page\ntitle: トップ\n\(frontMatter)\n---\n本文\n")
        do {
            _ = try builder.build()
            Issue.record("the build should have failed")
            return ([], nil)
        } catch let errors as ContentErrors {
            #expect(site.read("a/index.html") == before)
            return (errors.errors.map(\.description), errors.step)
        }
    }

    @Test func aMisspeltSessionKeyIsNotSilentlyPublic() throws {
        let (messages, step) = try failure("signd_in: true")
        #expect(messages == ["Content/pages/index.md:4:1: `signd_in` in the front matter is read by no template and not by the server; did you mean `signed_in`?"])
        #expect(step == .lint)
    }

    @Test func anUnknownHandlerSuggestsTheClosestOne() throws {
        let (messages, step) = try failure("form:\n  handler: lgoin\n  action: index.html\n  locked: index.html")
        #expect(messages == ["Content/pages/index.md:5:12: unknown handler `lgoin`; did you mean `login`?"])
        #expect(step == .load)
    }

    @Test func aHandlerNeedsThePagesOfItsOutcomes() throws {
        let (messages, _) = try failure("form:\n  handler: login\n  action: index.html")
        #expect(messages == ["Content/pages/index.md:5:3: handler `login` needs `locked:`, the page shown when the account is locked"])
        let (noSuccess, _) = try failure("actions:\n  - { label: 同意, handler: myna-unlink }")
        #expect(noSuccess == ["Content/pages/index.md:5:18: handler `myna-unlink` needs `href:`, the page success leads to"])
        let (extra, _) = try failure("form:\n  handler: password-reset-request\n  action: index.html\n  mismatch: index.html")
        #expect(extra == ["Content/pages/index.md:7:3: handler `password-reset-request` has no outcome `mismatch`"])
    }

    @Test func aPageAPostLeadsToMustExistInEveryEditionOfThePage() throws {
        let (messages, step) = try failure("form:\n  handler: login\n  action: jobs/002.html\n  locked: indx.html")
        #expect(messages == ["Content/pages/index.md:7:11: `indx.html` is not a page of editions a, b; did you mean `index.html`?"])
        #expect(step == .lint)
        // Only in edition a: its post may lead to a page of a alone, not to one of b alone.
        let (oneEdition, _) = try failure("editions: [a]\nform:\n  handler: password-reset-request\n  action: jobs/009.html")
        #expect(oneEdition == ["Content/pages/index.md:7:11: `jobs/009.html` is not a page of edition a; did you mean `jobs/001.html`?"])
    }

    @Test func sessionsAreOneOrTheOther() throws {
        let (messages, _) = try failure("signed_in: true\nmp_signed_in: true")
        #expect(messages == ["Content/pages/index.md:4:1: a page needs either the HelloWork session (`signed_in`) or Myna Portal's (`mp_signed_in`, `mp_session_required`), not both"])
        let (flag, _) = try failure("signed_in: yes")
        #expect(flag == ["Content/pages/index.md:4:12: `signed_in` must be true or false"])
    }

    @Test func theShippedPagesBehaveAsTheManualSays() throws {
        let content = try ContentLoader(root: Repository.content, displayRoot: "Content").load()
        func behaviour(_ page: String) throws -> PageBehaviour {
            try #require(content.pages.first { $0.relativePath == page }).behaviour
        }
        let login = try behaviour("login.md")
        #expect(login.access == .open)
        #expect(login.form == PageBehaviour.Post(handler: .login, success: "home.html", outcomes: [.locked: "locked.html"]))
        #expect(login.isLive)
        #expect(try behaviour("home.md").access == .helloWork)
        #expect(try behaviour("home.md").post(named: "logout")?.handler == .logout)
        #expect(try behaviour("login.md").post(named: "logout") == nil)
        let connected = try behaviour("mynaportal/connected.md")
        #expect(connected.access == .mynaPortal && connected.showsMynaPortalSignedIn)
        #expect(connected.post(named: "sso")?.outcomes[.mismatch] == "link-mismatch.html")
        #expect(connected.post(named: "myna-logout")?.handler == .mynaLogout)
        #expect(try behaviour("mynaportal/connections.md").whenLinked == "mynaportal/connections-linked.html")
        #expect(try behaviour("link-auth.md").access == .mynaPortal)
        #expect(try behaviour("link-auth.md").post(named: "myna-logout") == nil)
        #expect(try behaviour("outside.md").isLive == false)
    }
}
