/// Runs `operation`, but gives up after `timeout` by cancelling it and throwing
/// `timeoutError()`.
///
/// Navigation needs a deadline around several steps at once (a `Page.navigate` that
/// never gets a response from a silent server, then the load event), which per-command
/// timeouts cannot express. The operation must react to cancellation; all waits in
/// `CDPConnection` and `CDPEventWaiter` do.
func withDeadline<Result: Sendable>(
    _ timeout: Duration,
    timeoutError: @escaping @Sendable () -> any Error,
    operation: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw timeoutError()
        }
        defer { group.cancelAll() }
        // The first child to finish (value or error) decides; the other is cancelled.
        guard let first = try await group.next() else { throw timeoutError() }
        return first
    }
}
