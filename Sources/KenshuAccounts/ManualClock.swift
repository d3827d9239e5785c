import Foundation

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
