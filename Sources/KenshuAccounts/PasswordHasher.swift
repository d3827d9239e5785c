import Crypto
import Foundation
import _CryptoExtras

/// PBKDF2-HMAC-SHA256 with a 16-byte random salt, stored in a self-describing string so the
/// iteration count can change later without invalidating existing hashes:
/// `pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>`.
public struct PasswordHasher: Sendable {
    static let scheme = "pbkdf2-sha256"
    static let saltByteCount = 16
    static let hashByteCount = 32
    /// Stored strings claiming more iterations than this are refused rather than run, so a
    /// corrupted row cannot stall a login for minutes.
    public static let maximumIterations = 10_000_000

    /// OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.
    public static let standard = PasswordHasher(iterations: 600_000)

    public let iterations: Int

    /// - Precondition: `iterations` is between 1 and 10 000 000. Tests use about 1 000 for
    ///   speed, which is why the unchecked-rounds entry point of _CryptoExtras is used (its
    ///   checked one refuses fewer than 210 000).
    public init(iterations: Int) {
        precondition((1...Self.maximumIterations).contains(iterations), "PBKDF2 iterations out of range")
        self.iterations = iterations
    }

    public func hash(_ password: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<Self.saltByteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let derived = Self.derive(password, salt: salt, iterations: iterations, byteCount: Self.hashByteCount)
        return [Self.scheme, String(iterations), Data(salt).base64EncodedString(), Data(derived).base64EncodedString()]
            .joined(separator: "$")
    }

    /// Recomputes with the iterations and salt stored in `encoded` and compares in constant
    /// time. Malformed strings verify nothing.
    ///
    /// A password containing NUL never verifies: HMAC zero-pads its key, so "pw" and "pw\0"
    /// derive the same hash, and no acceptable password (``PasswordPolicy``) contains NUL.
    public func verify(_ password: String, against encoded: String) -> Bool {
        guard !password.utf8.contains(0) else { return false }
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == Self.scheme,
              let storedIterations = Int(parts[1]), (1...Self.maximumIterations).contains(storedIterations),
              let salt = Data(base64Encoded: String(parts[2])), !salt.isEmpty,
              let expected = Data(base64Encoded: String(parts[3])), (16...64).contains(expected.count)
        else { return false }
        let derived = Self.derive(password, salt: Array(salt), iterations: storedIterations, byteCount: expected.count)
        return ConstantTime.equals(derived, expected)
    }

    /// A well-formed hash of nothing anyone can type, for spending the same time on an unknown
    /// email as on a known one.
    func decoy() -> String {
        let zeros = Data(count: Self.hashByteCount).base64EncodedString()
        let salt = Data(count: Self.saltByteCount).base64EncodedString()
        return [Self.scheme, String(iterations), salt, zeros].joined(separator: "$")
    }

    private static func derive(_ password: String, salt: [UInt8], iterations: Int, byteCount: Int) -> [UInt8] {
        // BoringSSL's wrapper force-unwraps the password buffer's base address, which an empty
        // buffer may not have. HMAC zero-pads its key to the block size, so the empty password
        // and a single 0x00 byte give the very same PBKDF2 output: substitute, don't crash.
        var passwordBytes = Array(password.utf8)
        if passwordBytes.isEmpty { passwordBytes = [0] }
        do {
            let key = try KDF.Insecure.PBKDF2.deriveKey(
                from: passwordBytes,
                salt: salt,
                using: .sha256,
                outputByteCount: byteCount,
                unsafeUncheckedRounds: iterations
            )
            return key.withUnsafeBytes { Array($0) }
        } catch {
            // Only an allocation failure inside BoringSSL gets here; nothing sensible remains.
            fatalError("PBKDF2 failed: \(error)")
        }
    }
}
