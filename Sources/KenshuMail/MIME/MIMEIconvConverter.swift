import Glibc

/// A thin, crash-free wrapper around glibc's iconv that converts any charset iconv knows into UTF-8.
///
/// The output grows chunk by chunk on E2BIG; on EILSEQ the offending byte is skipped and U+FFFD written,
/// on EINVAL (truncated input) U+FFFD ends the text, so a damaged body still shows what converted.
enum MIMEIconvConverter {
    /// The converted text and whether every byte converted without replacement.
    struct Conversion {
        /// The UTF-8 text, with U+FFFD where input could not be converted.
        var text: String
        /// `false` when at least one U+FFFD was inserted for bad input.
        var isClean: Bool
    }

    /// Size of each output chunk handed to iconv.
    private static let chunkSize = 16_384

    /// The UTF-8 encoding of U+FFFD, appended for every byte iconv rejects.
    private static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Converts `bytes` from `charset`; `nil` when iconv does not know the charset.
    static func convert(_ bytes: [UInt8], from charset: String) -> Conversion? {
        let descriptor = iconv_open("UTF-8", charset)
        if Int(bitPattern: descriptor) == -1 { return nil }
        defer { iconv_close(descriptor) }
        if bytes.isEmpty { return Conversion(text: "", isClean: true) }

        var input = bytes
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 2)
        var isClean = true
        var chunk = [CChar](repeating: 0, count: chunkSize)

        input.withUnsafeMutableBytes { inputBytes in
            chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                guard let inputBase = inputBytes.baseAddress?.assumingMemoryBound(to: CChar.self),
                    let chunkBase = chunkBuffer.baseAddress
                else { return }
                var inputPointer: UnsafeMutablePointer<CChar>? = inputBase
                var inputLeft = inputBytes.count

                func appendProduced(_ outputLeft: Int) {
                    let produced = chunkBuffer.count - outputLeft
                    output.append(contentsOf: UnsafeRawBufferPointer(start: chunkBase, count: produced))
                }

                while inputLeft > 0 {
                    var outputPointer: UnsafeMutablePointer<CChar>? = chunkBase
                    var outputLeft = chunkBuffer.count
                    let result = iconv(descriptor, &inputPointer, &inputLeft, &outputPointer, &outputLeft)
                    let failure = result == -1 ? errno : 0
                    appendProduced(outputLeft)
                    if result != -1 { break }
                    switch failure {
                    case E2BIG:
                        continue
                    case EILSEQ:
                        isClean = false
                        output.append(contentsOf: replacementCharacter)
                        inputPointer = inputPointer.map { $0 + 1 }
                        inputLeft -= 1
                    default:
                        isClean = false
                        output.append(contentsOf: replacementCharacter)
                        inputLeft = 0
                    }
                }
                var outputPointer: UnsafeMutablePointer<CChar>? = chunkBase
                var outputLeft = chunkBuffer.count
                _ = iconv(descriptor, nil, nil, &outputPointer, &outputLeft)
                appendProduced(outputLeft)
            }
        }
        return Conversion(text: String(decoding: output, as: UTF8.self), isClean: isClean)
    }
}
