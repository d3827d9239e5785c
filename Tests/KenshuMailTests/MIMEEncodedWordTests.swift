import Testing

@testable import KenshuMail

/// RFC 2047 decoding, including words that split a character across their boundary.
struct MIMEEncodedWordTests {
    @Test func decodesUTF8BEncodedWord() {
        #expect(MIMEEncodedWord.decode("=?UTF-8?B?5pel5pys6Kqe?=") == "日本語")
    }

    @Test func joinsUTF8WordsThatSplitACharacter() {
        let text = "=?UTF-8?B?5pel5g==?= =?UTF-8?B?nKzoqp7jga7ku7blkI3jg4bjgrnjg4g=?="
        #expect(MIMEEncodedWord.decode(text) == "日本語の件名テスト")
    }

    @Test func joinsISO2022JPWordsThatSplitACharacter() {
        let text = "=?ISO-2022-JP?B?GyRCJVElOSU=?=\r\n =?ISO-2022-JP?B?byE8JUk6RkVQTz8/PTl+PHVJVURMQ04bKEI=?="
        #expect(MIMEEncodedWord.decode(text) == "パスワード再登録申込受付通知")
    }

    @Test func decodesQEncodingWithUnderscoresAndLowercaseHex() {
        #expect(MIMEEncodedWord.decode("=?iso-8859-1?q?caf=e9_au_lait?=") == "café au lait")
    }

    @Test func keepsWhitespaceBetweenWordAndLiteralText() {
        #expect(MIMEEncodedWord.decode("Re: =?UTF-8?B?5pel5pys6Kqe?= test") == "Re: 日本語 test")
    }

    @Test func leavesMalformedWordsLiteral() {
        #expect(MIMEEncodedWord.decode("=?UTF-8?X?abc?= =?broken") == "=?UTF-8?X?abc?= =?broken")
    }

    @Test func unknownCharsetKeepsGoing() {
        let decoded = MIMEEncodedWord.decode("=?x-no-such-charset?B?goI=?= ok")
        #expect(decoded == "\u{FFFD}\u{FFFD} ok")
    }
}
