import Foundation
import Synchronization

/// One running headless Chromium, driven over its DevTools pipe.
///
/// Create it with `Browser.launch(executable:)` (see Browser+Launch.swift), open pages
/// with `newPage`, and end it with `close()`. Forgetting `close()` is not fatal:
/// `deinit` kills the process group so no Chromium outlives its `Browser`.
/// All methods may be called from any task; pages work independently and concurrently.
public final class Browser: Sendable {
    let connection: CDPConnection
    let process: ChromiumProcess
    /// Holds the profile (`--user-data-dir`) and Chromium's log; removed on close.
    let temporaryDirectory: URL
    private let isClosed = Mutex(false)

    /// The pid of the Chromium browser process (also its process group id).
    public var processIdentifier: Int32 { process.pid }

    init(connection: CDPConnection, process: ChromiumProcess, temporaryDirectory: URL) {
        self.connection = connection
        self.process = process
        self.temporaryDirectory = temporaryDirectory
    }

    deinit {
        // `deinit` cannot await, so no polite Browser.close here: kill and reap at once.
        guard !isClosed.withLock({ $0 }) else { return }
        connection.markClosingOnPurpose()
        connection.closeCommandPipe()
        process.killNow()
        try? FileManager.default.removeItem(at: temporaryDirectory)
    }

    /// Chromium's product string, e.g. "Chrome/156.0.8078.114".
    public func version() async throws -> String {
        let reply = try await connection.send("Browser.getVersion")
        return reply.string("product") ?? "unknown"
    }

    /// Opens a new tab at about:blank with the given viewport.
    ///
    /// - Parameters:
    ///   - width, height: viewport size in CSS pixels.
    ///   - deviceScaleFactor: device pixels per CSS pixel; screenshots are this many
    ///     times larger than the CSS size.
    ///   - mobile: emulates a phone (meta viewport is honoured, overlay scrollbars).
    ///     Pages without `<meta name="viewport" content="width=device-width">` then lay
    ///     out at 980 CSS px wide, exactly like a real phone would.
    public func newPage(
        width: Int = 1280,
        height: Int = 800,
        deviceScaleFactor: Double = 1,
        mobile: Bool = false
    ) async throws -> Page {
        // newWindow: a second tab in the same window would hide the first one
        // (document.visibilityState "hidden"): requestAnimationFrame stops there and
        // Page.captureScreenshot with captureBeyondViewport never replies. A window
        // per page keeps every page visible, so pages can be used concurrently.
        let created = try await connection.send("Target.createTarget", ["url": "about:blank", "newWindow": true])
        guard let targetId = created.string("targetId") else {
            throw BrowserError.unexpectedReply(method: "Target.createTarget", detail: "no targetId")
        }
        // flatten: true multiplexes the page's session over this same pipe, tagged with
        // sessionId, instead of nesting messages inside Target.sendMessageToTarget.
        let attached = try await connection.send(
            "Target.attachToTarget", ["targetId": targetId, "flatten": true])
        guard let sessionId = attached.string("sessionId") else {
            throw BrowserError.unexpectedReply(method: "Target.attachToTarget", detail: "no sessionId")
        }
        let page = Page(
            browser: self, targetId: targetId, sessionId: sessionId,
            width: width, height: height, deviceScaleFactor: deviceScaleFactor, isMobile: mobile)
        do {
            try await page.prepare()
        } catch {
            try? await page.close()
            throw error
        }
        return page
    }

    /// Asks Chromium to quit, waits up to 5 s for the process, then kills it, and removes
    /// the temporary profile. Safe to call more than once.
    public func close() async {
        let wasClosed = isClosed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        connection.markClosingOnPurpose()
        // Chromium may exit before it replies; the resulting "closed" error is expected.
        _ = try? await connection.send("Browser.close", timeout: .seconds(5))
        connection.closeCommandPipe()
        await process.waitForExit(grace: .seconds(5))
        try? FileManager.default.removeItem(at: temporaryDirectory)
    }
}
