import Testing

@testable import KenshuMail

/// Content-Type / Content-Disposition parameters, RFC 2231 and RFC 2047 file names.
struct MIMEParametersTests {
    @Test func parsesQuotedBoundaryAndCharset() {
        let parameters = MIMEParameters(parsing: "Multipart/Mixed; boundary=\"a;b \\\"c\\\"\"; charset=UTF-8 (comment)")
        #expect(parameters.value == "multipart/mixed")
        #expect(parameters["boundary"] == "a;b \"c\"")
        #expect(parameters["CHARSET"] == "UTF-8")
    }

    @Test func decodesRFC2231ExtendedValue() {
        let parameters = MIMEParameters(parsing: "attachment; filename*=UTF-8''%E5%B1%A5%E6%AD%B4%E6%9B%B8.txt")
        #expect(parameters["filename"] == "履歴書.txt")
    }

    @Test func joinsRFC2231ContinuationsSplittingACharacter() {
        let raw = "attachment;\r\n filename*0*=UTF-8'ja'%E5%B1%A5%E6;\r\n filename*1*=%AD%B4%E6%9B%B8;\r\n filename*2=.txt"
        #expect(MIMEParameters(parsing: raw)["filename"] == "履歴書.txt")
    }

    @Test func prefersExtendedValueOverPlainValue() {
        let raw = "attachment; filename=\"fallback.txt\"; filename*=UTF-8''%E3%81%82.txt"
        #expect(MIMEParameters(parsing: raw)["filename"] == "あ.txt")
    }

    @Test func decodesRFC2047InsideQuotedFileName() {
        let raw = "attachment; filename=\"=?UTF-8?B?6KuL5rGC5pu4LnBkZg==?=\""
        #expect(MIMEParameters(parsing: raw)["filename"] == "請求書.pdf")
    }

    @Test func ignoresHostileSectionNumbers() {
        let raw = "attachment; filename*99999999999999999999=x; filename*5000=y; filename*0=ok"
        #expect(MIMEParameters(parsing: raw)["filename"] == "ok")
    }
}
