import Foundation

/// Everything that can go wrong while driving Chromium.
///
/// Each case carries enough context (URL, CDP method, Chromium's own log) that the
/// message alone tells a developer what to do next, because these errors mostly surface
/// in test logs and CI output, far away from a debugger.
public enum BrowserError: Error, Sendable, Equatable {
    /// No Chromium binary was found (or the given path does not exist / is not executable).
    case browserNotFound(searched: [String])
    /// `posix_spawn` itself failed.
    case launchFailed(executable: String, reason: String)
    /// The debugging pipe closed while we still expected answers: Chromium crashed or exited.
    case connectionClosed(logTail: String)
    /// `Browser.close()` was already called; the connection is intentionally gone.
    case browserClosed
    /// Chromium answered a command with an error object.
    case protocolError(method: String, code: Int, message: String)
    /// Chromium did not answer a command in time.
    case commandTimedOut(method: String, timeout: Duration)
    /// A reply did not have the shape the protocol documents.
    case unexpectedReply(method: String, detail: String)
    /// `Page.navigate` reported a network error (DNS, refused connection, missing file, ...).
    case navigationFailed(url: String, errorText: String)
    /// The page did not fire its load event in time.
    case navigationTimedOut(url: String, timeout: Duration)
    /// JavaScript evaluated with `Page.evaluate` threw.
    case evaluationFailed(message: String)

    /// The exact command a developer has to run on Debian/Ubuntu to make this module work.
    public static let installHint = "apt-get install chromium fonts-noto-cjk"
}

extension BrowserError: CustomStringConvertible, LocalizedError {
    public var description: String {
        switch self {
        case .browserNotFound(let searched):
            return "Chromium was not found (looked for: \(searched.joined(separator: ", "))). "
                + "Install it with: \(Self.installHint)"
        case .launchFailed(let executable, let reason):
            return "Could not start \(executable): \(reason). "
                + "If Chromium is missing, install it with: \(Self.installHint)"
        case .connectionClosed(let logTail):
            let log = logTail.isEmpty ? "(chromium wrote nothing to stderr)" : logTail
            return "Chromium closed the DevTools pipe unexpectedly. Last lines of its log:\n\(log)"
        case .browserClosed:
            return "The browser was already closed."
        case .protocolError(let method, let code, let message):
            return "CDP command \(method) failed (\(code)): \(message)"
        case .commandTimedOut(let method, let timeout):
            return "CDP command \(method) got no reply within \(timeout)"
        case .unexpectedReply(let method, let detail):
            return "CDP command \(method) returned an unexpected reply: \(detail)"
        case .navigationFailed(let url, let errorText):
            return "Navigation to \(url) failed: \(errorText)"
        case .navigationTimedOut(let url, let timeout):
            return "Navigation to \(url) did not finish loading within \(timeout)"
        case .evaluationFailed(let message):
            return "JavaScript evaluation threw: \(message)"
        }
    }

    // Foundation on Linux only uses this for `localizedDescription`; without it the
    // message would be the useless "The operation could not be completed".
    public var errorDescription: String? { description }
}
