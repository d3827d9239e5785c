import Foundation

/// The summary numbers of a usability report. Task times are skewed (a few participants take far
/// longer), so the report gives the median and the geometric mean rather than the arithmetic
/// mean; Sauro & Lewis show the geometric mean is the better estimate of the middle for
/// samples under about 25.
public enum StudyStatistics {
    /// The middle value (the mean of the two middle ones for an even count); nil when empty.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }

    /// exp(mean(ln x)) of the positive values (a time of zero or less is a recording error and
    /// has no logarithm); nil when there are none.
    public static func geometricMean(_ values: [Double]) -> Double? {
        let positive = values.filter { $0 > 0 }
        guard !positive.isEmpty else { return nil }
        return exp(positive.reduce(0) { $0 + log($1) } / Double(positive.count))
    }

    public static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// The System Usability Scale score, 0–100 (Brooke 1996): odd items (positively worded)
    /// score answer − 1, even items (negatively worded) 5 − answer, the sum × 2.5. Nil unless
    /// there are ten answers of 1 to 5.
    public static func susScore(_ answers: [Int]) -> Double? {
        guard answers.count == 10, answers.allSatisfy({ (1...5).contains($0) }) else { return nil }
        let sum = answers.enumerated().reduce(0) { total, item in
            total + (item.offset.isMultiple(of: 2) ? item.element - 1 : 5 - item.element)
        }
        return Double(sum) * 2.5
    }

    /// The most frequent values, most frequent first, ties in `order`; at most `limit`.
    public static func mostCommon<T: Hashable>(_ values: [T], limit: Int,
                                               order: (T, T) -> Bool) -> [(value: T, count: Int)] {
        var counts: [T: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : order($0.key, $1.key) }
            .prefix(limit).map { (value: $0.key, count: $0.value) }
    }
}
