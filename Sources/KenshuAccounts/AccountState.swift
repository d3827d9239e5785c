/// What the trainer console shows for an account. Withdrawal wins over a lock, because a
/// withdrawn account cannot sign in either way.
public enum AccountState: Sendable, Equatable {
    case active
    case locked
    case withdrawn(daysAgo: Int)
}
