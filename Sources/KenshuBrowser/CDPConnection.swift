import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The DevTools pipe to one Chromium process: NUL-separated JSON in both directions.
///
/// Commands are written from whatever thread the calling task runs on; replies and
/// events are read by one dedicated thread doing blocking `read`, because a blocking
/// read is the simplest correct way to consume a pipe and it never ties up a thread of
/// Swift's cooperative pool. Replies (with `id`) resume the waiting caller's
/// continuation; events (with `method`) go to the listeners of their session.
final class CDPConnection: Sendable {
    private struct PendingCommand {
        let method: String
        let continuation: CheckedContinuation<JSONObject, any Error>
    }

    private struct Listener {
        let sessionId: String?
        let onEvent: @Sendable (CDPEvent) -> Void
        let onClose: @Sendable (BrowserError) -> Void
    }

    private struct State {
        var lastCommandId = 0
        var pending: [Int: PendingCommand] = [:]
        var lastListenerId = 0
        var listeners: [Int: Listener] = [:]
        /// Set once the pipe is gone; every later command fails with it at once.
        var closedError: BrowserError?
        /// `Browser.close()` is in progress, so EOF is expected, not a crash.
        var closingOnPurpose = false
    }

    private let state = Mutex(State())
    /// Our write end of the command pipe (Chromium's fd 3), -1 once closed. Writes hold
    /// this lock for the whole frame so two tasks' frames can never interleave.
    private let commandPipe: Mutex<Int32>
    /// Our read end of the reply pipe (Chromium's fd 4); owned and closed by the reader thread.
    private let replyFD: Int32
    /// Reads the end of Chromium's stderr log, to explain an unexpected EOF.
    private let logTail: @Sendable () -> String
    /// `KENSHU_CDP_TRACE=1` prints every frame to stderr; invaluable when a wait hangs.
    private let trace = ProcessInfo.processInfo.environment["KENSHU_CDP_TRACE"] == "1"

    init(commandFD: Int32, replyFD: Int32, logTail: @escaping @Sendable () -> String) {
        self.commandPipe = Mutex(commandFD)
        self.replyFD = replyFD
        self.logTail = logTail
    }

    func startReading() {
        let thread = Thread { [self] in readLoop() }
        thread.name = "KenshuBrowser CDP reader"
        thread.start()
    }

    // MARK: Commands

