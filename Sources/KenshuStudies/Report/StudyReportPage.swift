import Foundation
import Mustache

/// The offline report: one self-contained HTML file (inline style, inline SVG, no script, no
/// font or file from elsewhere) drawn from a ``StudyReport`` with `Templates/report.mustache`.
///
/// Every text goes through Mustache's `{{x}}`, which escapes it; every SVG coordinate is a number
/// computed here and formatted with a fixed precision, so the same report gives the same bytes.
public enum StudyReportPage {
    /// Why the template could not be loaded; the description names the file.
    public enum LoadError: Error, CustomStringConvertible {
        case missing(URL)
        case unreadable(URL, any Error)
        case unparsable(URL, line: Int, column: Int, any Error)

        public var description: String {
            switch self {
            case .missing(let url): "the report template is missing: \(url.path)"
            case .unreadable(let url, let error): "the report template \(url.path) cannot be read: \(error)"
            case .unparsable(let url, let line, let column, let error):
                "report template \(url.path), line \(line), column \(column): \(error)"
            }
        }
    }

    /// `Templates/` copied into KenshuStudies' resource bundle.
    public static var bundledTemplate: URL {
        (Bundle.module.url(forResource: "Templates", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("Templates", isDirectory: true))
            .appendingPathComponent("report.mustache")
    }

    /// Reads and parses the template; throws naming the file when it is missing or broken.
    public static func template(at url: URL = bundledTemplate) throws -> MustacheTemplate {
        guard FileManager.default.fileExists(atPath: url.path) else { throw LoadError.missing(url) }
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch { throw LoadError.unreadable(url, error) }
        do {
            return try MustacheTemplate(string: text)
        } catch let error as MustacheTemplate.ParserError {
            throw LoadError.unparsable(url, line: error.context.lineNumber, column: error.context.columnNumber, error.error)
        }
    }

    /// The report as an HTML document.
    /// `backdrops`: pictures of the pages, drawn under their click maps (a map without one is
    /// drawn on an empty box of the first screen's size).
    public static func render(_ report: StudyReport, backdrops: [ClickBackdrop] = []) throws -> String {
        try template().render(View(report, backdrops: backdrops))
    }

    // MARK: Labels

    public static func label(_ outcome: Outcome) -> String {
        switch outcome {
        case .directSuccess: "直接成功"
        case .indirectSuccess: "間接成功"
        case .failed(.timeLimit): "失敗（時間切れ）"
        case .failed(.wrongEndState): "失敗（未達成で終了）"
        case .gaveUp: "断念"
        case .assisted: "介助あり"
        }
    }

    public static func label(_ tag: StudyEvent.NoteTag) -> String {
        switch tag {
        case .confusion: "混乱"
        case .hint: "ヒント"
        case .quote: "発言"
        case .bug: "不具合"
        }
    }

    public static func label(_ layout: StudyLayout) -> String {
        switch layout {
        case .pc: "PC"
        case .sp: "スマートフォン"
        }
    }

    /// A fixed-precision number, the same on every machine (`.` as the decimal point).
    public static func number(_ value: Double, digits: Int = 1) -> String {
        String(format: "%.\(digits)f", value)
    }

    static func seconds(_ value: Double?) -> String {
        value.map { number($0) + " 秒" } ?? "—"
    }

    static func percent(_ value: Double?) -> String {
        value.map { number($0 * 100) + " %" } ?? "—"
    }

    // MARK: View model

    struct View {
        var studyID: String
        var title: String
        var participantCount: Int
        var attemptCount: Int
        var unknownTaskAttempts: [Int]
        var tasks: [TaskView]
        var pages: [PageView]
        var hasPages: Bool
        var sus: [SUSRow]
        var hasSUS: Bool
        var susMean: String
        var notes: [NoteRow]
        var hasNotes: Bool

        init(_ report: StudyReport, backdrops: [ClickBackdrop] = []) {
            studyID = report.studyID
            title = report.title
            participantCount = report.participants.count
            attemptCount = report.attempts.count
            unknownTaskAttempts = report.unknownTaskAttempts > 0 ? [report.unknownTaskAttempts] : []
            tasks = report.tasks.map(TaskView.init)
            var byPage: [(String, [ClickMap])] = []
            for map in report.clickMaps {
                if let index = byPage.firstIndex(where: { $0.0 == map.page }) {
                    byPage[index].1.append(map)
                } else {
                    byPage.append((map.page, [map]))
                }
            }
            pages = byPage.map { page, maps in
                PageView(page: page, maps: maps.sorted { $0.layout < $1.layout }.map { map in
                    MapView(map, backdrop: backdrops.first { $0.page == map.page && $0.layout == map.layout })
                })
            }
            hasPages = !pages.isEmpty
            sus = report.sus.map { SUSRow(participant: $0.participant, score: number($0.score), answers: $0.answers.map(String.init).joined(separator: " ")) }
            hasSUS = !sus.isEmpty
            susMean = report.susMean.map { number($0) } ?? "—"
            notes = report.notes.map(NoteRow.init)
            hasNotes = !notes.isEmpty
        }
    }

    struct TaskView {
        struct OutcomeRow { var label: String; var code: String; var count: Int }
        struct ErrorRow { var kind: String; var count: Int }
        struct PathRow { var path: String; var count: Int }

        var id: String
        var prompt: String
        var layout: String
        var n: Int
        var inProgress: [Int]
        var outcomes: [OutcomeRow]
        var successes: Int
        var rate: [RateView]
        var medianTime: String
        var geometricMeanTime: String
        var clicks: Int
        var misclicks: Int
        var misclickRate: String
        var errors: [ErrorRow]
        var hasErrors: Bool
        var seqMean: String
        var seqAnswers: Int
        var paths: [PathRow]
        var hasPaths: Bool

        init(_ task: TaskSummary) {
            id = task.id
            prompt = task.prompt
            layout = StudyReportPage.label(task.layout)
            n = task.n
            inProgress = task.inProgress > 0 ? [task.inProgress] : []
            outcomes = task.outcomes.map { OutcomeRow(label: StudyReportPage.label($0.outcome), code: $0.outcome.code, count: $0.count) }
            successes = task.successes
            rate = task.successRate.map { [RateView($0)] } ?? []
            medianTime = StudyReportPage.seconds(task.medianTime)
            geometricMeanTime = StudyReportPage.seconds(task.geometricMeanTime)
            clicks = task.clicks
            misclicks = task.misclicks
            misclickRate = StudyReportPage.percent(task.misclickRate)
            errors = task.errors.map { ErrorRow(kind: $0.kind.description, count: $0.count) }
            hasErrors = !errors.isEmpty
            seqMean = task.seqMean.map { StudyReportPage.number($0, digits: 2) } ?? "—"
            seqAnswers = task.seqAnswers
            paths = task.topPaths.map { PathRow(path: $0.pages.joined(separator: " → "), count: $0.count) }
            hasPaths = !paths.isEmpty
        }
    }

    /// The success rate as a bar from 0 to the estimate with the interval as a whisker.
    struct RateView {
        static let width = 240.0
        static let height = 24.0

        var estimate: String
        var lower: String
        var upper: String
        var svgWidth = StudyReportPage.number(width, digits: 0)
        var svgHeight = StudyReportPage.number(height, digits: 0)
        var barWidth: String
        var lowX: String
        var highX: String
        var midY = StudyReportPage.number(height / 2)
        var tickTop = StudyReportPage.number(height / 2 - 6)
        var tickBottom = StudyReportPage.number(height / 2 + 6)
        var barY = StudyReportPage.number(height / 2 - 5)
        var barHeight = "10.0"

        init(_ interval: ConfidenceInterval) {
            estimate = StudyReportPage.percent(interval.estimate)
            lower = StudyReportPage.percent(interval.lower)
            upper = StudyReportPage.percent(interval.upper)
            barWidth = StudyReportPage.number(interval.estimate * Self.width)
            lowX = StudyReportPage.number(interval.lower * Self.width)
            highX = StudyReportPage.number(interval.upper * Self.width)
        }
    }

    struct PageView {
        var page: String
        var maps: [MapView]
    }

    /// One click map: the points scaled into a box of the viewport's aspect ratio. The most common
    /// viewport sets the box; each point is scaled by its own viewport's width. Points below the
    /// box (the page scrolled past the first screen) are drawn on its bottom edge and counted.
    /// With a backdrop, the box is the whole page as pictured, the picture under the dots.
    struct MapView {
        struct Dot { var cx: String; var cy: String; var misclick: Bool }

        var image: String?
        var imageHeight: String = ""

        var layout: String
        var width: String
        var height: String
        var viewport: String
        var dots: [Dot]
        var count: Int
        var misclicks: Int
        var below: [Int]

        init(_ map: ClickMap, backdrop: ClickBackdrop? = nil) {
            if let backdrop, backdrop.width > 0, backdrop.height > 0 {
                self = MapView(map, over: backdrop)
                return
            }
            let boxWidth = map.layout == .pc ? 360.0 : 180.0
            var viewports: [String: (Int, Int, Int)] = [:]
            for point in map.points {
                let key = "\(point.viewportWidth)x\(point.viewportHeight)"
                let seen = viewports[key]?.2 ?? 0
                viewports[key] = (point.viewportWidth, point.viewportHeight, seen + 1)
            }
            let common = viewports.values.max { ($0.2, $1.0, $1.1) < ($1.2, $0.0, $0.1) } ?? (1, 1, 0)
            let viewportWidth = max(common.0, 1), viewportHeight = max(common.1, 1)
            let boxHeight = boxWidth * Double(viewportHeight) / Double(viewportWidth)
            var below = 0
            dots = map.points.map { point in
                let scale = boxWidth / Double(max(point.viewportWidth, 1))
                let x = min(max(Double(point.x) * scale, 0), boxWidth)
                var y = Double(point.y) * scale
                if y > boxHeight { below += 1; y = boxHeight }
                return Dot(cx: StudyReportPage.number(x), cy: StudyReportPage.number(max(y, 0)), misclick: point.misclick)
            }
            layout = StudyReportPage.label(map.layout)
            width = StudyReportPage.number(boxWidth, digits: 0)
            height = StudyReportPage.number(boxHeight)
            viewport = "\(viewportWidth)×\(viewportHeight)"
            count = map.points.count
            misclicks = map.misclicks
            self.below = below > 0 ? [below] : []
        }

        /// Over a picture of the page: every point at its place on the page (its own viewport's
        /// width scaled to the picture's), however far down.
        init(_ map: ClickMap, over backdrop: ClickBackdrop) {
            let boxWidth = map.layout == .pc ? 480.0 : 240.0
            let boxHeight = boxWidth * Double(backdrop.height) / Double(backdrop.width)
            dots = map.points.map { point in
                let scale = boxWidth / Double(max(point.viewportWidth, 1))
                return Dot(cx: StudyReportPage.number(min(max(Double(point.x) * scale, 0), boxWidth)),
                           cy: StudyReportPage.number(min(max(Double(point.y) * scale, 0), boxHeight)), misclick: point.misclick)
            }
            image = backdrop.dataURL
            imageHeight = StudyReportPage.number(boxHeight)
            layout = StudyReportPage.label(map.layout)
            width = StudyReportPage.number(boxWidth, digits: 0)
            height = StudyReportPage.number(boxHeight)
            viewport = "ページ全体 \(backdrop.width)px 幅"
            count = map.points.count
            misclicks = map.misclicks
            below = []
        }
    }

    struct SUSRow { var participant: String; var score: String; var answers: String }

    struct NoteRow {
        var time: String
        var participant: String
        var task: String
        var into: String
        var tag: String
        var text: String

        init(_ note: NoteEntry) {
            time = EventTime.iso(milliseconds: note.milliseconds)
            participant = note.participant
            task = note.task ?? "—"
            into = note.secondsIntoAttempt.map { StudyReportPage.number($0) + " 秒" } ?? "—"
            tag = StudyReportPage.label(note.tag)
            text = note.text
        }
    }
}
