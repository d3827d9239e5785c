import Crypto
import Foundation

/// The class's 256-bit random secret, from which every participant's initial password and access
/// secret are derived with HMAC-SHA256. Deriving instead of storing means the database holds
/// neither in the clear, yet the trainer can reprint any card at any time: same key and id, same
/// card. Each derivation has its own label, so knowing a participant's password reveals nothing
/// about their secret and vice versa.
struct ClassKey: Sendable, Equatable {
    static let byteCount = 32
    /// 160 bits of HMAC output → 32 base32 characters, no padding.
    static let macByteCount = 20
    static let macLength = 32
    static let passwordLength = 12

    static let base32Alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)
    /// Letters without I/O and l/o, digits without 0/1, and symbols that look like nothing else
    /// and sit on every phone keyboard: typed from a printed card without guessing.
    static let passwordLetters = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz".utf8)
    static let passwordDigits = Array("23456789".utf8)
    static let passwordSymbols = Array("#%+-=?@".utf8)

    let bytes: Data

    init(bytes: Data) {
        self.bytes = bytes
    }

    /// 256 bits from the system's CSPRNG.
    static func random() -> ClassKey {
        var generator = SystemRandomNumberGenerator()
        return ClassKey(bytes: Data((0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
    }

    /// `<id>.<mac>`, what the participant's QR code carries.
    func secret(for id: String) -> String {
        "\(id).\(mac(for: id))"
    }

    /// The first 160 bits of HMAC-SHA256(key, "kenshu/participant-secret/v1" NUL id), as 32
    /// lower-case base32 characters (URL-safe, unambiguous in a QR code's byte mode).
    func mac(for id: String) -> String {
        let digest = hmac(label: "kenshu/participant-secret/v1", id: id, counter: nil)
        return Self.base32(digest.prefix(Self.macByteCount))
    }

    /// 12 characters: a letter first, then 11 drawn from letters and digits with one symbol put
    /// at a derived place, and a digit forced in if none came up, so every password satisfies
    /// ``PasswordPolicy/standard``. Characters are drawn by rejection sampling from the HMAC
    /// stream labelled "kenshu/participant-password/v1", so each is uniform over its alphabet.
    func initialPassword(for id: String) -> String {
        var stream = DerivedStream(key: self, label: "kenshu/participant-password/v1", id: id)
        let alphanumerics = Self.passwordLetters + Self.passwordDigits
        var characters = [stream.pick(from: Self.passwordLetters)]
        for _ in 1..<(Self.passwordLength - 1) {
            characters.append(stream.pick(from: alphanumerics))
        }
        let digitPlace = 1 + stream.below(Self.passwordLength - 2)
        let digit = stream.pick(from: Self.passwordDigits)
        if !characters.contains(where: { Self.passwordDigits.contains($0) }) {
            characters[digitPlace] = digit
        }
        let symbolPlace = 1 + stream.below(Self.passwordLength - 1)
        characters.insert(stream.pick(from: Self.passwordSymbols), at: symbolPlace)
        return String(decoding: characters, as: UTF8.self)
    }

    /// HMAC-SHA256 over label NUL id (NUL counter, when given): the NUL keeps "ab"+"c" and
    /// "a"+"bc" apart, and ids never contain NUL.
    func hmac(label: String, id: String, counter: UInt32?) -> [UInt8] {
        var message = Array(label.utf8) + [0] + Array(id.utf8)
        if let counter {
            message.append(0)
            message.append(contentsOf: withUnsafeBytes(of: counter.bigEndian, Array.init))
        }
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: bytes))
        return Array(code)
    }

    /// RFC 4648 base32, lower case, without padding.
    static func base32(_ bytes: some Collection<UInt8>) -> String {
        var result: [UInt8] = []
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                result.append(base32Alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
            buffer &= (1 << bits) - 1
        }
        if bits > 0 {
            result.append(base32Alphabet[(buffer << (5 - bits)) & 31])
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Whether `mac` could be something ``mac(for:)`` returned; checked so odd input costs nothing.
    static func isWellFormedMAC(_ mac: Substring) -> Bool {
        mac.utf8.count == macLength && mac.utf8.allSatisfy { base32Alphabet.contains($0) }
    }
}

/// An endless deterministic byte stream, HMAC(key, label NUL id NUL counter) block after block,
/// from which ``ClassKey/initialPassword(for:)`` draws its characters.
private struct DerivedStream {
    let key: ClassKey
    let label: String
    let id: String
    var counter: UInt32 = 0
    var block: [UInt8] = []

    init(key: ClassKey, label: String, id: String) {
        self.key = key
        self.label = label
        self.id = id
    }

    mutating func nextByte() -> UInt8 {
        if block.isEmpty {
            block = key.hmac(label: label, id: id, counter: counter)
            counter += 1
        }
        return block.removeFirst()
    }

    /// Uniform in `0..<bound` (bound ≤ 256): bytes from the biased top of the range are skipped.
    mutating func below(_ bound: Int) -> Int {
        let limit = 256 - 256 % bound
        while true {
            let byte = Int(nextByte())
            if byte < limit { return byte % bound }
        }
    }

    mutating func pick(from alphabet: [UInt8]) -> UInt8 {
        alphabet[below(alphabet.count)]
    }
}
