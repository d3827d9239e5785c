import Testing

@testable import KenshuMail

/// Charset conversion through iconv, trusting the declared charset.
struct MIMECharsetTests {
    @Test func decodesShiftJISAndRetriesWithWindows31J() {
        let bytes: [UInt8] = [
            0x87, 0x40, 0x8B, 0x81, 0x90, 0x6C, 0x82, 0xCC, 0x82, 0xB2, 0x88, 0xC4, 0x93, 0xE0, 0x82, 0xC5,
            0x82, 0xB7, 0x81, 0x42, 0x81, 0x60,
        ]
        #expect(MIMECharset.decode(bytes, charset: "Shift_JIS") == "①求人のご案内です。～")
        #expect(MIMECharset.decode(bytes, charset: "Windows-31J") == "①求人のご案内です。～")
    }

    @Test func decodesEUCJP() {
        let bytes: [UInt8] = [
            0xB1, 0xFE, 0xCA, 0xE7, 0xA4, 0xAC, 0xB4, 0xB0, 0xCE, 0xBB, 0xA4, 0xB7, 0xA4, 0xDE, 0xA4, 0xB7,
            0xA4, 0xBF, 0xA1, 0xA3,
        ]
        #expect(MIMECharset.decode(bytes, charset: "\"EUC-JP\"") == "応募が完了しました。")
    }

    @Test func decodesISO2022JPWithNECExtensions() {
        let bytes = Array("\u{1B}$B-!\u{1B}(B OK".utf8)
        #expect(MIMECharset.decode(bytes, charset: "ISO-2022-JP") == "① OK")
        #expect(MIMECharset.decode(bytes, charset: "CP50220") == "① OK")
    }

    @Test func decodesLatin1() {
        #expect(MIMECharset.decode([0x63, 0x61, 0x66, 0xE9], charset: "ISO-8859-1") == "café")
    }

    @Test func invalidBytesBecomeReplacementCharacters() {
        let bytes: [UInt8] = [0x41, 0xFF, 0x42]
        #expect(MIMECharset.decode(bytes, charset: "EUC-JP") == "A\u{FFFD}B")
        #expect(MIMECharset.decode(bytes, charset: "UTF-8") == "A\u{FFFD}B")
    }

    @Test func unknownCharsetKeepsASCII() {
        #expect(MIMECharset.decode([0x41, 0xE3, 0x42], charset: "x-klingon") == "A\u{FFFD}B")
    }

    @Test func convertsLargeInputAcrossOutputChunks() {
        let unit: [UInt8] = [0xA4, 0xA2]
        let bytes = [UInt8]((0..<50_000).flatMap { _ in unit })
        let text = MIMECharset.decode(bytes, charset: "EUC-JP")
        #expect(text.count == 50_000)
        #expect(text.allSatisfy { $0 == "あ" })
    }
}
