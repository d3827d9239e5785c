import Foundation
import Glibc

/// Turns the bytes of a body or an encoded word into text using the charset the sender declared.
///
/// Foundation on Linux does not know ISO-2022-JP, Shift_JIS or EUC-JP, so the conversion goes through
/// glibc's iconv. The declared charset is always trusted: the only retry is with the vendor superset of the
/// same charset (Windows-31J for Shift_JIS, the Microsoft variants for EUC-JP and ISO-2022-JP), because
/// Japanese mailers routinely declare the standard name while sending vendor characters such as ①.
/// Nothing here throws: undecodable bytes become U+FFFD and the rest of the text survives.
enum MIMECharset {
    /// Decodes `bytes` declared as `charset`; a missing charset means US-ASCII per RFC 2045, read as UTF-8
    /// so that 8-bit bodies without a declaration still show their text.
    static func decode(_ bytes: [UInt8], charset: String?) -> String {
        let name = normalizedName(charset)
        switch name {
        case "", "us-ascii", "ascii", "utf-8", "utf8", "unicode-1-1-utf-8", "x-unknown", "unknown-8bit":
            return String(decoding: bytes, as: UTF8.self)
        default:
            break
        }
        if bytes.allSatisfy({ $0 < 0x80 }) && !isStatefulOrWide(name) {
            return String(decoding: bytes, as: UTF8.self)
        }
        if isISO2022JP(name) {
            if name == "iso-2022-jp" || name == "csiso2022jp",
                let strict = MIMEIconvConverter.convert(bytes, from: "ISO-2022-JP"), strict.isClean
            {
                return strict.text
            }
            let extendedUnixCode = MIMEISO2022JPTranscoder.eucJP(fromISO2022JP: bytes)
            if let converted = MIMEIconvConverter.convert(extendedUnixCode, from: "EUC-JP-MS") {
                return converted.text
            }
        }
        if let converted = MIMEIconvConverter.convert(bytes, from: name) {
            if converted.isClean { return converted.text }
            if let superset = vendorSuperset(of: name),
                let retried = MIMEIconvConverter.convert(bytes, from: superset)
            {
                return retried.text
            }
            return converted.text
        }
        if let superset = vendorSuperset(of: name),
            let converted = MIMEIconvConverter.convert(bytes, from: superset)
        {
            return converted.text
        }
        return asciiOnly(bytes)
    }

    /// Lowercases and strips quotes, whitespace and an RFC 2231 language suffix (`utf-8*ja`).
    static func normalizedName(_ charset: String?) -> String {
        guard let charset else { return "" }
        var name = charset.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        name.removeAll { $0 == "\"" || $0 == "'" }
        if let star = name.firstIndex(of: "*") {
            name = String(name[..<star])
        }
        return name
    }

    /// The ISO-2022-JP family, which goes through ``MIMEISO2022JPTranscoder`` because glibc has no
    /// ISO-2022-JP-MS (CP50220/CP50221) converter.
    private static func isISO2022JP(_ name: String) -> Bool {
        ["iso-2022-jp", "csiso2022jp", "iso-2022-jp-ms", "cp50220", "cp50221", "cp50222", "iso2022jp", "x-iso-2022-jp"]
            .contains(name)
    }

    /// Charsets whose ASCII-range bytes are not plain ASCII, so the all-ASCII shortcut would be wrong.
    private static func isStatefulOrWide(_ name: String) -> Bool {
        isISO2022JP(name) || name.hasPrefix("utf-16") || name.hasPrefix("utf-32") || name.hasPrefix("ucs-")
            || name.hasPrefix("utf-7") || name.hasPrefix("iso-2022") || name == "hz-gb-2312"
    }

    /// The superset a Japanese mailer most likely meant when it declared a standard charset.
    private static func vendorSuperset(of name: String) -> String? {
        switch name {
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis":
            return "CP932"
        case "euc-jp", "x-euc-jp", "eucjp", "cseucpkdfmtjapanese", "cp51932":
            return "EUC-JP-MS"
        default:
            return nil
        }
    }

    /// The answer for a charset iconv does not know: ASCII stays readable, every other byte is U+FFFD,
    /// because guessing another charset could show the reader wrong text.
    private static func asciiOnly(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            scalars.append(byte < 0x80 ? Unicode.Scalar(byte) : "\u{FFFD}")
        }
        return String(scalars)
    }
}
