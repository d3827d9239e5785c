import Foundation

/// `Tue, 05 Mar 2024 08:03:09 +0000`: the day-month-time form mail (RFC 5322) and HTTP (RFC 9110
/// IMF-fixdate, with `GMT`) share, in UTC, formatted by hand because a `DateFormatter` per
/// message or response costs more than the work around it.
public enum InternetDate {
    /// `zone` ends the text: `+0000` for mail headers, `GMT` for HTTP.
    public static func format(secondsSince1970 second: Int, zone: String) -> String {
        var time = time_t(second)
        var fields = tm()
        gmtime_r(&time, &fields)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func twoDigits(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekdays[Int(fields.tm_wday)]), \(twoDigits(fields.tm_mday)) \(months[Int(fields.tm_mon)]) \(fields.tm_year + 1900) "
            + "\(twoDigits(fields.tm_hour)):\(twoDigits(fields.tm_min)):\(twoDigits(fields.tm_sec)) \(zone)"
    }
}
