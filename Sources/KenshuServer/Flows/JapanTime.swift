import Foundation

/// Dates as the replica shows them: Japan time, in the fixtures' and the manual's formats.
enum JapanTime {
    /// `2021-09-21 10:00`: how fixtures write a moment (`{{ja(…)}}` prints it as the manual does).
    static func fixtureMinute(_ date: Date) -> String { formatter("yyyy-MM-dd HH:mm").string(from: date) }

    static func parseFixtureMinute(_ text: String) -> Date? { formatter("yyyy-MM-dd HH:mm").date(from: text) }

    /// `2021年09月21日 10時00分`: the manual's date-time, for mails and the trainer console.
    static func japaneseMinute(_ date: Date) -> String { formatter("yyyy年MM月dd日 HH時mm分").string(from: date) }

    private static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
        formatter.dateFormat = format
        return formatter
    }
}
