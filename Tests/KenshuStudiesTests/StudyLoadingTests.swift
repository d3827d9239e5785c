import Foundation
import KenshuSite
import Testing
@testable import KenshuStudies

/// Studies are content: the shipped one loads and names real pages; every mistake in a study
/// file stops loading at its `file:line:col`.
struct StudyLoadingTests {
    static let valid = """
        title: テスト調査
        tasks:
          - id: login
            prompt: ログインしてください。
            start: { account: participant, state: { wrong_attempts: 4 }, clear_mail: true }
            page: v2/login.html
            layout: sp
            success: { signed_in: home.html }
            expected_paths:
              - [v2/login.html, v2/home.html]
            time_limit: 120
          - id: reset
            prompt: パスワードを再登録してください。
            start: { account: asu.yuki@example.jp, state: { withdrawn: 10 } }
            page: v2/login.html
            success: password_reset_completed
        """

    /// Loads `text` as `Content/studies/s.yaml`; the error's first line, or nil when it loads.
    static func error(_ text: String) throws -> String? {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("studies/s.yaml", text)
        do {
            _ = try StudyLoader(root: folder.url, displayRoot: "Content").load()
            return nil
        } catch {
            return error.errors.first?.description
        }
    }

    /// The error `text` stops at, or nil; recorded with both sides when it is not `expected`.
    static func expectError(_ text: String, _ expected: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let message = try error(text)
        #expect(message == expected, sourceLocation: sourceLocation)
    }

    @Test func parsesEveryField() throws {
        let study = try Study.parse(Self.valid, id: "s", displayPath: "Content/studies/s.yaml")
        #expect(study.id == "s")
        #expect(study.title == "テスト調査")
        #expect(study.tasks.map(\.id) == ["login", "reset"])
        let login = study.tasks[0]
        #expect(login.start == StartState(account: .participant, state: .wrongAttempts(4), clearMail: true))
        #expect(login.startPage == "v2/login.html")
        #expect(login.layout == .sp)
        #expect(login.success == .signedIn(page: "home.html"))
        #expect(login.expectedPaths == [["v2/login.html", "v2/home.html"]])
        #expect(login.timeLimit == 120)
        #expect(login.location.description == "Content/studies/s.yaml:3:5")
        let reset = study.tasks[1]
        #expect(reset.start == StartState(account: .email("asu.yuki@example.jp"), state: .withdrawn(days: 10)))
        #expect(reset.layout == .pc)
        #expect(reset.success == .passwordResetCompleted)
        #expect(reset.expectedPaths.isEmpty)
        #expect(reset.timeLimit == nil)
    }

