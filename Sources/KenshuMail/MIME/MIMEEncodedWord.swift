/// Decodes RFC 2047 encoded words (`=?charset?B?…?=` and `=?charset?Q?…?=`) inside header text.
///
/// Adjacent encoded words separated only by whitespace are joined and that whitespace dropped, as the
/// RFC requires. Their bytes are concatenated before charset conversion when the charsets match, because
/// mailers split ISO-2022-JP escape runs and UTF-8 sequences across words; converting word by word would
/// turn such a split character into U+FFFD.
enum MIMEEncodedWord {
    /// One piece of header text: either literal text or the decoded bytes of an encoded word.
    private enum Segment {
        case literal(Substring.UnicodeScalarView)
        case encoded(charset: String, bytes: [UInt8])
    }

    /// Decodes every encoded word in `text`; anything that does not parse as one stays literal.
    static func decode(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        var segments: [Segment] = []
        let scalars = text.unicodeScalars
        var literalStart = scalars.startIndex
        var index = scalars.startIndex
        while index < scalars.endIndex {
            guard scalars[index] == "=" else {
                index = scalars.index(after: index)
                continue
            }
            switch parseWord(in: scalars, at: index) {
            case .word(let charset, let bytes, let end):
                if literalStart < index {
                    segments.append(.literal(scalars[literalStart..<index]))
                }
                segments.append(.encoded(charset: charset, bytes: bytes))
                index = end
                literalStart = end
            case .notAWord(let resumeAt):
                index = resumeAt
            }
        }
        if literalStart < scalars.endIndex {
            segments.append(.literal(scalars[literalStart..<scalars.endIndex]))
        }
        return render(segments)
    }

    /// Joins the segments: whitespace between two encoded words disappears, and runs of encoded words with
    /// the same charset are converted as one byte string.
    private static func render(_ segments: [Segment]) -> String {
        var result = ""
        var pendingCharset: String?
        var pendingBytes: [UInt8] = []

        func flushPending() {
            if let charset = pendingCharset {
                result += MIMECharset.decode(pendingBytes, charset: charset)
            }
            pendingCharset = nil
            pendingBytes.removeAll(keepingCapacity: true)
        }

        for (position, segment) in segments.enumerated() {
            switch segment {
            case .literal(let literal):
                let isBlank = literal.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
                let betweenEncodedWords =
                    position > 0 && position + 1 < segments.count
                    && isEncoded(segments[position - 1]) && isEncoded(segments[position + 1])
                if isBlank && betweenEncodedWords { continue }
                flushPending()
                result.unicodeScalars.append(contentsOf: literal)
            case .encoded(let charset, let bytes):
                if let pending = pendingCharset, pending != charset {
                    flushPending()
                }
                pendingCharset = charset
                pendingBytes.append(contentsOf: bytes)
            }
        }
        flushPending()
        return result
    }

    /// Whether a segment came from an encoded word.
    private static func isEncoded(_ segment: Segment) -> Bool {
        if case .encoded = segment { return true }
        return false
    }

    /// The outcome of trying to read an encoded word at one position.
    private enum ParseResult {
        /// A well-formed word: its normalised charset, decoded bytes and the index after `?=`.
        case word(charset: String, bytes: [UInt8], end: String.UnicodeScalarView.Index)
        /// Not a word; scanning resumes at `resumeAt`, which skips text that cannot hold a word so that
        /// hostile headers full of `=?` stay linear.
        case notAWord(resumeAt: String.UnicodeScalarView.Index)
    }

    /// Longest encoded text accepted in one word; far above RFC 2047's 75 characters, yet bounded.
    private static let maximumEncodedLength = 16_384

    /// Parses `=?charset?X?text?=` starting at `start`.
    private static func parseWord(
        in scalars: String.UnicodeScalarView,
        at start: String.UnicodeScalarView.Index
    ) -> ParseResult {
        let fallback = ParseResult.notAWord(resumeAt: scalars.index(after: start))
        var index = scalars.index(after: start)
        guard index < scalars.endIndex, scalars[index] == "?" else { return fallback }
        index = scalars.index(after: index)

        var charset = ""
        while index < scalars.endIndex, scalars[index] != "?" {
            let scalar = scalars[index]
            guard scalar.isASCII, scalar.value > 0x20, charset.unicodeScalars.count < 64 else { return fallback }
            charset.unicodeScalars.append(scalar)
            index = scalars.index(after: index)
        }
        guard !charset.isEmpty, index < scalars.endIndex else { return fallback }
        index = scalars.index(after: index)
        guard index < scalars.endIndex else { return fallback }
        let encoding = scalars[index]
        guard encoding == "B" || encoding == "b" || encoding == "Q" || encoding == "q" else { return fallback }
        index = scalars.index(after: index)
        guard index < scalars.endIndex, scalars[index] == "?" else { return fallback }
        index = scalars.index(after: index)

        var encodedText: [UInt8] = []
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if scalar == "?" {
                let next = scalars.index(after: index)
                if next < scalars.endIndex, scalars[next] == "=" {
                    let bytes =
                        encoding == "B" || encoding == "b"
                        ? MIMETransferEncoding.decodeBase64(encodedText)
                        : MIMETransferEncoding.decodeQuotedPrintable(encodedText, underscoreIsSpace: true)
                    return .word(
                        charset: MIMECharset.normalizedName(charset),
                        bytes: bytes,
                        end: scalars.index(after: next)
                    )
                }
            }
            guard scalar.isASCII, scalar.value > 0x20, encodedText.count < maximumEncodedLength else {
                return .notAWord(resumeAt: index)
            }
            encodedText.append(UInt8(truncatingIfNeeded: scalar.value))
            index = scalars.index(after: index)
        }
        return .notAWord(resumeAt: index)
    }
}
