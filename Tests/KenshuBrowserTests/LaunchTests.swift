import Foundation
import Testing
@testable import KenshuBrowser
#if canImport(Glibc)
import Glibc
#endif

extension BrowserTests {
    @Suite struct Launch {
        @Test func missingExecutableNamesTheInstallCommand() async throws {
            let error = await #expect(throws: BrowserError.self) {
                _ = try await Browser.launch(executable: URL(fileURLWithPath: "/nonexistent/chromium"))
            }
            #expect("\(error!)".contains("apt-get install chromium fonts-noto-cjk"))
            #expect("\(error!)".contains("/nonexistent/chromium"))
            #expect(error!.localizedDescription.contains("apt-get install chromium fonts-noto-cjk"))
        }

        @Test func launchReportsVersionAndCloseCleansUp() async throws {
            let browser = try await Browser.launch()
            let version = try await browser.version()
            #expect(version.contains("Chrome/"))
            let group = browser.processIdentifier
            let profile = browser.temporaryDirectory
            #expect(FileManager.default.fileExists(atPath: profile.path))

            await browser.close()
            #expect(await TestSupport.waitUntilGroupIsGone(group).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: profile.path))
            await browser.close()  // a second close is harmless

            await #expect(throws: BrowserError.browserClosed) {
                _ = try await browser.newPage()
            }
        }

        @Test func browserDroppedWithoutCloseKillsChromium() async throws {
            var browser: Browser? = try await Browser.launch()
            _ = try await browser!.newPage()  // pages retain the browser; this one is dropped at once
            let group = browser!.processIdentifier
            let profile = browser!.temporaryDirectory
            browser = nil

            #expect(await TestSupport.waitUntilGroupIsGone(group).isEmpty, "orphaned Chromium processes")
            #expect(!FileManager.default.fileExists(atPath: profile.path))
        }

        @Test func crashedChromiumFailsCallsInsteadOfHanging() async throws {
            let browser = try await Browser.launch()
            let page = try await browser.newPage()
            kill(browser.processIdentifier, SIGKILL)

            let error = await #expect(throws: BrowserError.self) {
                _ = try await page.evaluate("1 + 1")
            }
            guard case .connectionClosed = error else {
                Issue.record("expected .connectionClosed, got \(String(describing: error))")
                return
            }
            #expect("\(error!)".contains("Chromium closed the DevTools pipe unexpectedly"))
            await browser.close()
        }

        @Test func aProgramThatIsNotChromiumFailsFastWithItsOutput() async throws {
            // /bin/sh -c would need arguments; a script that prints and exits is clearer.
            let script = FileManager.default.temporaryDirectory.appendingPathComponent("not-chromium-\(UUID().uuidString).sh")
            try Data("#!/bin/sh\necho 'this is not chromium' >&2\nexit 3\n".utf8).write(to: script)
            defer { try? FileManager.default.removeItem(at: script) }
            chmod(script.path, 0o755)

            let started = ContinuousClock.now
            let error = await #expect(throws: BrowserError.self) {
                _ = try await Browser.launch(executable: script)
            }
            #expect("\(error!)".contains("this is not chromium"))
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }
}
