import Foundation
import Testing
import KenshuBrowser
#if canImport(Glibc)
import Glibc
#endif

/// Fixtures and small helpers shared by the browser tests.
enum TestSupport {
    /// A Japanese heading with an exact, font-independent box (explicit size and
    /// margins), a `display:none` paragraph, an element hidden through an ancestor's
    /// `visibility:hidden`, and a tall spacer so full-page screenshots exceed the viewport.
    static let japanesePage = """
        <!doctype html>
        <html lang="ja"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>テスト</title>
        <style>
          body { margin: 0; font-family: "Noto Sans CJK JP", sans-serif; }
          h1 { margin: 40px 0 0 30px; width: 300px; height: 40px; font-size: 32px; line-height: 40px; }
          .spacer { height: 1500px; background: linear-gradient(#fff, #acf); }
        </style></head>
        <body>
          <h1 id="t" data-step="logout">ログアウト</h1>
          <p id="hidden" style="display:none">非表示</p>
          <div style="visibility:hidden"><span id="invisible">見えない</span></div>
          <div class="spacer"></div>
        </body></html>
        """

    static var japaneseDataURL: String {
        "data:text/html;charset=utf-8," + japanesePage.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    /// Writes the page into a fresh temp folder and returns the file; callers remove
    /// `file.deletingLastPathComponent()` when done.
    static func writeJapaneseFile() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("kenshu-browser-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("index.html")
        try Data(japanesePage.utf8).write(to: file)
        return file
    }

    /// Width and height from a PNG's IHDR chunk (bytes 16..<24, big-endian).
    static func pngSize(_ png: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](png.prefix(24))
        guard bytes.count == 24, bytes[12..<16].elementsEqual("IHDR".utf8) else { return nil }
        func bigEndian(_ offset: Int) -> Int {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        return (bigEndian(16), bigEndian(20))
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Runs pdftotext (poppler-utils) on a PDF and returns the text.
    static func pdfText(_ pdf: Data) throws -> String {
        let tool = "/usr/bin/pdftotext"
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            Issue.record("pdftotext is missing: apt-get install poppler-utils")
            return ""
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-\(UUID().uuidString).pdf")
        try pdf.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-enc", "UTF-8", file.path, "-"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: text, as: UTF8.self)
    }

    /// Processes of a process group that are still alive (zombies do not count: in a
    /// container whose PID 1 never reaps, orphaned helpers stay as zombies forever).
    static func livingProcesses(inGroup group: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let afterName = stat.range(of: ") ", options: .backwards)
            else { return nil }
            // Fields after "(comm) ": state ppid pgrp ...
            let fields = stat[afterName.upperBound...].split(separator: " ")
            guard fields.count > 2, fields[0] != "Z", pid_t(fields[2]) == group else { return nil }
            return pid
        }
    }

    /// Polls until no living process is left in the group, for up to `seconds`.
    static func waitUntilGroupIsGone(_ group: pid_t, seconds: Double = 5) async -> [pid_t] {
        let deadline = Date().addingTimeInterval(seconds)
        var living = livingProcesses(inGroup: group)
        while !living.isEmpty && Date() < deadline {
            try? await Task.sleep(for: .milliseconds(100))
            living = livingProcesses(inGroup: group)
        }
        return living
    }

    /// A TCP listener on 127.0.0.1 that accepts connections (via the kernel backlog)
    /// but never answers, so a navigation to it hangs until our timeout fires.
    static func silentServer() throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }
}

/// Launches a browser for one test and closes it afterwards, also when the test throws,
/// so no test leaves a Chromium running into the next one.
func withBrowser(
    isolation: isolated (any Actor)? = #isolation,
    _ body: (Browser) async throws -> Void
) async throws {
    let browser = try await Browser.launch()
    do {
        try await body(browser)
    } catch {
        await browser.close()
        throw error
    }
    await browser.close()
}
