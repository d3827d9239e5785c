import KenshuAccounts
import Testing

struct PasswordPolicyTests {
    let policy = PasswordPolicy.standard

    @Test func acceptsMixedHalfWidthPassword() {
        #expect(policy.violations(of: "Passw0rd!").isEmpty)
    }

    @Test(arguments: [
        (7, [PasswordPolicy.Violation.tooShort]),
        (8, []),
        (32, []),
        (33, [PasswordPolicy.Violation.tooLong]),
    ])
    func lengthEdges(length: Int, expected: [PasswordPolicy.Violation]) {
        let password = "a1!" + String(repeating: "x", count: length - 3)
        #expect(password.count == length)
        #expect(policy.violations(of: password) == expected)
    }

    @Test func fullWidthLettersAndDigitsAreNotHalfWidth() {
        #expect(
            policy.violations(of: "Ｈｅｌｌｏ＃１２３４")
                == [.notHalfWidth, .missingLetter, .missingDigit, .missingSymbol]
        )
    }

    @Test func fullWidthCharacterCountsAsOne() {
        // 7 half-width + 1 full-width = 8 characters: long enough, but not half-width.
        #expect(policy.violations(of: "abc12!#あ") == [.notHalfWidth])
    }

    @Test func missingKinds() {
        #expect(policy.violations(of: "12345678!") == [.missingLetter])
        #expect(policy.violations(of: "abcdefgh!") == [.missingDigit])
        #expect(policy.violations(of: "abcd1234") == [.missingSymbol])
    }

    @Test func spaceIsNotAllowed() {
        #expect(policy.violations(of: "Pass w0rd!") == [.notHalfWidth])
    }

    @Test func oddInputDoesNotCrash() {
        #expect(policy.violations(of: "") == [.tooShort, .missingLetter, .missingDigit, .missingSymbol])
        #expect(policy.violations(of: String(repeating: "a1!", count: 4_000)) == [.tooLong])
        #expect(policy.violations(of: "Passw0rd!\0") == [.notHalfWidth])
        #expect(policy.violations(of: "Passw0rd!\u{301}") == [.notHalfWidth])
    }
}
