import Yams

/// The manual's numbers, from `site.yaml`'s `live.rules`: the rules `kenshu serve` enforces and
/// the numbers the screens, messages, mails and manual notes print, so that text cannot
/// disagree with the rule.
///
/// ```yaml
/// live:
///   rules:
///     attempts_before_lock: 5   # the 5th consecutive wrong password locks
///     key_minutes: 50           # 認証キー validity
///     reregistration_days: 30   # withdrawn ≤ this many days ago may re-register
/// ```
///
/// Templates read them as `site.rules.…`; Content prose (site.yaml's text, page front matter
/// and bodies, the manual's notes and procedures) writes `{{rules.…}}` (see `fill`). Without
/// the block, the manual's numbers apply.
public struct LiveRules: Sendable, Hashable {
    /// The consecutive wrong password that locks the account: 5 means the 5th.
    public var attemptsBeforeLock: Int
    /// How long a mailed 認証キー is valid: with 50, valid at 49:59 and invalid at 50:00.
    public var keyMinutes: Int
    /// An account withdrawn this many days ago or fewer may re-register.
    public var reregistrationDays: Int

    /// The first day that is too late to re-register (マイページ退会後31日以上).
    public var reregistrationTooLateDays: Int { reregistrationDays + 1 }

    public init(attemptsBeforeLock: Int = 5, keyMinutes: Int = 50, reregistrationDays: Int = 30) {
        self.attemptsBeforeLock = attemptsBeforeLock
        self.keyMinutes = keyMinutes
        self.reregistrationDays = reregistrationDays
    }

    /// The manual's numbers: what applies when site.yaml has no `live.rules`.
    public static let manual = LiveRules()

    /// The keys `live.rules` accepts, in the order the manual states them.
    static let keys = ["attempts_before_lock", "key_minutes", "reregistration_days"]

    /// Every number by the name templates (`site.rules.NAME`) and prose (`{{rules.NAME}}`) use,
    /// including the derived `reregistration_too_late_days`.
    public var values: [String: Int] {
        [
            "attempts_before_lock": attemptsBeforeLock,
            "key_minutes": keyMinutes,
            "reregistration_days": reregistrationDays,
            "reregistration_too_late_days": reregistrationTooLateDays,
        ]
    }

    /// Reads `live.rules` (nil: absent). Each number must be a positive whole number written
    /// plainly (a quoted "50" is text, as everywhere in Content); an unknown key is an error
    /// rather than a rule silently left at its default.
    static func parse(_ node: Node?, path: String) throws(ContentError) -> LiveRules {
        guard let node else { return .manual }
        func at(_ node: Node) -> SourceLocation { YAMLContent.location(of: node, path: path) }
        guard case .mapping(let mapping) = node else {
            throw ContentError(at(node), "`live.rules` must map rule names to numbers (\(keys.joined(separator: ", ")))")
        }
        var rules = LiveRules.manual
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            guard keys.contains(key) else {
                let close = keys.min { editDistance($0, key) < editDistance($1, key) }
                let hint = close.map { editDistance($0, key) <= 3 ? "; did you mean `\($0)`?" : "" } ?? ""
                throw ContentError(at(keyNode), "unknown rule `\(key)` in live.rules (known: \(keys.joined(separator: ", ")))\(hint)")
            }
            guard case .scalar(let scalar) = valueNode, scalar.style == .plain || scalar.style == .any,
                  YAMLContent.isDecimalInteger(scalar.string), let number = Int(scalar.string), number > 0 else {
                throw ContentError(at(valueNode), "live.rules.\(key) must be a positive whole number, e.g. \(LiveRules.manual.values[key] ?? 1)")
            }
            switch key {
            case "attempts_before_lock": rules.attemptsBeforeLock = number
            case "key_minutes": rules.keyMinutes = number
            default: rules.reregistrationDays = number
            }
        }
        return rules
    }
}
