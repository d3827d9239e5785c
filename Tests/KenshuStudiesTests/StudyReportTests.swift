import Foundation
import Testing
@testable import KenshuStudies

/// The report's numbers from a log, and the time to build it for a full-size study.
struct StudyReportTests {
    static func shippedStudy() throws -> Study {
        try #require(try StudyLoader(root: Repository.content, displayRoot: "Content").load().first { $0.id == "chapter3" })
    }

    /// Two participants at `login`: P01 directly with a misclick and a wrong password, P02 by a
    /// detour on a phone, then gave up at a second attempt; notes, SEQ and SUS answers.
    static func smallLog() -> [StudyEvent] {
        var p1 = OutcomeClassifierTests.directLogin()
        p1.add(.note(tag: .quote, text: "「ログイン」ボタンが分かりやすい"), after: 1)
        p1.add(.susAnswers([5, 1, 5, 1, 5, 1, 5, 1, 5, 1]), after: 30, attempt: .some(nil))
        var p2 = EventLog(participant: "P02", attempt: "P02-login-1", at: EventLog.base + 5_000)
        p2.view("/v2/index.html")
        p2.start("login")
        p2.click("div.banner", interactive: false, width: 390)
        p2.view("/v2/outside.html")
        p2.add(.note(tag: .confusion, text: "範囲外の画面を開いた"), after: 0.5)
        p2.view("/v2/login.html")
        p2.add(.signedIn(path: "/v2/home.html"), after: 30)
        p2.add(.taskEnded(by: .participant))
        p2.add(.seqAnswer(3))
        p2.attempt = "P02-login-2"
        p2.start("login")
        p2.view("/v2/login.html")
        p2.add(.gaveUp, after: 10)
        p2.add(.susAnswers(Array(repeating: 3, count: 10)), after: 30, attempt: .some(nil))
        return p1.events + p2.events
    }

    @Test func perTaskNumbers() throws {
        let study = try Self.shippedStudy()
        let report = StudyReport(study: study, events: Self.smallLog())
        #expect(report.participants == ["P01", "P02"])
        #expect(report.attempts.map(\.attempt) == ["P01-login-1", "P02-login-1", "P02-login-2"])
        let login = try #require(report.tasks.first { $0.id == "login" })
        #expect(login.n == 3 && login.inProgress == 0)
        #expect(login.outcomes.filter { $0.count > 0 } == [
            OutcomeCount(outcome: .directSuccess, count: 1), OutcomeCount(outcome: .indirectSuccess, count: 1),
            OutcomeCount(outcome: .gaveUp, count: 1),
        ])
        #expect(login.successes == 2)
        let rate = try #require(login.successRate)
        #expect(abs(rate.estimate - 2.0 / 3) < 1e-12)
        #expect(rate == ConfidenceInterval.adjustedWald(successes: 2, trials: 3))
        // P01: 19 s; P02: 開始 at 7.5 s, signed in at 7.5 + 1 + 2 + 0.5 + 2 + 30 = 43 s → 35.5 s.
        #expect(login.successTimes == [19, 35.5])
        #expect(login.medianTime == 27.25)
        #expect(abs(try #require(login.geometricMeanTime) - (19 * 35.5).squareRoot()) < 1e-9)
        #expect(login.clicks == 3 && login.misclicks == 2)
        #expect(login.misclickRate == 2.0 / 3)
        #expect(login.errors == [ErrorCount(kind: StudyErrorKind("login_failed"), count: 1)])
        #expect(login.seqAnswers == 2 && login.seqMean == 4.5)
        #expect(login.topPaths.first?.count == 1)
        #expect(Set(login.topPaths.map(\.pages)) == [
            ["v2/index.html", "v2/login.html", "v2/home.html"],
            ["v2/index.html", "v2/outside.html", "v2/login.html", "v2/home.html"],
            // The second attempt starts on the task's start page, which the server opened.
            ["v2/index.html", "v2/login.html"],
        ])
        // Other tasks: nobody did them yet.
        #expect(report.tasks.count == 6)
        #expect(report.tasks.dropFirst().allSatisfy { $0.n == 0 && $0.successRate == nil && $0.medianTime == nil })
    }

    @Test func clickMapsSusAndNotes() throws {
        let report = StudyReport(study: try Self.shippedStudy(), events: Self.smallLog())
        #expect(report.clickMaps.map { "\($0.page) \($0.layout) \($0.points.count) \($0.misclicks)" } == [
            "v2/index.html pc 1 0", "v2/index.html sp 1 1", "v2/login.html pc 1 1",
        ])
        #expect(report.clickMaps[1].points[0] == ClickPoint(participant: "P02", task: "login", element: "div.banner", x: 100, y: 200,
                                                             viewportWidth: 390, viewportHeight: 800, misclick: true))
        #expect(report.sus.map(\.participant) == ["P01", "P02"])
        #expect(report.sus.map(\.score) == [100, 50])
        #expect(report.susMean == 75)
        #expect(report.notes.map(\.text) == ["範囲外の画面を開いた", "「ログイン」ボタンが分かりやすい"])
        #expect(report.notes.map(\.task) == ["login", "login"])
        // P02: 開始 at 7.5 s, the note at 11 s; P01: 開始 at 2.5 s, the note at 30.8 s.
        #expect(report.notes.map(\.secondsIntoAttempt) == [3.5, 28.3])
    }

    @Test func anotherStudysAttemptsAreLeftOut() throws {
        var other = EventLog(participant: "P03", attempt: "P03-x-1")
        other.start("login", study: "chapter4")
        other.add(.gaveUp)
        let report = StudyReport(study: try Self.shippedStudy(), events: Self.smallLog() + other.events)
        #expect(report.participants == ["P01", "P02"])
        #expect(report.attempts.count == 3)
    }

    /// The benchmark size: 40 participants × 6 tasks. Prints the time; asserts nothing
    /// about it (bench/ measures; tests do not time).
    @Test func buildsTheReportForFortyParticipantsAndSixTasks() throws {
        let study = try Self.shippedStudy()
        let generated = GeneratedStudy(study: study, participants: 40)
        let clock = ContinuousClock()
        var report: StudyReport?
        let elapsed = clock.measure {
            report = StudyReport(study: study, events: generated.events, participants: generated.participants)
        }
        let built = try #require(report)
        print("report: \(generated.events.count) events, 40 participants × \(study.tasks.count) tasks, built in \(elapsed)")
        #expect(built.attempts.count == 240)
        #expect(built.tasks.allSatisfy { $0.n == 40 })
        #expect(built.sus.count == 40)
        #expect(built.tasks.allSatisfy { $0.successes > 0 && $0.successes < 40 })
        let outcomes = Set(built.attempts.compactMap(\.outcome))
        #expect(outcomes.isSuperset(of: [.directSuccess, .indirectSuccess, .gaveUp, .assisted]))
    }
}
