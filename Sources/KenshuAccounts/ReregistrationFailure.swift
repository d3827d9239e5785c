/// Why the 認証キー step of a re-registration was refused.
public enum ReregistrationFailure: Sendable, Equatable {
    case keyMismatch
    case keyExpired
    case keyAlreadyUsed
    case noPendingRequest
}
