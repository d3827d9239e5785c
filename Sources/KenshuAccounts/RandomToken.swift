/// The random strings the module hands out: session and flow ids, and 認証キー.
package enum RandomToken {
    /// The key alphabet leaves out 0/O and 1/I, which people misread when copying from a mail.
    static let keyAlphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    static let keyLength = 8

    /// 128 bits from the system's CSPRNG as 32 lowercase hex digits.
    package static func identifier() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return hex(bytes)
    }

    /// Whether `string` could be something ``identifier()`` returned; checked before any query
    /// so odd cookies (NUL, megabytes, non-ASCII) never reach SQLite.
    static func isWellFormedIdentifier(_ string: String) -> Bool {
        string.utf8.count == 32 && string.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// A new 認証キー (32^8 ≈ 2^40 possibilities, enough for a 50-minute key).
    static func key() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<keyLength).map { _ in keyAlphabet.randomElement(using: &generator)! })
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var result: [UInt8] = []
        for byte in bytes {
            result.append(digits[Int(byte >> 4)])
            result.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: result, as: UTF8.self)
    }
}
