import Foundation
import Testing
@testable import KenshuStudies

/// The report's statistics against worked values.
///
/// The adjusted-Wald references were computed independently of this code with Python's `math`
/// from the formula as Sauro & Lewis give it (z = 1.96):
///
///     p = (x + z*z/2) / (n + z*z); m = z * sqrt(p * (1 - p) / (n + z*z)); (max(0, p - m), min(1, p + m))
///
/// 7/10 → (0.392320, 0.896664): the "about 39 % to 90 %" of the usual worked example.
struct StatisticsTests {
    @Test(arguments: [
        (7, 10, 0.392320, 0.896664),
        (0, 10, 0.0, 0.320895),
        (10, 10, 0.679105, 1.0),
        (9, 10, 0.574025, 1.0),
        (4, 5, 0.359625, 0.979681),
        (1, 1, 0.167494, 1.0),
    ])
    func adjustedWald(successes: Int, trials: Int, lower: Double, upper: Double) throws {
        let interval = try #require(ConfidenceInterval.adjustedWald(successes: successes, trials: trials))
        #expect(abs(interval.lower - lower) < 1e-6)
        #expect(abs(interval.upper - upper) < 1e-6)
        #expect(interval.estimate == Double(successes) / Double(trials))
    }

    @Test func adjustedWaldNeedsTrials() {
        #expect(ConfidenceInterval.adjustedWald(successes: 0, trials: 0) == nil)
        #expect(ConfidenceInterval.adjustedWald(successes: 3, trials: 2) == nil)
    }

    @Test func susWorkedValues() {
        #expect(StudyStatistics.susScore(Array(repeating: 3, count: 10)) == 50)
        #expect(StudyStatistics.susScore([5, 1, 5, 1, 5, 1, 5, 1, 5, 1]) == 100)
        #expect(StudyStatistics.susScore([1, 5, 1, 5, 1, 5, 1, 5, 1, 5]) == 0)
        // Odd items 4 → 3 each (15), even items 2 → 3 each (15): 30 × 2.5.
        #expect(StudyStatistics.susScore([4, 2, 4, 2, 4, 2, 4, 2, 4, 2]) == 75)
        // Odd: 4 + 3 + 2 + 3 + 4 = 16; even: 4 + 3 + 2 + 4 + 3 = 16; 32 × 2.5.
        #expect(StudyStatistics.susScore([5, 1, 4, 2, 3, 3, 4, 1, 5, 2]) == 80)
        #expect(StudyStatistics.susScore([3, 3, 3]) == nil)
        #expect(StudyStatistics.susScore([0, 3, 3, 3, 3, 3, 3, 3, 3, 3]) == nil)
    }

    @Test func geometricMeanAndMedian() throws {
        // exp(mean(ln [30, 45, 60, 120, 600])) = 89.7766721843… (Python: statistics.geometric_mean).
        let times: [Double] = [600, 30, 120, 45, 60]
        #expect(abs(try #require(StudyStatistics.geometricMean(times)) - 89.77667218433062) < 1e-9)
        #expect(StudyStatistics.geometricMean([2, 8]) == 4)
        #expect(StudyStatistics.geometricMean([]) == nil)
        #expect(StudyStatistics.geometricMean([0, 4]) == 4)
        #expect(StudyStatistics.median(times) == 60)
        #expect(StudyStatistics.median([1, 2, 3, 10]) == 2.5)
        #expect(StudyStatistics.median([]) == nil)
        #expect(StudyStatistics.mean([5, 6, 7]) == 6)
    }

    @Test func mostCommonPathsFirstTiesInOrder() {
        let paths = [["a", "b"], ["a", "c"], ["a", "b"], ["d"], ["a", "c"], ["a", "b"]]
        let top = StudyStatistics.mostCommon(paths, limit: 2) { $0.joined() < $1.joined() }
        #expect(top.map(\.value) == [["a", "b"], ["a", "c"]])
        #expect(top.map(\.count) == [3, 2])
    }

    @Test func layoutsSplitAtTheStylesheetBreakpoint() {
        #expect(StudyLayout(viewportWidth: 390) == .sp)
        #expect(StudyLayout(viewportWidth: 767) == .sp)
        #expect(StudyLayout(viewportWidth: 768) == .pc)
        #expect(StudyLayout(viewportWidth: 1280) == .pc)
    }

    @Test func pathsLoseKeysAndQueries() {
        #expect(StudyPath.collapse("/v2/login.html?email=a%40b.jp#top") == "v2/login.html")
        #expect(StudyPath.collapse("http://127.0.0.1:8080/v2/home.html?x=1") == "v2/home.html")
        #expect(StudyPath.collapse("/join/Xk3vQ9aZ2mP7Lr8T") == "join/…")
        #expect(StudyPath.collapse("/join/abc") == "join/…")
        #expect(StudyPath.collapse("/mailbox/m/1714550400.M1P2.kenshu") == "mailbox/m/…")
        #expect(StudyPath.collapse("/mailbox") == "mailbox")
        #expect(StudyPath.collapse("/v2/") == "v2/index.html")
        #expect(StudyPath.collapse("/") == "index.html")
        #expect(StudyPath.collapse("/v2/reset/8f3a9c2e1b7d4f60a5e2") == "v2/reset/…")
        #expect(StudyPath.collapse(StudyPath.collapse("/join/abc?x")) == "join/…")
        #expect(StudyPath.page("v2/home.html", is: "home.html"))
        #expect(StudyPath.page("/v2/home.html?x=1", is: "v2/home.html"))
        #expect(!StudyPath.page("v2/mynaportal/login.html", is: "login.html"))
    }

    @Test func eventTimesRoundTripToTheMillisecond() {
        for milliseconds: Int64 in [0, 1, 999, 1_746_093_600_250, 951_782_400_000, 4_102_444_799_999, -1, -86_400_001] {
            let text = EventTime.iso(milliseconds: milliseconds)
            #expect(EventTime.milliseconds(iso: text) == milliseconds, "\(text)")
        }
        #expect(EventTime.iso(milliseconds: 1_746_093_600_250) == "2025-05-01T10:00:00.250Z")
        #expect(EventTime.iso(milliseconds: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
        #expect(EventTime.milliseconds(iso: "2025-05-01T10:00:00Z") == 1_746_093_600_000)
        #expect(EventTime.milliseconds(iso: "2025-05-01T10:00:00.5Z") == 1_746_093_600_500)
        #expect(EventTime.milliseconds(iso: "2025-05-01 10:00:00Z") == nil)
        #expect(EventTime.milliseconds(iso: "2025-13-01T10:00:00Z") == nil)
    }
}
