/// The manual's password rule: half-width digits, letters and symbols combined, 8 to 32 characters.
public struct PasswordPolicy: Sendable {
    /// Why a password is refused; the web layer maps each to its own message.
    public enum Violation: Sendable, Equatable, Hashable {
        case tooShort
        case tooLong
        /// Contains anything outside printable ASCII (full-width characters, spaces, controls).
        case notHalfWidth
        case missingLetter
        case missingDigit
        case missingSymbol
    }

    /// Allowed length, counted in `Character`s: a full-width character counts as one (and also
    /// yields ``Violation/notHalfWidth``), as a person counting on screen would.
    public var allowedLength: ClosedRange<Int>

    /// 8...32 characters of half-width letters, digits and symbols, at least one of each kind.
    public static let standard = PasswordPolicy(allowedLength: 8...32)

    public init(allowedLength: ClosedRange<Int>) {
        self.allowedLength = allowedLength
    }

    /// Every rule the password breaks, in a fixed order; empty means acceptable.
    public func violations(of password: String) -> [Violation] {
        var result: [Violation] = []
        // Stop counting once past the limit, so a megabyte of input costs no more than needed.
        let length = password.prefix(allowedLength.upperBound + 1).count
        if length < allowedLength.lowerBound {
            result.append(.tooShort)
        } else if length > allowedLength.upperBound {
            result.append(.tooLong)
        }

        var hasLetter = false
        var hasDigit = false
        var hasSymbol = false
        var allHalfWidth = true
        for scalar in password.unicodeScalars {
            switch scalar.value {
            case 0x41...0x5A, 0x61...0x7A: hasLetter = true
            case 0x30...0x39: hasDigit = true
            case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: hasSymbol = true
            default: allHalfWidth = false
            }
        }
        if !allHalfWidth { result.append(.notHalfWidth) }
        if !hasLetter { result.append(.missingLetter) }
        if !hasDigit { result.append(.missingDigit) }
        if !hasSymbol { result.append(.missingSymbol) }
        return result
    }
}
