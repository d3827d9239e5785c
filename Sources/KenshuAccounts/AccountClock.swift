import Foundation

/// The source of "now" for every rule (lock counters, key expiry, withdrawal days, session age).
///
/// The rules are all about time windows, so they never call `Date()` directly: tests inject a
/// ``ManualClock`` and the server a ``SystemClock``. The trainer's offset is added on top by
/// ``Accounts/now()``.
public protocol AccountClock: Sendable {
    func now() -> Date
}
