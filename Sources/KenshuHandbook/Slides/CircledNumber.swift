/// Step numbers as trainers see them in printed manuals: ①②③…⑳.
enum CircledNumber {
    /// U+2460 + n − 1 for 1…20; beyond Unicode's circled range, the plain number in parentheses.
    static func text(for number: Int) -> String {
        guard (1...20).contains(number), let scalar = Unicode.Scalar(0x2460 + UInt32(number - 1)) else {
            return "(\(number))"
        }
        return String(Character(scalar))
    }
}
