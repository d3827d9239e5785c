import Foundation
import Testing
import KenshuSite

/// `JapaneseDate`: the fixtures' minute, the manual's date-time, and `{{ja(…)}}`, in Japan time.
struct JapaneseDateTests {
    /// 2021-09-21 10:00 in Tokyo (01:00 UTC).
    static let moment = Date(timeIntervalSince1970: 1_632_186_000)

    @Test func fixtureMinuteBothWays() {
        #expect(JapaneseDate.fixtureMinute(Self.moment) == "2021-09-21 10:00")
        #expect(JapaneseDate.date(fromFixtureMinute: "2021-09-21 10:00") == Self.moment)
        #expect(JapaneseDate.date(fromFixtureMinute: "2021-12-31 23:59") == Date(timeIntervalSince1970: 1_640_962_740))
    }

    @Test(arguments: ["", "2021-09-21", "2021-9-21 10:00", "2021-09-21T10:00", "2021-09-21 10:00:00", "2021-09-21  10:00",
                      "2021-02-30 10:00", "2021-13-01 10:00", "2021-09-21 24:00", "2021-09-21 10:60", "２０２１-09-21 10:00"])
    func fixtureMinuteIsExact(text: String) {
        #expect(JapaneseDate.date(fromFixtureMinute: text) == nil)
    }

    @Test func manualMinute() {
        #expect(JapaneseDate.manualMinute(Self.moment) == "2021年09月21日 10時00分")
        #expect(JapaneseDate.manualMinute(Self.moment + 50 * 60) == "2021年09月21日 10時50分")
        // Midnight in Tokyo is still the previous day in UTC.
        #expect(JapaneseDate.manualMinute(Date(timeIntervalSince1970: 1_632_150_000)) == "2021年09月21日 00時00分")
    }

    /// What `{{ja(…)}}` prints: the text rewritten as written, no time zone involved.
    @Test func manualTextOfFixtureValues() {
        #expect(JapaneseDate.manualText(iso: "2021-09-21") == "2021年9月21日")
        #expect(JapaneseDate.manualText(iso: "2021-09-21 10:00") == "2021年09月21日 10時00分")
        #expect(JapaneseDate.manualText(iso: "2021-09-21T10:05:30") == "2021年09月21日 10時05分")
        for text in ["0600001", "2021-13-01", "2021-09-32", "2021-09-21 25:00", "2021-09-21 10", "a b c", ""] {
            #expect(JapaneseDate.manualText(iso: text) == nil, "\(text)")
        }
    }

    /// The same output as the `DateFormatter`s the server used before (en_US_POSIX, Asia/Tokyo),
    /// and `{{ja(…)}}` of a fixture minute is the manual's minute.
    @Test(arguments: [0, 1_632_186_000, 1_750_000_000, 1_632_150_000 - 1, 4_102_444_799, -1_000_000_000])
    func agreesWithDateFormatter(seconds: Int) {
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        func formatter(_ format: String) -> DateFormatter {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
            formatter.dateFormat = format
            return formatter
        }
        let fixture = formatter("yyyy-MM-dd HH:mm").string(from: date)
        #expect(JapaneseDate.fixtureMinute(date) == fixture)
        #expect(JapaneseDate.manualMinute(date) == formatter("yyyy年MM月dd日 HH時mm分").string(from: date))
        #expect(JapaneseDate.date(fromFixtureMinute: fixture) == formatter("yyyy-MM-dd HH:mm").date(from: fixture))
        #expect(JapaneseDate.manualText(iso: fixture) == JapaneseDate.manualMinute(date))
    }
}
