import Foundation

/// Parses RFC 5322 `Date:` values, tolerating the obsolete forms of RFC 5322 section 4.3 and common
/// mistakes: two- and three-digit years, zone names (`GMT`, `EST`, `JST`…), missing seconds or weekday,
/// comments such as `(JST)`, and the month before the day.
///
/// Computes the instant arithmetically instead of through a Calendar so that it is cheap and locale-free.
enum MIMEDateParser {
    /// Month abbreviations in order.
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Offsets in minutes of the zone names RFC 822 defined, plus JST which Japanese mailers write.
    private static let zoneNames: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0,
        "est": -300, "edt": -240, "cst": -360, "cdt": -300,
        "mst": -420, "mdt": -360, "pst": -480, "pdt": -420,
        "jst": 540,
    ]

    /// The instant `text` describes, or `nil` when it has no recognisable day, month, year and time.
    static func parse(_ text: String) -> Date? {
        guard text.utf8.count <= 1_000 else { return nil }
        var cleaned = ""
        var depth = 0
        for character in text {
            switch character {
            case "(": depth += 1
            case ")": depth = max(0, depth - 1)
            case ",": if depth == 0 { cleaned.append(" ") }
            default: if depth == 0 { cleaned.append(character) }
            }
        }

        var day: Int?
        var month: Int?
        var year: Int?
        var time: (hour: Int, minute: Int, second: Int)?
        var offsetMinutes: Int?
        for token in cleaned.split(whereSeparator: { $0.isWhitespace }) {
            let lower = token.lowercased()
            if lower.contains(":") {
                guard time == nil else { continue }
                let fields = lower.split(separator: ":").map { Int($0) }
                guard fields.count >= 2, fields.count <= 3, let hour = fields[0], let minute = fields[1] else { continue }
                let second = fields.count == 3 ? fields[2] : 0
                guard let second else { continue }
                time = (hour, minute, second)
            } else if let first = lower.first, first == "+" || first == "-", lower.count == 5,
                let value = Int(lower.dropFirst())
            {
                let minutes = value / 100 * 60 + value % 100
                offsetMinutes = first == "-" ? -minutes : minutes
            } else if let number = Int(lower) {
                if day == nil, lower.count <= 2, number >= 1, number <= 31 {
                    day = number
                } else if year == nil {
                    year = number
                }
            } else if month == nil, lower.count >= 3, let index = months.firstIndex(of: String(lower.prefix(3))) {
                month = index + 1
            } else if offsetMinutes == nil, let zone = zoneNames[lower] {
                offsetMinutes = zone
            }
        }

        guard let day, let month, var year, let time else { return nil }
        if year < 50 {
            year += 2000
        } else if year < 1000 {
            year += 1900
        }
        guard (1...9999).contains(year), (0...23).contains(time.hour), (0...59).contains(time.minute),
            (0...60).contains(time.second), day <= daysIn(month: month, year: year)
        else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + time.hour * 3_600 + time.minute * 60 + time.second - (offsetMinutes ?? 0) * 60
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Days in a month of the proleptic Gregorian calendar.
    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to the given civil date (Howard Hinnant's days_from_civil).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
