import Foundation
import KenshuAccounts
import Testing
@testable import KenshuSite

/// site.yaml's `live.rules`: read into `LiveRules`, printed by templates (`site.rules.…`) and by
/// prose (`{{rules.…}}`), every mistake named at `file:line:col`.
struct LiveRulesTests {
    /// The minimal site.yaml's line count: `extra` appended after it starts on the next line.
    static let siteLines = TemporaryContent.minimal["site.yaml"]!.split(separator: "\n", omittingEmptySubsequences: false).count

    func load(site extra: String, files: [String: String] = [:]) throws -> Content {
        var all = TemporaryContent.minimal
        all["site.yaml"]! += "\n" + extra
        all.merge(files) { _, new in new }
        let site = try TemporaryContent(files: all)
        defer { site.remove() }
        return try ContentLoader(root: site.content, displayRoot: "Content").load()
    }

    func errors(site extra: String, files: [String: String] = [:]) -> [String] {
        do {
            _ = try load(site: extra, files: files)
            Issue.record("loading should have failed")
            return []
        } catch let errors as ContentErrors {
            return errors.errors.map(\.description)
        } catch {
            Issue.record("unexpected \(error)")
            return []
        }
    }

    // MARK: Parsing

    @Test func absentBlockGivesTheManualsNumbers() throws {
        let content = try load(site: "")
        #expect(content.configuration.liveRules == LiveRules.manual)
        #expect(content.configuration.liveRules == LiveRules(attemptsBeforeLock: 5, keyMinutes: 50, reregistrationDays: 30))
        let rules = try #require(content.configuration.values["rules"] as? [String: Any])
        #expect(rules["attempts_before_lock"] as? Int == 5)
        #expect(rules["key_minutes"] as? Int == 50)
        #expect(rules["reregistration_days"] as? Int == 30)
        #expect(rules["reregistration_too_late_days"] as? Int == 31)
    }

