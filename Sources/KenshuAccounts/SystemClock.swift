import Foundation

/// The wall clock, for the running server.
public struct SystemClock: AccountClock {
    public init() {}

    public func now() -> Date {
        Date()
    }
}
