import Foundation
import Testing
@testable import KenshuStudies

/// The offline HTML report: what it shows, that it escapes, and that an imported log draws the same file.
struct StudyReportPageTests {
    static func generatedReport() throws -> (Study, GeneratedStudy, StudyReport) {
        let study = try StudyReportTests.shippedStudy()
        var generated = GeneratedStudy(study: study, participants: 40)
        let last = try #require(generated.events.last { $0.participant == "P01" })
        generated.events.append(StudyEvent(seq: generated.events.filter { $0.participant == "P01" }.map(\.seq).max()! + 1,
                                           milliseconds: last.milliseconds + 1_000, participant: "P01", attempt: nil,
                                           kind: .note(tag: .bug, text: "<b>x</b> & \"y\"")))
        let report = StudyReport(study: study, events: generated.events, participants: generated.participants)
        return (study, generated, report)
    }

    @Test func theGeneratedLogRenders() throws {
        let (study, _, report) = try Self.generatedReport()
        #expect(report.participants.count == 40)
        let html = try StudyReportPage.render(report)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for task in study.tasks {
            #expect(html.contains(task.id))
            #expect(html.contains(task.prompt.replacingOccurrences(of: "&", with: "&amp;")))
        }
        #expect(html.contains("<svg"))
        #expect(html.contains("<circle"))
        let mean = try #require(report.susMean)
        #expect(html.contains(StudyReportPage.number(mean)))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(html.contains("調整ワルド法"))
        #expect(html.contains("スマートフォン") || html.contains("PC"))
    }

    @Test func textIsEscaped() throws {
        let (_, _, report) = try Self.generatedReport()
        let html = try StudyReportPage.render(report)
        #expect(!html.contains("<b>x</b>"))
        #expect(html.contains("&lt;b&gt;x&lt;/b&gt; &amp;"))
    }

    @Test func theIntervalWhiskerIsDrawnFromTheNumbers() {
        let rate = StudyReportPage.RateView(ConfidenceInterval(estimate: 0.5, lower: 0.25, upper: 0.75))
        #expect(rate.barWidth == "120.0" && rate.lowX == "60.0" && rate.highX == "180.0")
        #expect(rate.estimate == "50.0 %")
    }

    @Test func clickMapsKeepTheViewportsAspectRatio() {
        let map = ClickMap(page: "v2/login.html", layout: .sp, points: [
            ClickPoint(participant: "P01", task: "login", element: "a", x: 195, y: 422, viewportWidth: 390, viewportHeight: 844, misclick: false),
            ClickPoint(participant: "P01", task: "login", element: "p", x: 390, y: 2000, viewportWidth: 390, viewportHeight: 844, misclick: true),
        ])
        let view = StudyReportPage.MapView(map)
        #expect(view.width == "180" && view.height == "389.5")
        #expect(view.dots.map(\.cx) == ["90.0", "180.0"] && view.dots.map(\.cy) == ["194.8", "389.5"])
        #expect(view.below == [1] && view.misclicks == 1)
    }

    @Test func overAPictureOfThePageEveryClickKeepsItsPlace() throws {
        let map = ClickMap(page: "v2/login.html", layout: .sp, points: [
            ClickPoint(participant: "P01", task: "login", element: "a", x: 195, y: 422, viewportWidth: 390, viewportHeight: 844, misclick: false),
            ClickPoint(participant: "P01", task: "login", element: "p", x: 39, y: 2000, viewportWidth: 390, viewportHeight: 844, misclick: true),
        ])
        let backdrop = ClickBackdrop(page: "v2/login.html", layout: .sp, image: Data([0xFF, 0xD8, 0xFF]), width: 390, height: 2340)
        let view = StudyReportPage.MapView(map, backdrop: backdrop)
        // 240 px wide, the page's own proportions; the click 2000 px down is on the page, not on an edge.
        #expect(view.width == "240" && view.height == "1440.0")
        #expect(view.dots.map(\.cx) == ["120.0", "24.0"] && view.dots.map(\.cy) == ["259.7", "1230.8"])
        #expect(view.below.isEmpty && view.image == "data:image/jpeg;base64,/9j/")
        let (_, _, report) = try Self.generatedReport()
        let page = try #require(report.clickMaps.first)
        let html = try StudyReportPage.render(report, backdrops: [ClickBackdrop(page: page.page, layout: page.layout, image: Data([1, 2, 3]), width: 1280, height: 2000)])
        #expect(html.contains(#"<image href="data:image/jpeg;base64,AQID""#))
    }

    @Test func anImportedLogDrawsTheSameFile() throws {
        let (study, generated, _) = try Self.generatedReport()
        let source = try StudyStore()
        _ = try source.append(generated.events)
        let before = try StudyReportPage.render(StudyReport(study: study, events: try source.events(), participants: try source.participants()))
        let json = try EventArchive.export(source)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let target = try StudyStore(dataDirectory: folder.url)
        try EventArchive.importArchive(json, into: target)
        let after = try StudyReportPage.render(StudyReport(study: study, events: try target.events(), participants: try target.participants()))
        #expect(Data(after.utf8) == Data(before.utf8))
    }

    @Test func aMissingTemplateIsNamed() {
        let url = URL(fileURLWithPath: "/nonexistent/report.mustache")
        #expect(throws: StudyReportPage.LoadError.self) { try StudyReportPage.template(at: url) }
        #expect(String(describing: StudyReportPage.LoadError.missing(url)).contains("/nonexistent/report.mustache"))
    }
}
