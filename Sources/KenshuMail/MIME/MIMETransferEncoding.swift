/// Undoes a Content-Transfer-Encoding (RFC 2045) or the B/Q encodings of RFC 2047.
///
/// Real mail is sloppy: base64 arrives with line breaks, stray characters and missing padding, and
/// quoted-printable with lowercase hex or a lone `=`. Both decoders skip what they cannot read instead of
/// failing, so a damaged part still yields its readable bytes.
enum MIMETransferEncoding {
    /// Decodes `bytes` according to the Content-Transfer-Encoding `name`; 7bit, 8bit, binary and unknown
    /// encodings pass the bytes through untouched.
    static func decode(_ bytes: ArraySlice<UInt8>, encoding name: String) -> [UInt8] {
        switch name.lowercased().filter({ !$0.isWhitespace && $0 != "\"" }) {
        case "base64":
            return decodeBase64(bytes)
        case "quoted-printable":
            return decodeQuotedPrintable(bytes)
        default:
            return Array(bytes)
        }
    }

    /// Decodes base64, ignoring characters outside the alphabet; `=` ends a quantum, so concatenated
    /// padded blocks and unpadded endings both decode.
    static func decodeBase64<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 4 * 3 + 3)
        var accumulator: UInt32 = 0
        var bitCount = 0
        for byte in bytes {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): value = 63
            case UInt8(ascii: "="):
                accumulator = 0
                bitCount = 0
                continue
            default:
                continue
            }
            accumulator = (accumulator << 6) | value
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bitCount)))
                accumulator &= (1 << UInt32(bitCount)) - 1
            }
        }
        return output
    }

    /// Decodes quoted-printable: `=XX` in either case, soft line breaks (`=` before CRLF or LF, even with
    /// trailing blanks), and a lone `=` kept literally. With `underscoreIsSpace` it decodes the RFC 2047
    /// Q encoding instead.
    static func decodeQuotedPrintable<Bytes: Collection<UInt8>>(
        _ bytes: Bytes,
        underscoreIsSpace: Bool = false
    ) -> [UInt8] where Bytes.Index == Int {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var pendingBlanks: [UInt8] = []
        var index = bytes.startIndex
        let end = bytes.endIndex

        func flushBlanks() {
            if !pendingBlanks.isEmpty {
                output.append(contentsOf: pendingBlanks)
                pendingBlanks.removeAll(keepingCapacity: true)
            }
        }

        while index < end {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "="):
                if index + 2 < end, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                    flushBlanks()
                    output.append(high << 4 | low)
                    index += 3
                    continue
                }
                var lookahead = index + 1
                while lookahead < end, bytes[lookahead] == UInt8(ascii: " ") || bytes[lookahead] == UInt8(ascii: "\t") {
                    lookahead += 1
                }
                if lookahead < end, bytes[lookahead] == UInt8(ascii: "\r") { lookahead += 1 }
                if lookahead == end || bytes[lookahead] == UInt8(ascii: "\n") {
                    flushBlanks()
                    index = min(lookahead + 1, end)
                    continue
                }
                flushBlanks()
                output.append(byte)
                index += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                pendingBlanks.append(byte)
                index += 1
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                if !underscoreIsSpace { pendingBlanks.removeAll(keepingCapacity: true) }
                flushBlanks()
                output.append(byte)
                index += 1
            case UInt8(ascii: "_") where underscoreIsSpace:
                flushBlanks()
                output.append(UInt8(ascii: " "))
                index += 1
            default:
                flushBlanks()
                output.append(byte)
                index += 1
            }
        }
        flushBlanks()
        return output
    }

    /// The value of one hexadecimal digit, upper- or lowercase (also used for RFC 2231's %XX).
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
