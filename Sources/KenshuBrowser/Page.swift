import Foundation

/// One tab, attached through its own CDP session on the browser's pipe.
///
/// Screenshots are in Page+Screenshot.swift, PDF export in Page+PDF.swift and style
/// injection in Page+Style.swift. A page keeps its `Browser` alive.
public final class Page: Sendable {
    public let browser: Browser
    public let targetId: String
    let sessionId: String
    /// Viewport in CSS pixels, as passed to `Browser.newPage`.
    public let width: Int
    public let height: Int
    public let deviceScaleFactor: Double
    public let isMobile: Bool

    var connection: CDPConnection { browser.connection }

    init(
        browser: Browser, targetId: String, sessionId: String,
        width: Int, height: Int, deviceScaleFactor: Double, isMobile: Bool
    ) {
        self.browser = browser
        self.targetId = targetId
        self.sessionId = sessionId
        self.width = width
        self.height = height
        self.deviceScaleFactor = deviceScaleFactor
        self.isMobile = isMobile
    }

    /// Sends a command on this page's session.
    func send(_ method: String, _ params: [String: Any] = [:], timeout: Duration = .seconds(60)) async throws -> JSONObject {
        try await connection.send(method, params, sessionId: sessionId, timeout: timeout)
    }

    /// Enables the domains whose events we wait for and applies the viewport.
    func prepare() async throws {
        _ = try await send("Page.enable")
        _ = try await send("Runtime.enable")
        _ = try await send("Emulation.setDeviceMetricsOverride", [
            "width": width,
            "height": height,
            "deviceScaleFactor": deviceScaleFactor,
            "mobile": isMobile,
        ])
    }

    /// Navigates and returns once the page's `load` event has fired.
    ///
    /// - Throws: `BrowserError.navigationFailed` (names the URL and Chromium's
    ///   `errorText`, e.g. net::ERR_FILE_NOT_FOUND) or `.navigationTimedOut` (names the URL).
    public func goto(_ url: String, timeout: Duration = .seconds(30)) async throws {
        try await withDeadline(timeout, timeoutError: { BrowserError.navigationTimedOut(url: url, timeout: timeout) }) {
            // Subscribe before sending: for data: and file: URLs the load event can
            // arrive before the reply to Page.navigate.
            let loaded = CDPEventWaiter.listen(on: self.connection, for: "Page.loadEventFired", sessionId: self.sessionId)
            defer { loaded.stopListening() }
            // The deadline, not this per-command timeout, is meant to fire first.
            let reply = try await self.send("Page.navigate", ["url": url], timeout: timeout + .seconds(5))
            if let errorText = reply.string("errorText"), !errorText.isEmpty {
                throw BrowserError.navigationFailed(url: url, errorText: errorText)
            }
            // No loaderId means a same-document navigation (only the #fragment changed):
            // no new document, so no load event will come.
            guard reply.string("loaderId") != nil else { return }
            _ = try await loaded.wait()
        }
    }

    /// Evaluates a JavaScript expression in the page and returns its JSON value
    /// (`String`, `NSNumber`/`Int`/`Double`, `Bool`, arrays, dictionaries; nil for
    /// undefined and null). Promises are awaited.
    ///
    /// - Throws: `BrowserError.evaluationFailed` with the exception's text if it threw.
    public func evaluate(_ expression: String) async throws -> sending Any? {
        let reply = try await send("Runtime.evaluate", [
            "expression": expression,
            "returnByValue": true,
            "awaitPromise": true,
        ])
        if let details = reply.object("exceptionDetails") {
            // exception.description holds "TypeError: ... at <stack>" for Error objects,
            // exception.value a thrown primitive; text alone is often just "Uncaught".
            let exception = details.object("exception")
            let message = exception?.string("description")
                ?? exception?["value"].map { "\($0)" }
                ?? details.string("text") ?? "unknown exception"
            throw BrowserError.evaluationFailed(message: message)
        }
        // `sending` lets a caller on any actor keep the value. That is sound because the
        // reply was decoded for this call alone and nobody mutates it (see JSONObject).
        guard let value = reply.object("result")?["value"], !(value is NSNull) else { return nil }
        return value
    }

    /// Where each element matching `selector` is, in CSS px relative to the document,
    /// and whether it is visible. Empty when nothing matches; throws for an invalid selector.
    public func boundingBoxes(selector: String) async throws -> [Box] {
        let script = """
            (() => Array.from(document.querySelectorAll(\(JSONObject.javaScriptLiteral(selector)))).map((element) => {
              const rect = element.getBoundingClientRect();
              let shown;
              if (typeof element.checkVisibility === 'function') {
                shown = element.checkVisibility({ visibilityProperty: true, checkVisibilityCSS: true });
              } else {
                // visibility inherits, so the element's own computed value covers ancestors;
                // display does not, so walk up.
                shown = getComputedStyle(element).visibility !== 'hidden';
                for (let node = element; shown && node; node = node.parentElement) {
                  if (getComputedStyle(node).display === 'none') shown = false;
                }
              }
              return [rect.left + window.scrollX, rect.top + window.scrollY, rect.width, rect.height,
                      shown && rect.width > 0 && rect.height > 0];
            }))()
            """
        guard let rows = try await evaluate(script) as? [[Any]] else {
            throw BrowserError.unexpectedReply(method: "Runtime.evaluate", detail: "bounding boxes are not an array")
        }
        return rows.map { row in
            Box(
                x: JSONObject.double(from: row[0]) ?? 0,
                y: JSONObject.double(from: row[1]) ?? 0,
                width: JSONObject.double(from: row[2]) ?? 0,
                height: JSONObject.double(from: row[3]) ?? 0,
                visible: row[4] as? Bool ?? false)
        }
    }

    /// Closes the tab. The `Browser` stays open.
    public func close() async throws {
        _ = try await connection.send("Target.closeTarget", ["targetId": targetId])
    }
}