    @Test func theShippedStudyCoversChapterThree() throws {
        let studies = try StudyLoader(root: Repository.content, displayRoot: "Content").load()
        let study = try #require(studies.first { $0.id == "chapter3" })
        #expect(study.tasks.map(\.id) == ["login", "forgot-password", "locked-account", "logout-smartphone",
                                          "link-mynaportal", "unlink-mynaportal"])
        #expect(study.tasks.map(\.success) == [.signedIn(page: "home.html"), .passwordResetCompleted, .signedIn(page: "home.html"),
                                               .signedOut, .mynaLinked, .mynaUnlinked])
        #expect(study.task("locked-account")?.start.state == .wrongAttempts(4))
        #expect(study.task("logout-smartphone")?.layout == .sp)
        #expect(study.task("logout-smartphone")?.start.signedIn == true)
        #expect(study.task("unlink-mynaportal")?.start.state == .linked)
        #expect(study.tasks.allSatisfy { !$0.expectedPaths.isEmpty && $0.timeLimit != nil })
        #expect(study.tasks.allSatisfy { task in task.prompt.unicodeScalars.contains { $0.value > 0x3000 } })
        // Every page it names is a page of the committed build.
        let served = Set(try FileManager.default.subpathsOfDirectory(atPath: Repository.output.path).filter { $0.hasSuffix(".html") })
        #expect(study.problems(servedPages: served).map(\.description) == [])
    }

    @Test func aPageTheSiteDoesNotServeIsNamedWithTheClosestOne() throws {
        let study = try Study.parse(Self.valid.replacingOccurrences(of: "[v2/login.html, v2/home.html]", with: "[v2/login.html, v2/hme.html]"),
                                    id: "s", displayPath: "Content/studies/s.yaml")
        let problems = study.problems(servedPages: ["v2/login.html", "v2/home.html"])
        #expect(problems.map(\.description) == ["Content/studies/s.yaml:10:25: `v2/hme.html` is not a served page; did you mean `v2/home.html`?"])
    }

    @Test func yamlSyntaxError() throws {
        try Self.expectError("title: x\ntasks:\n  - id: [a\n", "Content/studies/s.yaml:4:1: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 3)")
    }

    @Test func unknownKeySuggestsTheClosest() throws {
        let text = Self.valid.replacingOccurrences(of: "    time_limit: 120", with: "    time_limt: 120")
        try Self.expectError(text, "Content/studies/s.yaml:11:5: unknown key `time_limt` in a task; did you mean `time_limit`?")
        let start = Self.valid.replacingOccurrences(of: "clear_mail: true", with: "clearmail: true")
        #expect(try Self.error(start)?.hasPrefix("Content/studies/s.yaml:5:66: unknown key `clearmail` in a start state; did you mean `clear_mail`?") == true)
        let root = "titel: x\n" + Self.valid.dropFirst("title: テスト調査\n".count)
        try Self.expectError(root, "Content/studies/s.yaml:1:1: unknown key `titel` in a study; did you mean `title`?")
    }

    @Test func wrongTypes() throws {
        try Self.expectError(Self.valid.replacingOccurrences(of: "time_limit: 120", with: "time_limit: 2分"), "Content/studies/s.yaml:11:17: `time_limit` (seconds) must be a whole number, not `2分`")
        try Self.expectError(Self.valid.replacingOccurrences(of: "clear_mail: true", with: "clear_mail: yes"), "Content/studies/s.yaml:5:78: `clear_mail` must be true or false, not `yes`")
        try Self.expectError(Self.valid.replacingOccurrences(of: "{ wrong_attempts: 4 }", with: "{ wrong_attempts: four }"), "Content/studies/s.yaml:5:61: `wrong_attempts` must be a whole number, not `four`")
        try Self.expectError(Self.valid.replacingOccurrences(of: "layout: sp", with: "layout: phone"), "Content/studies/s.yaml:7:13: unknown layout `phone` (known: pc, sp)")
        try Self.expectError(Self.valid.replacingOccurrences(of: "      - [v2/login.html, v2/home.html]", with: "      - v2/home.html"), "Content/studies/s.yaml:10:9: an expected path must be a list of pages, e.g. [v2/login.html, v2/home.html]")
    }

    @Test func unknownSuccessCondition() throws {
        try Self.expectError(Self.valid.replacingOccurrences(of: "success: password_reset_completed", with: "success: password_reset_complete"), "Content/studies/s.yaml:16:14: unknown success condition `password_reset_complete`; did you mean `password_reset_completed`?")
        try Self.expectError(Self.valid.replacingOccurrences(of: "success: password_reset_completed", with: "success: { signed_out: home.html }"), "Content/studies/s.yaml:16:28: `signed_out` takes no page; only `signed_in` does")
    }

    @Test func duplicateTaskID() throws {
        try Self.expectError(Self.valid.replacingOccurrences(of: "  - id: reset", with: "  - id: login"), "Content/studies/s.yaml:12:9: duplicate task id `login` (first at line 3)")
    }

    @Test func missingPrompt() throws {
        try Self.expectError(Self.valid.replacingOccurrences(of: "    prompt: パスワードを再登録してください。\n", with: ""), "Content/studies/s.yaml:12:5: task `reset` has no `prompt:` (what the participant is asked to do, in Japanese)")
    }

    @Test func everyBrokenFileIsReported() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("studies/a.yaml", "title: a\n")
        try folder.write("studies/b.yaml", Self.valid)
        try folder.write("studies/c.yml", "tasks: []\ntitle: c\n")
        do {
            _ = try StudyLoader(root: folder.url, displayRoot: "Content").load()
            Issue.record("expected errors")
        } catch {
            #expect(error.errors.map(\.description) == [
                "Content/studies/a.yaml:1:1: the study has no `tasks:` (the list of tasks)",
                "Content/studies/c.yml:1:8: `tasks` must be a list with at least one task",
            ])
        }
    }

    @Test func noStudiesFolderIsNoStudies() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(try StudyLoader(root: folder.url).load().isEmpty)
    }
}
