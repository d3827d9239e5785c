import Synchronization

/// Waits for the first event of one method on one session.
///
/// It starts listening when it is created, not when `wait()` is called, and remembers
/// an event that arrives in between: `Page.loadEventFired` for a `data:` URL can come
/// back before the reply to `Page.navigate` does, so subscribing after sending would
/// miss it and hang.
final class CDPEventWaiter: Sendable {
    private enum State {
        case waiting(CheckedContinuation<CDPEvent, any Error>?)
        case finished(Result<CDPEvent, any Error>)
    }

    private let state = Mutex(State.waiting(nil))
    private let connection: CDPConnection
    private let token = Mutex<CDPListenerToken?>(nil)

    /// Creates the waiter and registers it with `connection` straight away.
    static func listen(
        on connection: CDPConnection,
        for method: String,
        sessionId: String?,
        where matches: @escaping @Sendable (CDPEvent) -> Bool = { _ in true }
    ) -> CDPEventWaiter {
        let waiter = CDPEventWaiter(connection: connection)
        let token = connection.addListener(
            sessionId: sessionId,
            onEvent: { [weak waiter] event in
                guard event.method == method, matches(event) else { return }
                waiter?.finish(with: .success(event))
            },
            onClose: { [weak waiter] error in waiter?.finish(with: .failure(error)) }
        )
        waiter.token.withLock { $0 = token }
        return waiter
    }

    private init(connection: CDPConnection) {
        self.connection = connection
    }

    deinit {
        stopListening()
    }

    /// Returns the event (maybe one that arrived earlier). Cancelling the task ends the wait.
    func wait() async throws -> CDPEvent {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let earlier: Result<CDPEvent, any Error>? = state.withLock { state in
                    switch state {
                    case .finished(let result):
                        return result
                    case .waiting:
                        state = .waiting(continuation)
                        return nil
                    }
                }
                if let earlier {
                    continuation.resume(with: earlier)
                } else if Task.isCancelled {
                    finish(with: .failure(CancellationError()))
                }
            }
        } onCancel: {
            finish(with: .failure(CancellationError()))
        }
    }

    func stopListening() {
        if let token = token.withLock({ $0 }) {
            connection.removeListener(token)
        }
    }

    private func finish(with result: Result<CDPEvent, any Error>) {
        let continuation: CheckedContinuation<CDPEvent, any Error>?? = state.withLock { state in
            guard case .waiting(let continuation) = state else { return nil }
            state = .finished(result)
            return .some(continuation)
        }
        if let continuation = continuation ?? nil {
            continuation.resume(with: result)
        }
        if case .success = result { stopListening() }
    }
}
