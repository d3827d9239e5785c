import Foundation
import Testing

@testable import KenshuMail

/// RFC 5322 dates, current and obsolete forms.
struct MIMEDateParserTests {
    @Test func parsesStandardDateWithOffset() {
        let date = MIMEDateParser.parse("Mon, 23 Nov 2026 16:30:05 +0900")
        #expect(date == Date(timeIntervalSince1970: 1_795_419_005))
    }

    @Test func toleratesObsoleteForms() {
        let expected = Date(timeIntervalSince1970: 1_795_419_000)
        #expect(MIMEDateParser.parse("23 Nov 26 07:30 GMT") == expected)
        #expect(MIMEDateParser.parse("Mon,23 Nov 2026 16:30:00 +0900 (JST)") == expected)
        #expect(MIMEDateParser.parse("Mon Nov 23 2026 02:30:00 EST") == expected)
    }

    @Test func rejectsNonsense() {
        #expect(MIMEDateParser.parse("yesterday") == nil)
        #expect(MIMEDateParser.parse("31 Feb 2026 10:00:00 +0000") == nil)
    }
}
