import Foundation

/// A study participant: a pseudonym (`P01`, `P02` … in the order they were created) and the
/// classroom account they use. No real name is needed, so none is kept; a facilitator's paper
/// list links the two.
public struct StudyParticipant: Sendable, Hashable, Identifiable {
    public var id: String
    /// Milliseconds since 1970, when the facilitator created them.
    public var createdAt: Int64
    /// The classroom account (KenshuAccounts' participant id, `p01`) whose pages, rules and mail
    /// the participant uses; nil in an imported log, which has no accounts.
    public var account: String?

    public init(id: String, createdAt: Int64, account: String? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.account = account
    }

    /// `P01` for 1; three digits from 100 on.
    public static func pseudonym(_ number: Int) -> String {
        number < 10 ? "P0\(number)" : "P\(number)"
    }

    /// 7 for `P07`; nil for an id of another form (an imported log may have one).
    public static func number(of pseudonym: String) -> Int? {
        guard pseudonym.hasPrefix("P"), pseudonym.count >= 3 else { return nil }
        return Int(pseudonym.dropFirst())
    }
}
