import Foundation

/// Fans build events out to every open page (server-sent events).
public actor ReloadBroadcaster {
    public enum Event: Sendable, Equatable {
        /// The build succeeded; these Output/ paths changed.
        case reload([String])
        /// The build failed; the site keeps serving the last good Output/.
        case failed(String)

        /// The wire form: `event:` and one `data:` line of JSON.
        var serverSentEvent: String {
            let (name, payload): (String, Any) = switch self {
            case .reload(let paths): ("reload", ["changed": paths])
            case .failed(let message): ("build-error", ["message": message])
            }
            let json = (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes]))
                .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            return "event: \(name)\ndata: \(json)\n\n"
        }
    }

    private var subscribers: [UUID: AsyncStream<Event>.Continuation] = [:]
    /// A page opened while the build is broken shows the error at once.
    private var currentFailure: String?

    public init() {}

    public func subscribe() -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(8))
        let id = UUID()
        subscribers[id] = continuation
        if let currentFailure { continuation.yield(.failed(currentFailure)) }
        continuation.onTermination = { [weak self] _ in
            Task { await self?.remove(id) }
        }
        return stream
    }

    public func publish(_ event: Event) {
        if case .failed(let message) = event { currentFailure = message } else { currentFailure = nil }
        for continuation in subscribers.values { continuation.yield(event) }
    }

    /// Ends every open event stream, so a graceful shutdown does not wait on pages that would
    /// otherwise stay connected forever.
    public func finish() {
        for continuation in subscribers.values { continuation.finish() }
        subscribers = [:]
    }

    private func remove(_ id: UUID) { subscribers[id] = nil }
}
