/// How an attempt ended: exactly one of these. The names are the usual ones of usability
/// testing (Sauro & Lewis): a success along the intended route is direct, by any other route
/// indirect; help from the facilitator makes an attempt assisted, whatever happened next.
public enum Outcome: Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case directSuccess
    case indirectSuccess
    case failed(FailureReason)
    case gaveUp
    case assisted

    public enum FailureReason: String, Sendable, Hashable, CaseIterable, Codable {
        /// The goal was not reached within the task's time limit (or only after it).
        case timeLimit = "time_limit"
        /// The attempt was ended without the goal reached.
        case wrongEndState = "wrong_end_state"
    }

    public static let allCases: [Outcome] = [
        .directSuccess, .indirectSuccess, .failed(.timeLimit), .failed(.wrongEndState), .gaveUp, .assisted,
    ]

    /// The name in `attempts.csv`, `events.json` and the report: `direct_success`, `failed_time_limit`.
    public var code: String {
        switch self {
        case .directSuccess: "direct_success"
        case .indirectSuccess: "indirect_success"
        case .failed(let reason): "failed_\(reason.rawValue)"
        case .gaveUp: "gave_up"
        case .assisted: "assisted"
        }
    }

    public init?(code: String) {
        guard let outcome = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = outcome
    }

    public var isSuccess: Bool { self == .directSuccess || self == .indirectSuccess }

    public var description: String { code }

    public init(from decoder: Decoder) throws {
        let code = try decoder.singleValueContainer().decode(String.self)
        guard let outcome = Outcome(code: code) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown outcome \(code)"))
        }
        self = outcome
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
