/// Comparisons whose running time does not depend on where the inputs differ, so an attacker
/// timing responses cannot learn a stored hash or key digest byte by byte.
package enum ConstantTime {
    /// `true` when both byte sequences are equal. The length itself is not secret (digests have
    /// fixed sizes), so different lengths return early.
    package static func equals<A: Collection<UInt8>, B: Collection<UInt8>>(_ lhs: A, _ rhs: B) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) {
            difference |= left ^ right
        }
        return difference == 0
    }
}
