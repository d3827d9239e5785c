import Foundation

/// A proportion with its 95 % confidence interval.
public struct ConfidenceInterval: Sendable, Hashable {
    public var estimate: Double
    public var lower: Double
    public var upper: Double

    public init(estimate: Double, lower: Double, upper: Double) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
    }

    /// z for a two-sided 95 % interval, as Sauro & Lewis use it.
    public static let z95 = 1.96

    /// The adjusted-Wald interval for `successes` out of `trials` (Agresti & Coull 1998; the one
    /// Sauro & Lewis recommend for the small samples of usability tests): add z²/2 successes and
    /// z² trials, then take the Wald interval around
    /// p̂adj = (x + z²/2) / (n + z²), ± z·√(p̂adj(1 − p̂adj) / (n + z²)), clipped to [0, 1].
    /// The estimate is the plain rate x / n, which is what a report prints. Nil for no trials.
    public static func adjustedWald(successes: Int, trials: Int, z: Double = z95) -> ConfidenceInterval? {
        guard trials > 0, (0...trials).contains(successes) else { return nil }
        let z2 = z * z
        let adjustedTrials = Double(trials) + z2
        let adjusted = (Double(successes) + z2 / 2) / adjustedTrials
        let margin = z * (adjusted * (1 - adjusted) / adjustedTrials).squareRoot()
        return ConfidenceInterval(estimate: Double(successes) / Double(trials),
                                  lower: max(0, adjusted - margin), upper: min(1, adjusted + margin))
    }
}
