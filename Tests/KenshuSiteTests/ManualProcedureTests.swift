import Foundation
import Testing
@testable import KenshuSite

/// The manual's procedures as data: loaded with their steps per edition and layout, and checked
/// against the built pages; every mistake stops the build at its `file:line:col`.
struct ManualProcedureTests {
    /// The minimal site with a page whose template names its elements, one only in edition a.
    static func site(procedure: String) throws -> TemporaryContent {
        var files = TemporaryContent.minimal
        files["templates/screen.mustache"] = """
            <nav data-step="menu">menu</nav><button data-step="logout menu-logout">ログアウト</button>
            {{#edition.flag}}<p data-step="barcode">QR</p>{{/edition.flag}}

            """
        files["pages/home.md"] = "---\ntemplate: screen\ntitle: ホーム\n---\n"
        files["manual/procedures/3.3-logout.md"] = procedure
        return try TemporaryContent(files: files)
    }

    static let logout = """
        ---
        section: "3.3"
        title: ログアウトする
        order: 60
        steps:
          - text: 画面上部の「ログアウト」ボタンをクリックします。
            layouts: [pc]
            screen: home.html
            targets: [logout]
          - text: メニューをタップします。
            layouts: [sp]
            screen: home.html
            targets: [menu]
          - text: {a: 表示されたメニューから「ログアウト」をタップします。, b: 「ログアウト」をタップします。}
            layouts: [sp]
            screen: home.html
            open: [menu]
            targets: [menu-logout]
          - text: トップ画面が表示されます。
            screen: index.html
            targets: []
        notes:
          - kind: 注意
            title: 一斉ログアウト
            text: 一斉ログアウトには対応していません。
        ---
        本文の説明です。

        """

    @Test func stepsAreNumberedPerLayoutAndEdition() throws {
        let site = try Self.site(procedure: Self.logout)
        defer { site.remove() }
        let builder = SiteBuilder(content: site.content, displayRoot: "Content", output: site.output)
        _ = try builder.build()
        let content = try ContentLoader(root: site.content, displayRoot: "Content").load()
        let procedure = try #require(content.procedures.first)
        #expect(procedure.section == "3.3")
        #expect(procedure.steps(edition: "a", layout: .pc).map { $0.text.text(for: "a") } ==
                ["画面上部の「ログアウト」ボタンをクリックします。", "トップ画面が表示されます。"])
        let phone = procedure.steps(edition: "b", layout: .sp)
        #expect(phone.count == 3)
        #expect(phone[1].text.text(for: "b") == "「ログアウト」をタップします。")
        #expect(phone[1].open.map(\.name) == ["menu"])
        #expect(phone[1].targets[.sp]?.map(\.name) == ["menu-logout"])
        #expect(procedure.notes.first?.kind == .caution)
        #expect(procedure.body.html.contains("本文の説明です。"))
        // The gallery's notes do not pick up the procedures.
        #expect(content.manual.keys.allSatisfy { !$0.hasPrefix("procedures/") })
    }

    /// The build fails, names the place, and leaves Output/ as it was.
    func messages(_ procedure: String) throws -> [String] {
        let site = try Self.site(procedure: Self.logout)
        defer { site.remove() }
        let builder = SiteBuilder(content: site.content, displayRoot: "Content", output: site.output)
        _ = try builder.build()
        let before = site.read("a/home.html")
        try site.write("manual/procedures/3.3-logout.md", procedure)
        #expect(throws: ContentErrors.self) { try builder.check() }
        do {
            _ = try builder.build()
            Issue.record("the build should have failed")
            return []
        } catch let errors as ContentErrors {
            #expect(site.read("a/home.html") == before)
            return errors.errors.map(\.description)
        }
    }

    @Test func anUnknownTargetIsNamedWhereTheFileNamesIt() throws {
        let messages = try messages(Self.logout.replacingOccurrences(of: "targets: [logout]", with: "targets: [lgout]"))
        #expect(messages == ["Content/manual/procedures/3.3-logout.md:9:15: unknown target `lgout`: no template has data-step=\"lgout\""])
    }

    @Test func aTargetMissingFromTheScreenInOneEditionIsAnError() throws {
        let messages = try messages(Self.logout.replacingOccurrences(of: "targets: [logout]", with: "targets: [logout, barcode]"))
        #expect(messages == ["Content/manual/procedures/3.3-logout.md:9:23: target `barcode` is not on home.html in edition b (no element with data-step=\"barcode\")"])
        // Said to exist in edition a only, the step is fine.
        let fixed = Self.logout.replacingOccurrences(of: "targets: [logout]\n", with: "targets: [logout, barcode]\n    editions: [a]\n")
        let site = try Self.site(procedure: fixed)
        defer { site.remove() }
        _ = try SiteBuilder(content: site.content, displayRoot: "Content", output: site.output).build()
    }

    @Test func aMisspeltKeyStopsTheBuild() throws {
        let messages = try messages(Self.logout.replacingOccurrences(of: "    targets: [menu]", with: "    targts: [menu]"))
        #expect(messages.count == 1)
        #expect(messages[0].hasPrefix("Content/manual/procedures/3.3-logout.md:13:5: unknown key `targts` in a step"), "\(messages)")
    }

    @Test func unknownEditionsLayoutsScreensAndKindsAreNamed() throws {
        #expect(try messages(Self.logout.replacingOccurrences(of: "layouts: [pc]", with: "layouts: [tablet]"))
                == ["Content/manual/procedures/3.3-logout.md:7:15: unknown layout `tablet` (pc or sp)"])
        #expect(try messages(Self.logout.replacingOccurrences(of: "{a: 表示", with: "{c: 表示"))
                == ["Content/manual/procedures/3.3-logout.md:14:12: unknown edition `c` (site.yaml has a, b)"])
        #expect(try messages(Self.logout.replacingOccurrences(of: "screen: index.html", with: "screen: top.html"))
                == ["Content/manual/procedures/3.3-logout.md:20:13: there is no page top.html in edition a (Output/a/top.html)",
                    "Content/manual/procedures/3.3-logout.md:20:13: there is no page top.html in edition b (Output/b/top.html)"])
        #expect(try messages(Self.logout.replacingOccurrences(of: "kind: 注意", with: "kind: 注记"))
                == ["Content/manual/procedures/3.3-logout.md:23:11: unknown note kind `注记` (注意, Point, 参照先)"])
        #expect(try messages(Self.logout.replacingOccurrences(of: "{a: 表示されたメニューから「ログアウト」をタップします。, b: 「ログアウト」をタップします。}", with: "{a: 表示されたメニューから「ログアウト」をタップします。}"))
                == ["Content/manual/procedures/3.3-logout.md:14:5: this step has no `text` for edition b"])
    }

    @Test func theShippedManualMatchesTheShippedScreens() throws {
        let content = try ContentLoader(root: Repository.content, displayRoot: "Content").load()
        _ = try SiteBuilder(content: Repository.content, displayRoot: "Content", output: Repository.output).check()
        #expect(!content.procedures.isEmpty)
        for procedure in content.procedures {
            for edition in ["v1", "v2"] where procedure.editions.contains(edition) {
                for layout in ManualLayout.allCases {
                    for step in procedure.steps(edition: edition, layout: layout) {
                        #expect(step.text.text(for: edition)?.isEmpty == false, "\(step.location)")
                    }
                }
            }
        }
    }
}
