import Foundation
import Testing

@testable import KenshuAccounts

struct PasswordHasherTests {
    let hasher = PasswordHasher(iterations: 1_000)

    @Test func formatIsSelfDescribing() throws {
        let encoded = hasher.hash("Passw0rd!")
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        #expect(parts.count == 4)
        #expect(parts[0] == "pbkdf2-sha256")
        #expect(parts[1] == "1000")
        #expect(Data(base64Encoded: String(parts[2]))?.count == 16)
        #expect(Data(base64Encoded: String(parts[3]))?.count == 32)
    }

    @Test func verifiesRightAndRefusesWrong() {
        let encoded = hasher.hash("Passw0rd!")
        #expect(hasher.verify("Passw0rd!", against: encoded))
        #expect(!hasher.verify("Passw0rd?", against: encoded))
        #expect(!hasher.verify("", against: encoded))
    }

    @Test func saltMakesEveryHashDifferent() {
        #expect(hasher.hash("Passw0rd!") != hasher.hash("Passw0rd!"))
    }

    @Test func usesIterationsStoredInTheHash() {
        let encoded = PasswordHasher(iterations: 2_000).hash("Passw0rd!")
        #expect(hasher.verify("Passw0rd!", against: encoded))
    }

    @Test func knownVector() {
        // RFC 7914 §11 PBKDF2-HMAC-SHA256 test vector: P="passwd", S="salt", c=1, dkLen=64
        // (first 32 bytes).
        let salt = Data("salt".utf8).base64EncodedString()
        let expected = Data([
            0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f, 0xec, 0x16, 0x91, 0xc2, 0x25, 0x44, 0xb6, 0x05,
            0xf9, 0x41, 0x85, 0x21, 0x6d, 0xde, 0x04, 0x65, 0xe6, 0x8b, 0x9d, 0x57, 0xc2, 0x0d, 0xac, 0xbc,
        ]).base64EncodedString()
        #expect(hasher.verify("passwd", against: "pbkdf2-sha256$1$\(salt)$\(expected)"))
        #expect(!hasher.verify("passwe", against: "pbkdf2-sha256$1$\(salt)$\(expected)"))
    }

    @Test func emptyAndOddPasswordsHashWithoutCrashing() {
        let empty = hasher.hash("")
        #expect(hasher.verify("", against: empty))
        #expect(!hasher.verify("x", against: empty))
        let odd = "Ｈｅｌｌｏ　" + String(repeating: "𠮷", count: 10_000)
        #expect(hasher.verify(odd, against: hasher.hash(odd)))
        #expect(!hasher.verify(odd + "x", against: hasher.hash(odd)))
    }

    @Test func trailingNulDoesNotMatch() {
        // HMAC zero-pads keys, so plain PBKDF2 would accept "Passw0rd!\0" for "Passw0rd!".
        let encoded = hasher.hash("Passw0rd!")
        #expect(!hasher.verify("Passw0rd!\0", against: encoded))
        #expect(!hasher.verify("\0", against: hasher.hash("")))
    }

    @Test func malformedHashesVerifyNothing() {
        for encoded in [
            "", "$$$", "pbkdf2-sha256$1000$$", "md5$1000$c2FsdA==$AAAA", "pbkdf2-sha256$0$c2FsdA==$AAAAAAAAAAAAAAAAAAAAAA==",
            "pbkdf2-sha256$-5$c2FsdA==$AAAAAAAAAAAAAAAAAAAAAA==", "pbkdf2-sha256$99999999999$c2FsdA==$AAAAAAAAAAAAAAAAAAAAAA==",
            "pbkdf2-sha256$1000$!!!$AAAAAAAAAAAAAAAAAAAAAA==", "pbkdf2-sha256$1000$c2FsdA==$AAAA$extra",
        ] {
            #expect(!hasher.verify("Passw0rd!", against: encoded), "\(encoded)")
        }
    }

    @Test func standardUsesOWASPIterations() {
        #expect(PasswordHasher.standard.iterations == 600_000)
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals([UInt8](), [UInt8]()))
        #expect(ConstantTime.equals([1, 2, 3] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(!ConstantTime.equals([1, 2, 3] as [UInt8], [1, 2, 4] as [UInt8]))
        #expect(!ConstantTime.equals([0, 2, 3] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(!ConstantTime.equals([1, 2] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(ConstantTime.equals(Data([9, 8]), [9, 8] as [UInt8]))
        #expect(!ConstantTime.equals([0x80] as [UInt8], [0x00] as [UInt8]))
    }
}
