import Foundation

/// Splits the header block of a message or body part from its body and unfolds the header fields.
///
/// Works on byte ranges of the original message so that nested parts never copy the message; accepts
/// both CRLF and bare LF line ends, because stored mail often has either.
enum MIMEHeaderBlock {
    /// Headers kept per block; a hostile block with more fields is cut here to bound memory.
    static let maximumHeaderCount = 10_000

    /// Parses the header fields in `range` of `bytes` and returns them with the index where the body starts
    /// (just after the empty line, or the end of the range when there is none).
    static func parse(_ bytes: [UInt8], in range: Range<Int>) -> (headers: [MIMEHeader], bodyStart: Int) {
        var fieldLines: [Range<Int>] = []
        var position = range.lowerBound
        var bodyStart = range.upperBound
        while position < range.upperBound {
            let lineEnd = endOfLine(in: bytes, from: position, limit: range.upperBound)
            let nextLine = lineEnd < range.upperBound ? lineEnd + 1 : range.upperBound
            var contentEnd = lineEnd
            if contentEnd > position, bytes[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
            if contentEnd == position {
                bodyStart = nextLine
                break
            }
            let first = bytes[position]
            if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t"), let last = fieldLines.last {
                fieldLines[fieldLines.count - 1] = last.lowerBound..<contentEnd
            } else if fieldLines.count < maximumHeaderCount {
                fieldLines.append(position..<contentEnd)
            }
            position = nextLine
        }
        return (fieldLines.compactMap { header(from: bytes, in: $0) }, bodyStart)
    }

    /// The index of the next LF at or after `start`, or `limit` when there is none.
    static func endOfLine(in bytes: [UInt8], from start: Int, limit: Int) -> Int {
        var index = start
        while index < limit, bytes[index] != UInt8(ascii: "\n") { index += 1 }
        return index
    }

    /// Builds one header from a folded field; line breaks inside it are removed (unfolding keeps the
    /// whitespace that follows them). Lines without a colon, such as an mbox `From ` line, are skipped.
    private static func header(from bytes: [UInt8], in range: Range<Int>) -> MIMEHeader? {
        guard let colon = bytes[range].firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let name = String(decoding: bytes[range.lowerBound..<colon], as: UTF8.self)
            .trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, !name.contains(" ") else { return nil }
        var valueBytes: [UInt8] = []
        valueBytes.reserveCapacity(range.upperBound - colon)
        for byte in bytes[(colon + 1)..<range.upperBound] where byte != UInt8(ascii: "\r") && byte != UInt8(ascii: "\n") {
            valueBytes.append(byte)
        }
        let rawValue = String(decoding: valueBytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        return MIMEHeader(name: name, rawValue: rawValue)
    }
}
