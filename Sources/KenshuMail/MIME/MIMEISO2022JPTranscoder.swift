/// Rewrites ISO-2022-JP (including the CP50220/CP50221 variants) as EUC-JP bytes.
///
/// glibc has no ISO-2022-JP-MS converter, but its EUC-JP-MS converter knows the NEC and IBM extension
/// characters that Japanese mailers put inside `ESC $ B` runs. Both encodings carry the same JIS code
/// points, so moving them into EUC-JP is a lossless re-framing, not a guess.
enum MIMEISO2022JPTranscoder {
    /// The character set selected by the last escape sequence.
    private enum Mode {
        case ascii
        case jisX0208
        case jisX0212
        case halfwidthKatakana
    }

    /// A byte EUC-JP-MS rejects, used where the input is not valid ISO-2022-JP so that iconv writes U+FFFD.
    private static let invalidByte: UInt8 = 0xFF

    /// Converts ISO-2022-JP `bytes` to EUC-JP; bytes outside the encoding become an invalid marker.
    static func eucJP(fromISO2022JP bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var mode = Mode.ascii
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x1B, let (newMode, length) = escapeSequence(in: bytes, at: index) {
                mode = newMode
                index += length
                continue
            }
            switch byte {
            case 0x0E:
                mode = .halfwidthKatakana
                index += 1
                continue
            case 0x0F:
                mode = .ascii
                index += 1
                continue
            case 0x0A, 0x0D:
                output.append(byte)
                index += 1
                continue
            default:
                break
            }
            if byte >= 0x80 {
                output.append(invalidByte)
                index += 1
                continue
            }
            switch mode {
            case .ascii:
                output.append(byte)
                index += 1
            case .halfwidthKatakana:
                if (0x21...0x5F).contains(byte) {
                    output.append(contentsOf: [0x8E, byte | 0x80])
                } else {
                    output.append(byte)
                }
                index += 1
            case .jisX0208, .jisX0212:
                guard (0x21...0x7E).contains(byte), index + 1 < bytes.count,
                    (0x21...0x7E).contains(bytes[index + 1])
                else {
                    output.append(byte < 0x21 ? byte : invalidByte)
                    index += 1
                    continue
                }
                if mode == .jisX0212 { output.append(0x8F) }
                output.append(contentsOf: [byte | 0x80, bytes[index + 1] | 0x80])
                index += 2
            }
        }
        return output
    }

    /// Recognises the designations RFC 1468 and the Microsoft variants use; `nil` for anything else.
    private static func escapeSequence(in bytes: [UInt8], at index: Int) -> (Mode, Int)? {
        func matches(_ sequence: [UInt8]) -> Bool {
            index + sequence.count <= bytes.count && Array(bytes[index..<(index + sequence.count)]) == sequence
        }
        if matches([0x1B, 0x26, 0x40, 0x1B, 0x24, 0x42]) { return (.jisX0208, 6) }
        if matches([0x1B, 0x24, 0x42]) || matches([0x1B, 0x24, 0x40]) { return (.jisX0208, 3) }
        if matches([0x1B, 0x24, 0x28, 0x44]) { return (.jisX0212, 4) }
        if matches([0x1B, 0x28, 0x42]) || matches([0x1B, 0x28, 0x4A]) || matches([0x1B, 0x28, 0x48]) {
            return (.ascii, 3)
        }
        if matches([0x1B, 0x28, 0x49]) { return (.halfwidthKatakana, 3) }
        return nil
    }
}
