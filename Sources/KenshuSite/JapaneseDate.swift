import Foundation

/// Dates as the replica shows them, in Japan time: the fixtures' way of writing a moment and
/// the two formats of the manual's screens. Templates reach it through `{{ja(…)}}`; the server
/// uses it for mails, the trainer console and 前回のログイン日時.
///
/// Built on `Calendar` rather than `DateFormatter`: the result is the same, a `Calendar` is a
/// value that may be shared between threads, and no formatter has to be made per call.
public enum JapaneseDate {
    /// Asia/Tokyo. Japan keeps no daylight saving time, so a fixed UTC+9 is the same zone
    /// where the system has no time zone database.
    public static let timeZone = TimeZone(identifier: "Asia/Tokyo") ?? TimeZone(secondsFromGMT: 9 * 3600)!

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }()

    /// `2021-09-21 10:00` (`yyyy-MM-dd HH:mm`): how fixtures write a moment, and what
    /// `{{ja(…)}}` turns into the manual's date-time.
    public static func fixtureMinute(_ date: Date) -> String {
        let (year, month, day, hour, minute) = fields(of: date)
        return "\(four(year))-\(two(month))-\(two(day)) \(two(hour)):\(two(minute))"
    }

    /// The moment a fixture's `yyyy-MM-dd HH:mm` names, in Japan time; nil for anything else
    /// (another layout, or a day the calendar does not have, such as 2021-02-30).
    public static func date(fromFixtureMinute text: String) -> Date? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let date = numbers(parts[0], separator: "-", widths: [4, 2, 2]),
              let clock = numbers(parts[1], separator: ":", widths: [2, 2]),
              (0...23).contains(clock[0]), (0...59).contains(clock[1]) else { return nil }
        let components = DateComponents(year: date[0], month: date[1], day: date[2], hour: clock[0], minute: clock[1])
        guard let moment = calendar.date(from: components) else { return nil }
        // The calendar rolls 2021-02-30 over into March: such a day is not a date.
        let back = fields(of: moment)
        guard (back.year, back.month, back.day) == (date[0], date[1], date[2]) else { return nil }
        return moment
    }

    /// `2021年09月21日 10時00分` (`yyyy年MM月dd日 HH時mm分`): the manual's date-time, for mails,
    /// the trainer console and the like.
    public static func manualMinute(_ date: Date) -> String {
        let (year, month, day, hour, minute) = fields(of: date)
        return "\(four(year))年\(two(month))月\(two(day))日 \(two(hour))時\(two(minute))分"
    }

    /// What `{{ja(…)}}` prints: an ISO date `2021-09-21` as `2021年9月21日`, an ISO date-time
    /// `2021-09-21 10:00` (or with `T`, seconds ignored) as `2021年09月21日 10時00分`, the two
    /// formats the manual uses. The text is rewritten as written, without time zones; nil
    /// for anything else.
    public static func manualText(iso: String) -> String? {
        let parts = iso.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-").compactMap { Int($0) }
        guard date.count == 3, (1...12).contains(date[1]), (1...31).contains(date[2]) else { return nil }
        let (year, month, day) = (date[0], date[1], date[2])
        guard parts.count == 2 else { return "\(year)年\(month)月\(day)日" }
        let clock = parts[1].split(separator: ":").compactMap { Int($0) }
        guard clock.count >= 2, (0...23).contains(clock[0]), (0...59).contains(clock[1]) else { return nil }
        return "\(year)年\(two(month))月\(two(day))日 \(two(clock[0]))時\(two(clock[1]))分"
    }

    private static func fields(of date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return (parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
    }

    /// ASCII digits of exactly these widths between separators, as numbers.
    private static func numbers(_ text: Substring, separator: Character, widths: [Int]) -> [Int]? {
        let fields = text.split(separator: separator, omittingEmptySubsequences: false)
        guard fields.count == widths.count else { return nil }
        var numbers: [Int] = []
        for (field, width) in zip(fields, widths) {
            guard field.count == width, field.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(field) else { return nil }
            numbers.append(number)
        }
        return numbers
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    private static func four(_ n: Int) -> String { String(repeating: "0", count: max(0, 4 - String(n).count)) + String(n) }
}
