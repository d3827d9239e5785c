/// Finds the body parts of a multipart body (RFC 2046 section 5.1.1).
///
/// A delimiter is a line starting with `--boundary`, followed only by optional `--` and whitespace, so a
/// nested boundary that merely begins with the outer one is not mistaken for it. The line break before a
/// delimiter belongs to the delimiter. The preamble and epilogue are skipped; a missing final delimiter
/// ends the last part at the end of the body.
enum MIMEBoundaryScanner {
    /// The ranges of the parts between delimiters, at most `limit` of them.
    static func bodyRanges(in bytes: [UInt8], range: Range<Int>, boundary: [UInt8], limit: Int) -> [Range<Int>] {
        guard limit > 0 else { return [] }
        let delimiter: [UInt8] = [UInt8(ascii: "-"), UInt8(ascii: "-")] + boundary
        var ranges: [Range<Int>] = []
        var partStart: Int?
        var lineStart = range.lowerBound
        while lineStart < range.upperBound {
            let lineEnd = MIMEHeaderBlock.endOfLine(in: bytes, from: lineStart, limit: range.upperBound)
            let nextLine = lineEnd < range.upperBound ? lineEnd + 1 : range.upperBound
            if let isFinal = delimiterKind(in: bytes, line: lineStart..<lineEnd, delimiter: delimiter) {
                if let start = partStart {
                    var end = lineStart
                    if end > start, bytes[end - 1] == UInt8(ascii: "\n") { end -= 1 }
                    if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                    ranges.append(start..<max(start, end))
                    if ranges.count >= limit { return ranges }
                }
                if isFinal { return ranges }
                partStart = nextLine
            }
            lineStart = nextLine
        }
        if let start = partStart, start < range.upperBound {
            ranges.append(start..<range.upperBound)
        }
        return ranges
    }

    /// `nil` when the line is not a delimiter, otherwise whether it is the closing one.
    private static func delimiterKind(in bytes: [UInt8], line: Range<Int>, delimiter: [UInt8]) -> Bool? {
        guard line.count >= delimiter.count else { return nil }
        for offset in 0..<delimiter.count where bytes[line.lowerBound + offset] != delimiter[offset] {
            return nil
        }
        var index = line.lowerBound + delimiter.count
        var isFinal = false
        if index + 1 < line.upperBound, bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-") {
            isFinal = true
            index += 2
        }
        while index < line.upperBound {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): index += 1
            default: return nil
            }
        }
        return isFinal
    }
}
