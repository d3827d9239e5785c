import Foundation

/// The source of "now" for every rule (lock counters, key expiry, withdrawal days, session age).
///
/// The rules are all about time windows, so they never call `Date()` directly: tests inject a
/// ``ManualClock`` and the server a ``SystemClock``. The trainer's offset is added on top by
/// ``Accounts/now()``.
public protocol AccountClock: Sendable {
    func now() -> Date
}

/// The wall clock, for the running server.
public struct SystemClock: AccountClock {
    public init() {}

    public func now() -> Date {
        Date()
    }
}

/// A clock that only moves when told to, so tests can stand exactly at 49:59 or 50:00.
///
/// `Synchronization.Mutex` would need macOS 15 while the package supports macOS 14, so the
/// state is guarded by an `NSLock`; every access goes through the lock, hence `@unchecked`.
public final class ManualClock: AccountClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) {
        self.current = start
    }

    public func advance(by seconds: TimeInterval) {
        lock.lock()
        defer { lock.unlock() }
        current += seconds
    }

    public func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }
}
