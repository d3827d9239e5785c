import Foundation

/// Dates are stored as REAL seconds since the reference date: that is `Date`'s own
/// representation, so a value read back compares equal to the one written (GRDB's default
/// text format keeps only milliseconds).
enum StoredDate {
    static func encode(_ date: Date?) -> Double? {
        date?.timeIntervalSinceReferenceDate
    }

    static func decode(_ value: Double?) -> Date? {
        value.map(Date.init(timeIntervalSinceReferenceDate:))
    }
}