    @Test func valuesAreRead() throws {
        let content = try load(site: """
            live:
              rules:
                attempts_before_lock: 3
                key_minutes: 40
                reregistration_days: 14
              messages:
                required: 入力してください。
            """)
        let rules = content.configuration.liveRules
        #expect(rules == LiveRules(attemptsBeforeLock: 3, keyMinutes: 40, reregistrationDays: 14))
        #expect(rules.reregistrationTooLateDays == 15)
        #expect(rules.values == ["attempts_before_lock": 3, "key_minutes": 40, "reregistration_days": 14,
                                 "reregistration_too_late_days": 15])
        #expect((content.configuration.values["rules"] as? [String: Any])?["key_minutes"] as? Int == 40)
        // One place to read them in templates: `site.rules`, not also `site.live.rules`.
        let live = try #require(content.configuration.values["live"] as? [String: Any])
        #expect(live["rules"] == nil)
        #expect(live["messages"] != nil)
    }

    @Test func anAbsentRuleKeepsItsDefault() throws {
        let content = try load(site: "live:\n  rules:\n    key_minutes: 40\n")
        #expect(content.configuration.liveRules == LiveRules(attemptsBeforeLock: 5, keyMinutes: 40, reregistrationDays: 30))
    }

    @Test(arguments: ["0", "-5", "\"50\"", "4.5", "fifty", "[50]"])
    func aRuleMustBeAPositiveWholeNumber(value: String) {
        #expect(errors(site: "live:\n  rules:\n    key_minutes: \(value)\n")
                == ["Content/site.yaml:\(Self.siteLines + 3):18: live.rules.key_minutes must be a positive whole number, e.g. 50"])
    }

    @Test func anEmptyRuleIsAnError() {
        let messages = errors(site: "live:\n  rules:\n    reregistration_days:\n")
        #expect(messages.count == 1)
        #expect(messages.first?.hasPrefix("Content/site.yaml:\(Self.siteLines + 3):") == true, "\(messages)")
        #expect(messages.first?.hasSuffix(": live.rules.reregistration_days must be a positive whole number, e.g. 30") == true, "\(messages)")
    }

    @Test func unknownRuleIsNamedWithTheClosestOne() {
        #expect(errors(site: "live:\n  rules:\n    key_minutes: 40\n    attempts_before_locks: 3\n")
                == ["Content/site.yaml:\(Self.siteLines + 4):5: unknown rule `attempts_before_locks` in live.rules (known: attempts_before_lock, key_minutes, reregistration_days); did you mean `attempts_before_lock`?"])
    }

    @Test func rulesMustBeAMapping() {
        #expect(errors(site: "live:\n  rules: 50\n")
                == ["Content/site.yaml:\(Self.siteLines + 2):10: `live.rules` must map rule names to numbers (attempts_before_lock, key_minutes, reregistration_days)"])
    }

    @Test func siteRulesIsNotWrittenByHand() {
        #expect(errors(site: "rules:\n  key_minutes: 40\n")
                == ["Content/site.yaml:\(Self.siteLines + 1):1: `site.rules` is made from `live.rules`: write the numbers there"])
    }

    // MARK: Placeholders

    @Test func misspeltPlaceholderInAMessageIsAtItsColumn() {
        #expect(errors(site: "live:\n  messages:\n    key_expired: 有効期限（{{rules.key_minute}}分）\n")
                == ["Content/site.yaml:\(Self.siteLines + 3):23: unknown rule `{{rules.key_minute}}` (live.rules gives rules.attempts_before_lock, rules.key_minutes, rules.reregistration_days, rules.reregistration_too_late_days); did you mean `{{rules.key_minutes}}`?"])
    }

    @Test func misspeltPlaceholderInAQuotedValueCountsFromInsideTheQuote() {
        let messages = errors(site: "live:\n  messages:\n    key_expired: \"{{rules.minutes}}分\"\n")
        #expect(messages.count == 1)
        #expect(messages.first?.hasPrefix("Content/site.yaml:\(Self.siteLines + 3):19: unknown rule `{{rules.minutes}}`") == true, "\(messages)")
    }

    @Test func misspeltPlaceholderInAPageBodyIsOnItsFileLine() {
        let page = "---\ntemplate: page\ntitle: トップ\n---\n# 見出し\n\n認証キーは  {{ rules.keyminutes }}分有効です。\n"
        let messages = errors(site: "", files: ["pages/index.md": page])
        #expect(messages.count == 1)
        #expect(messages.first?.hasPrefix("Content/pages/index.md:7:8: unknown rule `{{rules.keyminutes}}`") == true, "\(messages)")
    }

    @Test func misspeltPlaceholderInFrontMatterAndManual() {
        let page = "---\ntemplate: page\ntitle: トップ\nmanual: note\nlead: 過去{{rules.days}}日以内\n---\n"
        let messages = errors(site: "", files: ["pages/index.md": page, "manual/note.md": "注意\n\nロックまで{{rules.attempts}}回\n"])
        #expect(messages.count == 2)
        #expect(messages.contains { $0.hasPrefix("Content/pages/index.md:5:9: unknown rule `{{rules.days}}`") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("Content/manual/note.md:3:6: unknown rule `{{rules.attempts}}`") }, "\(messages)")
    }

    @Test func otherMustacheTagsInProseStayAsWritten() throws {
        let rules = LiveRules(attemptsBeforeLock: 3, keyMinutes: 40, reregistrationDays: 14)
        let start = SourceLocation(path: "x", line: 1, column: 1)
        #expect(try rules.fill("{{site.viewer}} {{rules.key_minutes}}分 {{rules.reregistration_too_late_days}}日 {{", at: start)
                == "{{site.viewer}} 40分 15日 {{")
        #expect(try rules.fill("（{{ rules.attempts_before_lock }}回）", at: start) == "（3回）")
        #expect(try rules.fill("50分", at: start) == "50分")
    }

    // MARK: Rendering

    /// The minimal site with a 40-minute key: every kind of text prints 40.
    @Test func textsPrintTheRules() throws {
        var files = TemporaryContent.minimal
        files["site.yaml"]! += """

            live:
              rules:
                key_minutes: 40
                reregistration_days: 14
              messages:
                key_expired: 認証キーの有効期限（メール配信から{{rules.key_minutes}}分）が切れています。
            """
        files["site.yaml"] = files["site.yaml"]!.replacingOccurrences(of: "title: メイン", with: "title: \"過去{{rules.reregistration_days}}日以内\"")
        files["templates/page.mustache"]! += "<p class=\"rule\">{{site.rules.key_minutes}}分 {{site.rules.reregistration_too_late_days}}日以上</p>\n"
        files["templates/mail/key.mustache"] = "{{{key}}} は配信から{{site.rules.key_minutes}}分間有効です。\n"
        files["pages/index.md"] = "---\ntemplate: page\ntitle: トップ（{{rules.key_minutes}}分）\nflow: main\nmanual: note\n---\n認証キーは{{rules.key_minutes}}分有効です。\n"
        files["manual/note.md"] = "パスワード入力を{{rules.attempts_before_lock}}回誤るとロックされます。\n"
        let site = try TemporaryContent(files: files)
        defer { site.remove() }
        let builder = SiteBuilder(content: site.content, displayRoot: "Content", output: site.output)
        _ = try builder.build()

        let index = try #require(site.read("a/index.html"))
        #expect(index.contains("<h1>トップ（40分）</h1>"))
        #expect(index.contains("<p>認証キーは40分有効です。</p>"))
        #expect(index.contains(#"<p class="rule">40分 15日以上</p>"#))
        #expect(site.read("index.html")?.contains(">トップ（40分）</a>") == true)

        let live = try LiveSite(builder: builder)
        #expect(live.content.configuration.flows.first?.title == "過去14日以内")
        #expect(live.content.manual["note"]?.html == "<p>パスワード入力を5回誤るとロックされます。</p>\n")
        let messages = try #require(live.settings["messages"] as? [String: Any])
        #expect((messages["key_expired"] as? ContentString)?.value == "認証キーの有効期限（メール配信から40分）が切れています。")
        #expect(live.renderText(template: "mail/key", values: ["key": "K7N4Q2X9"]) == "K7N4Q2X9 は配信から40分間有効です。\n")
    }

    /// The shipped Content prints exactly what it printed when the numbers were written out.
    @Test func shippedTextsAreUnchanged() throws {
        let live = try LiveSite(builder: SiteBuilder(content: Repository.content, displayRoot: "Content", output: Repository.output))
        #expect(live.content.configuration.liveRules == .manual)
        let messages = try #require(live.settings["messages"] as? [String: Any])
        func message(_ code: String) -> String? { (messages[code] as? ContentString)?.value }
        #expect(message("key_expired") == "認証キーの有効期限（メール配信から50分）が切れています。「パスワードをお忘れの方」から再度やり直してください。")
        #expect(message("reregister_key_expired") == "認証キーの有効期限（メール配信から50分）が切れています。「アカウントを再登録」から再度やり直してください。")
        #expect(message("reregister_too_late") == "マイページ退会後31日以上が経過しているため、アカウントを再登録できません。ハローワークの窓口を利用していた方は、最寄りのハローワークまでご連絡ください。")
        #expect(live.content.configuration.flows.contains { $0.title == "過去30日以内に退会した方（アカウントを再登録）" })
        for mail in ["mail/password-reset", "mail/reregister"] {
            let text = try #require(live.renderText(template: mail, values: ["email": "a@example.jp", "key": "K", "expires": "X"]))
            #expect(text.contains("この認証キーは、このメールの配信から50分間（Xまで）有効です。"), "\(mail)")
        }
    }

    /// The shipped Content with a 40-minute key: the screens, the manual, the messages and the
    /// mails all say 40分.
    @Test func shippedTextsFollowTheRule() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-rules-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("Content")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Repository.content, to: content)
        let siteYAML = content.appendingPathComponent("site.yaml")
        let original = try String(contentsOf: siteYAML, encoding: .utf8)
        let changed = original.replacingOccurrences(of: "\n    key_minutes: 50 ", with: "\n    key_minutes: 40 ")
        try #require(changed != original)
        try changed.write(to: siteYAML, atomically: true, encoding: .utf8)

        let builder = SiteBuilder(content: content, displayRoot: "Content", output: root.appendingPathComponent("Output"))
        let files = try builder.renderAll()
        func page(_ path: String) throws -> String { String(decoding: try #require(files[path], "\(path)"), as: UTF8.self) }
        for edition in ["v1", "v2"] {
            let html = try page("\(edition)/password-reset-key.html")
            #expect(html.contains("メールが配信されてから、40分以内に操作をしないと"), "\(edition)")
            #expect(!html.contains("50分"), "\(edition)")
        }
        // The manual's note beside the screen in the gallery.
        #expect(try page("index.html").contains("メールが配信されてから、40分以内に操作をしないと"))

        let live = try LiveSite(builder: builder)
        #expect(live.content.configuration.liveRules.keyMinutes == 40)
        let messages = try #require(live.settings["messages"] as? [String: Any])
        #expect((messages["key_expired"] as? ContentString)?.value == "認証キーの有効期限（メール配信から40分）が切れています。「パスワードをお忘れの方」から再度やり直してください。")
        let mail = try #require(live.renderText(template: "mail/password-reset", values: ["email": "a@example.jp", "key": "K", "expires": "X"]))
        #expect(mail.contains("この認証キーは、このメールの配信から40分間（Xまで）有効です。"))
        let notes = live.content.procedures.flatMap(\.notes).compactMap { $0.text.text(for: "v2") }
        #expect(notes.contains { $0.contains("配信されてから、40分以内") }, "\(notes)")
    }

    /// The served flows' rules come from `live.rules`; without the block both sides fall back
    /// to the same numbers, the manual's.
    @Test func theDefaultsAgreeWithTheAccountsModule() throws {
        let manual = LiveRules.manual
        let configuration = AccountsConfiguration()
        #expect(manual.attemptsBeforeLock == configuration.lockThreshold)
        #expect(TimeInterval(manual.keyMinutes * 60) == configuration.resetKeyLifetime)
        #expect(manual.reregistrationDays == configuration.reregistrationWindowDays)
    }
}
