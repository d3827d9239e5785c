import Testing
@testable import KenshuStudies

/// Outcomes from recorded logs: each attempt is exactly one of direct success, indirect success,
/// failed (time limit or wrong end state), gave up, assisted; an override is kept beside it.
struct OutcomeClassifierTests {
    /// index → login (one wrong password) → home, as the server records it.
    static func directLogin() -> EventLog {
        var log = EventLog()
        log.view("/v2/index.html")
        log.start("login")
        log.click("a.login")
        log.view("/v2/login.html")
        log.click("p.lead", interactive: false)
        log.add(.formSubmitted(form: "login", fields: [.init(name: "email", valid: true), .init(name: "password", valid: true)]))
        log.add(.loginFailed)
        log.view("/v2/login.html")
        log.add(.formSubmitted(form: "login", fields: [.init(name: "email", valid: true), .init(name: "password", valid: true)]))
        log.add(.signedIn(path: "/v2/home.html"), after: 10)
        log.view("/v2/home.html", after: 0.3)
        log.add(.taskEnded(by: .participant), after: 3)
        log.add(.seqAnswer(6), after: 5)
        return log
    }

    @Test func directSuccess() throws {
        let log = Self.directLogin()
        let result = try #require(OutcomeClassifier.classify(log.events, task: testTask()))
        #expect(result.outcome == .directSuccess)
        #expect(result.automatic == .directSuccess)
        #expect(result.override == nil)
        #expect(result.path == ["v2/index.html", "v2/login.html", "v2/home.html"])
        // 開始 at 2.5 s, signed_in at 2.5 + 1 + 2 + 1 + 1 + 1 + 2 + 1 + 10 = 21.5 s.
        #expect(result.timeOnTask == 19)
        #expect(result.duration == 22.3)
        #expect(result.clicks == 2)
        #expect(result.misclicks == 1)
        #expect(result.errors == [StudyErrorKind("login_failed"): 1])
        #expect(result.seq == 6)
        #expect(result.task == "login" && result.study == "chapter3" && result.participant == "P01" && result.attempt == "P01-login-1")
    }