    /// Sends one command and waits for its reply's `result`.
    ///
    /// Fails with `.protocolError` when Chromium answers with an error, with
    /// `.commandTimedOut` after `timeout`, and with `CancellationError` when the calling
    /// task is cancelled (so `withDeadline` can abandon a hanging `Page.navigate`).
    func send(
        _ method: String,
        _ params: [String: Any] = [:],
        sessionId: String? = nil,
        timeout: Duration = .seconds(60)
    ) async throws -> JSONObject {
        let id = state.withLock { state in
            state.lastCommandId += 1
            return state.lastCommandId
        }
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if let sessionId { message["sessionId"] = sessionId }
        let frame = try JSONSerialization.data(withJSONObject: message)
        traceFrame("->", frame)

        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            self?.finishCommand(id, with: .failure(BrowserError.commandTimedOut(method: method, timeout: timeout)))
        }
        defer { timer.cancel() }

        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let alreadyClosed: BrowserError? = state.withLock { state in
                    if let error = state.closedError { return error }
                    state.pending[id] = PendingCommand(method: method, continuation: continuation)
                    return nil
                }
                if let alreadyClosed {
                    continuation.resume(throwing: alreadyClosed)
                    return
                }
                // The cancellation handler may have run before we registered.
                if Task.isCancelled {
                    finishCommand(id, with: .failure(CancellationError()))
                    return
                }
                do {
                    try writeFrame(frame)
                } catch {
                    finishCommand(id, with: .failure(error))
                }
            }
        } onCancel: {
            finishCommand(id, with: .failure(CancellationError()))
        }
    }

    /// Resumes the caller waiting for command `id`, if it is still waiting. Called by the
    /// reader thread, the timeout timer and cancellation; whichever comes first wins.
    private func finishCommand(_ id: Int, with result: Result<JSONObject, any Error>) {
        let command = state.withLock { $0.pending.removeValue(forKey: id) }
        command?.continuation.resume(with: result)
    }

    private func writeFrame(_ json: Data) throws {
        var frame = json
        frame.append(0)
        try commandPipe.withLock { fd throws -> Void in
            guard fd >= 0 else { throw currentClosedError() }
            try frame.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws -> Void in
                var offset = 0
                while offset < bytes.count {
                    let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        // EPIPE: Chromium is gone (SIGPIPE is ignored, see ChromiumProcess).
                        throw currentClosedError()
                    }
                    offset += written
                }
            }
        }
    }

    private func currentClosedError() -> BrowserError {
        let closingOnPurpose = state.withLock { $0.closedError ?? ($0.closingOnPurpose ? .browserClosed : nil) }
        return closingOnPurpose ?? .connectionClosed(logTail: logTail())
    }

    // MARK: Events

    /// Registers a listener for events of one session (`nil`: browser-level events).
    /// `onClose` runs once if the pipe closes, so waiters never hang on a dead browser.
    /// Both callbacks run on the reader thread and must not block.
    func addListener(
        sessionId: String?,
        onEvent: @escaping @Sendable (CDPEvent) -> Void,
        onClose: @escaping @Sendable (BrowserError) -> Void
    ) -> CDPListenerToken {
        let listener = Listener(sessionId: sessionId, onEvent: onEvent, onClose: onClose)
        let (token, closedError) = state.withLock { state -> (CDPListenerToken, BrowserError?) in
            state.lastListenerId += 1
            if state.closedError == nil {
                state.listeners[state.lastListenerId] = listener
            }
            return (CDPListenerToken(rawValue: state.lastListenerId), state.closedError)
        }
        if let closedError { onClose(closedError) }
        return token
    }

    func removeListener(_ token: CDPListenerToken) {
        _ = state.withLock { $0.listeners.removeValue(forKey: token.rawValue) }
    }

    // MARK: Shutdown

    /// Tells the connection that EOF is coming because we asked for it.
    func markClosingOnPurpose() {
        state.withLock { $0.closingOnPurpose = true }
    }

    /// Closes our write end. Chromium treats EOF on its command pipe as "quit", which
    /// makes this a second, gentler way to stop it besides `Browser.close`.
    func closeCommandPipe() {
        commandPipe.withLock { fd in
            if fd >= 0 {
                close(fd)
                fd = -1
            }
        }
    }

    // MARK: Reader thread

    private func readLoop() {
        let chunkSize = 1 << 20  // screenshots arrive as one multi-megabyte frame
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 1)
        defer { chunk.deallocate() }
        var partialFrame = Data()
        while true {
            let count = read(replyFD, chunk, chunkSize)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            var start = 0
            // memchr keeps splitting cheap even in debug builds.
            while start < count, let nul = memchr(chunk + start, 0, count - start) {
                let end = chunk.distance(to: nul)
                partialFrame.append(chunk.assumingMemoryBound(to: UInt8.self) + start, count: end - start)
                handleFrame(partialFrame)
                partialFrame.removeAll(keepingCapacity: true)
                start = end + 1
            }
            if start < count {
                partialFrame.append(chunk.assumingMemoryBound(to: UInt8.self) + start, count: count - start)
            }
        }
        close(replyFD)
        connectionDidClose()
    }

    private func handleFrame(_ frame: Data) {
        traceFrame("<-", frame)
        guard let message = (try? JSONSerialization.jsonObject(with: frame)) as? [String: Any] else {
            return  // Not JSON: nothing sensible to route it to.
        }
        if let id = JSONObject.double(from: message["id"]).map({ Int($0) }) {
            handleReply(id: id, message: message)
        } else if let method = message["method"] as? String {
            let event = CDPEvent(
                method: method,
                params: JSONObject(message["params"] as? [String: Any] ?? [:]),
                sessionId: message["sessionId"] as? String
            )
            let listeners = state.withLock { state in
                state.listeners.values.filter { $0.sessionId == event.sessionId }
            }
            for listener in listeners { listener.onEvent(event) }
        }
    }

    private func handleReply(id: Int, message: [String: Any]) {
        guard let command = state.withLock({ $0.pending.removeValue(forKey: id) }) else {
            return  // Timed out or cancelled earlier; the late reply is dropped.
        }
        if let error = message["error"] as? [String: Any] {
            command.continuation.resume(throwing: BrowserError.protocolError(
                method: command.method,
                code: JSONObject.double(from: error["code"]).map { Int($0) } ?? 0,
                message: error["message"] as? String ?? "\(error)"
            ))
        } else {
            command.continuation.resume(returning: JSONObject(message["result"] as? [String: Any] ?? [:]))
        }
    }

    private func connectionDidClose() {
        let onPurpose = state.withLock { $0.closingOnPurpose }
        let error: BrowserError = onPurpose ? .browserClosed : .connectionClosed(logTail: logTail())
        let (pending, listeners) = state.withLock { state in
            state.closedError = error
            defer {
                state.pending.removeAll()
                state.listeners.removeAll()
            }
            return (Array(state.pending.values), Array(state.listeners.values))
        }
        for command in pending { command.continuation.resume(throwing: error) }
        for listener in listeners { listener.onClose(error) }
    }

    private func traceFrame(_ direction: String, _ frame: Data) {
        guard trace else { return }
        let text = String(decoding: frame.prefix(400), as: UTF8.self)
        FileHandle.standardError.write(Data("[cdp \(direction)] \(text)\n".utf8))
    }
}
