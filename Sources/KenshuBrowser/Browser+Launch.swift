import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Browser {
    /// Names tried on PATH, in order, when no executable is given. Debian ships
    /// `chromium`; Ubuntu and others use the other names.
    static let executableNames = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    /// Starts headless Chromium and waits until its DevTools pipe answers.
    ///
    /// - Parameter executable: the browser binary; when nil, the first of
    ///   `chromium`, `chromium-browser`, `google-chrome` found on PATH.
    /// - Throws: `BrowserError.browserNotFound` (its message says what to install),
    ///   `.launchFailed`, or `.connectionClosed` with the end of Chromium's log.
    public static func launch(executable: URL? = nil) async throws -> Browser {
        let executablePath = try findExecutable(explicit: executable)

        let temporaryDirectory = try makeTemporaryDirectory()
        let profile = temporaryDirectory.appendingPathComponent("profile", isDirectory: true)
        let logFile = temporaryDirectory.appendingPathComponent("chromium.log").path
        let (process, pipes): (ChromiumProcess, ChromiumProcess.ParentPipeEnds)
        do {
            (process, pipes) = try ChromiumProcess.spawn(
                executable: executablePath,
                arguments: arguments(userDataDirectory: profile.path),
                // Chromium's crash handler keeps its database under the *default* profile
                // (~/.config/chromium/Crash Reports) whatever --user-data-dir says. Pointing
                // XDG_CONFIG_HOME into our temp folder keeps it there, and also keeps a
                // developer's personal fontconfig settings out of screenshots.
                environmentOverrides: ["XDG_CONFIG_HOME": temporaryDirectory.appendingPathComponent("config").path],
                logFile: logFile)
        } catch {
            try? FileManager.default.removeItem(at: temporaryDirectory)
            throw error
        }

        let connection = CDPConnection(
            commandFD: pipes.commandFD, replyFD: pipes.replyFD,
            logTail: { lastLines(ofFile: logFile, count: 20) })
        connection.startReading()
        let browser = Browser(connection: connection, process: process, temporaryDirectory: temporaryDirectory)

        // Handshake: a Chromium that cannot start (missing libraries, bad flags) closes
        // the pipe here, and the error carries its log. If this throws, `browser` is
        // released and its deinit kills the process and removes the temp folder.
        _ = try await connection.send("Browser.getVersion", timeout: .seconds(30))
        return browser
    }

    static func findExecutable(explicit: URL?) throws -> String {
        if let explicit {
            guard access(explicit.path, X_OK) == 0 else {
                throw BrowserError.browserNotFound(searched: [explicit.path])
            }
            return explicit.path
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let directories = path.split(separator: ":").map(String.init)
        for name in executableNames {
            for directory in directories {
                let candidate = "\(directory)/\(name)"
                if access(candidate, X_OK) == 0 { return candidate }
            }
        }
        throw BrowserError.browserNotFound(searched: executableNames.map { "\($0) on PATH" })
    }

    static func arguments(userDataDirectory: String) -> [String] {
        var arguments = [
            "--headless",
            "--remote-debugging-pipe",  // CDP over fds 3 (in) and 4 (out), no TCP port
            "--disable-gpu",
            "--hide-scrollbars",  // scrollbars would differ between runs/machines
            "--mute-audio",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--font-render-hinting=none",  // steadier glyph rendering across machines
            "--force-color-profile=srgb",  // same pixel values whatever the display
            // Byte-identical pictures from run to run: raster on one thread, every compositor
            // stage before a frame is drawn, no partial or deferred (checker) raster; otherwise
            // antialiased edges differ now and then with the tiling.
            "--num-raster-threads=1",
            "--run-all-compositor-stages-before-draw",
            "--disable-partial-raster",
            "--disable-checker-imaging",
            "--disable-threaded-animation",
            "--user-data-dir=\(userDataDirectory)",
        ]
        // Chromium refuses to start its sandbox as root (containers, CI), and only then.
        if getuid() == 0 {
            arguments.append("--no-sandbox")
        }
        arguments.append("about:blank")
        return arguments
    }

    private static func makeTemporaryDirectory() throws -> URL {
        var template = Array((NSTemporaryDirectory() + "/kenshu-browser-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else {
            throw BrowserError.launchFailed(
                executable: "mkdtemp", reason: String(cString: strerror(errno)))
        }
        return URL(fileURLWithPath: String(cString: created), isDirectory: true)
    }

    /// The end of Chromium's stderr, for error messages. Reads only the last 16 KiB
    /// because a verbose Chromium can log megabytes.
    static func lastLines(ofFile path: String, count: Int) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 16_384 ? size - 16_384 : 0)
        let data = (try? handle.readToEnd()) ?? Data()
        let lines = String(decoding: data, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: true)
            // Chromium complains about the missing D-Bus in every container; those
            // lines would push the interesting ones out of the tail.
            .filter { !$0.contains(":ERROR:dbus/") }
        return lines.suffix(count).joined(separator: "\n")
    }
}