    @Test func theLandingPageMayBeRecordedBeforeTheGoal() throws {
        var log = EventLog()
        log.start("reset")
        log.view("/v2/password-reset.html")
        log.view("/v2/password-reset-key.html")
        log.view("/mailbox")
        log.view("/v2/password-reset-done.html")
        log.add(.passwordResetCompleted)
        log.view("/v2/login.html")
        let task = testTask("reset", success: .passwordResetCompleted,
                            expected: [["v2/login.html", "v2/password-reset.html", "v2/password-reset-key.html", "v2/password-reset-done.html"]],
                            start: "v2/login.html")
        let result = try #require(OutcomeClassifier.classify(log.events, task: task))
        #expect(result.outcome == .directSuccess)
        // Without the mailbox (a tool page), with the page after the goal.
        #expect(result.path == ["v2/login.html", "v2/password-reset.html", "v2/password-reset-key.html",
                                "v2/password-reset-done.html", "v2/login.html"])
    }

    @Test func indirectSuccess() throws {
        var log = EventLog()
        log.view("/v2/index.html")
        log.start("login")
        log.view("/v2/outside.html")
        log.view("/v2/index.html")
        log.view("/v2/login.html?from=top")
        log.add(.signedIn(path: "/v2/home.html"))
        log.add(.taskEnded(by: .participant))
        let result = try #require(OutcomeClassifier.classify(log.events, task: testTask()))
        #expect(result.outcome == .indirectSuccess)
        #expect(result.path == ["v2/index.html", "v2/outside.html", "v2/index.html", "v2/login.html", "v2/home.html"])
        #expect(result.misclicks == 0 && result.errors.isEmpty && result.seq == nil)
    }

    @Test func aSignInElsewhereDoesNotMeetAConditionOnHome() throws {
        var log = EventLog()
        log.start("login")
        log.add(.signedIn(path: "v2/jobs/applied.html"))
        log.add(.taskEnded(by: .participant))
        #expect(OutcomeClassifier.classify(log.events, task: testTask())?.outcome == .failed(.wrongEndState))
        // Any sign-in meets `signed_in` without a page; off the expected path, so indirect.
        #expect(OutcomeClassifier.classify(log.events, task: testTask(success: .signedIn(page: nil)))?.outcome == .indirectSuccess)
    }

    @Test func failedByTheTimeLimit() throws {
        var ended = EventLog()
        ended.start("login")
        ended.view("/v2/login.html", after: 100)
        ended.add(.taskEnded(by: .timeLimit), after: 200)
        #expect(OutcomeClassifier.classify(ended.events, task: testTask())?.outcome == .failed(.timeLimit))

        // The goal reached, but only after the limit.
        var late = EventLog()
        late.start("login")
        late.view("/v2/login.html", after: 100)
        late.add(.signedIn(path: "/v2/home.html"), after: 250)
        late.add(.taskEnded(by: .participant))
        let result = try #require(OutcomeClassifier.classify(late.events, task: testTask()))
        #expect(result.outcome == .failed(.timeLimit))
        #expect(result.timeOnTask == 350)

        // Ended by the participant after the limit, without the goal.
        var over = EventLog()
        over.start("login")
        over.add(.taskEnded(by: .participant), after: 301)
        #expect(OutcomeClassifier.classify(over.events, task: testTask())?.outcome == .failed(.timeLimit))
    }

    @Test func failedInTheWrongEndState() throws {
        var log = EventLog()
        log.view("/v2/index.html")
        log.start("login")
        log.view("/v2/login.html")
        log.add(.loginFailed)
        log.add(.loginFailed)
        log.add(.accountLocked)
        log.view("/v2/locked.html")
        log.add(.taskEnded(by: .participant))
        // Events after the end do not count for it.
        log.add(.signedIn(path: "/v2/home.html"), after: 30)
        let result = try #require(OutcomeClassifier.classify(log.events, task: testTask()))
        #expect(result.outcome == .failed(.wrongEndState))
        #expect(result.timeOnTask == nil)
        #expect(result.path == ["v2/index.html", "v2/login.html", "v2/locked.html"])
        #expect(result.errors == [StudyErrorKind("login_failed"): 2, StudyErrorKind("account_locked"): 1])
        #expect(result.seconds == result.duration)
    }

    @Test func gaveUp() throws {
        var log = EventLog()
        log.start("login")
        log.view("/v2/login.html")
        log.add(.policyError(field: "new_password"))
        log.add(.gaveUp, after: 40)
        let result = try #require(OutcomeClassifier.classify(log.events, task: testTask()))
        #expect(result.outcome == .gaveUp)
        #expect(result.duration == 43)
        #expect(result.errors == [StudyErrorKind("policy_error", field: "new_password"): 1])
    }

    @Test func assistedOutweighsASuccess() throws {
        var log = Self.directLogin()
        log.add(.assisted)
        log.add(.note(tag: .hint, text: "ログインボタンの場所を伝えた"))
        let result = try #require(OutcomeClassifier.classify(log.events, task: testTask()))
        #expect(result.outcome == .assisted)
        #expect(result.timeOnTask == 19)
    }

    @Test func anOverrideIsKeptBesideTheAutomaticOutcome() throws {
        var log = Self.directLogin()
        log.add(.outcomeOverridden(outcome: .failed(.wrongEndState), reason: "別の参加者のカードを使った"), after: 20)
        let result = try #require(OutcomeClassifier.classify(log.events, task: testTask()))
        #expect(result.automatic == .directSuccess)
        #expect(result.override == .init(outcome: .failed(.wrongEndState), reason: "別の参加者のカードを使った"))
        #expect(result.outcome == .failed(.wrongEndState))
        // The latest override counts.
        log.add(.outcomeOverridden(outcome: .indirectSuccess, reason: "取り消し"))
        #expect(OutcomeClassifier.classify(log.events, task: testTask())?.outcome == .indirectSuccess)
    }

    @Test func aRunningAttemptHasNoOutcomeYet() throws {
        var log = EventLog()
        log.start("login")
        log.view("/v2/login.html")
        let result = try #require(OutcomeClassifier.classify(log.events, task: testTask()))
        #expect(result.outcome == nil && !result.isFinished)
        #expect(OutcomeClassifier.classify([], task: testTask()) == nil)
    }

    @Test func withoutExpectedPathsEverySuccessIsDirect() throws {
        var log = EventLog()
        log.start("logout")
        log.view("/v2/jobs/applied.html")
        log.add(.signedOut)
        log.view("/v2/index.html")
        let result = OutcomeClassifier.classify(log.events, task: testTask("logout", success: .signedOut, expected: [], start: "v2/home.html"))
        #expect(result?.outcome == .directSuccess)
        #expect(result?.path == ["v2/home.html", "v2/jobs/applied.html", "v2/index.html"])
    }

    @Test func everyOutcomeHasOneCode() {
        #expect(Outcome.allCases.map(\.code) == ["direct_success", "indirect_success", "failed_time_limit",
                                                 "failed_wrong_end_state", "gave_up", "assisted"])
        #expect(Outcome.allCases.allSatisfy { Outcome(code: $0.code) == $0 })
    }
}
