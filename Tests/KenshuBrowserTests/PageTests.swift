import Foundation
import Testing
@testable import KenshuBrowser
#if canImport(Glibc)
import Glibc
#endif

extension BrowserTests {
    @Suite struct Pages {
        @Test func twoConcurrentPagesMeasureTheirOwnViewports() async throws {
            try await withBrowser { browser in

                async let openDesktop = browser.newPage(width: 1280, height: 800, deviceScaleFactor: 1, mobile: false)
                async let openPhone = browser.newPage(width: 390, height: 844, deviceScaleFactor: 2, mobile: true)
                let (desktop, phone) = try await (openDesktop, openPhone)

                let file = try TestSupport.writeJapaneseFile()
                defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
                let fileURL = file.absoluteString
                async let loadDesktop: Void = desktop.goto(TestSupport.japaneseDataURL, timeout: .seconds(20))
                async let loadPhone: Void = phone.goto(fileURL, timeout: .seconds(20))
                _ = try await (loadDesktop, loadPhone)

                for (page, expectedWidth) in [(desktop, 1280.0), (phone, 390.0)] {
                    #expect(JSONObject.double(from: try await page.evaluate("window.innerWidth")) == expectedWidth)
                // Both stay visible although the other page was opened after them.
                #expect(try await page.evaluate("document.visibilityState") as? String == "visible")

                    let headings = try await page.boundingBoxes(selector: "h1#t[data-step=\"logout\"]")
                    #expect(headings == [Box(x: 30, y: 40, width: 300, height: 40, visible: true)])
                    #expect(try await page.evaluate("document.querySelector('#t').textContent") as? String == "ログアウト")

                    let hidden = try await page.boundingBoxes(selector: "#hidden")
                    #expect(hidden.count == 1)
                    #expect(hidden.first?.visible == false)
                    #expect(try await page.boundingBoxes(selector: "#invisible").first?.visible == false)
                    #expect(try await page.boundingBoxes(selector: ".does-not-exist").isEmpty)
                }
                #expect(JSONObject.double(from: try await phone.evaluate("window.devicePixelRatio")) == 2)

                // Boxes are document-relative: scrolling must not move them.
                _ = try await phone.evaluate("window.scrollTo(0, 200); window.scrollY")
                #expect(try await phone.boundingBoxes(selector: "#t").first?.y == 40)

                try await desktop.close()
                try await phone.close()
            }
        }

        @Test func evaluateReturnsValuesAndThrowsJavaScriptErrors() async throws {
            try await withBrowser { browser in
                let page = try await browser.newPage()

                #expect(JSONObject.double(from: try await page.evaluate("Promise.resolve(6 * 7)")) == 42)
                #expect(try await page.evaluate("undefined") == nil)
                #expect(try await page.evaluate("null") == nil)
                #expect(try await page.evaluate("({a: ['x', true]})") as? [String: Any] != nil)

                let error = await #expect(throws: BrowserError.self) {
                    _ = try await page.evaluate("throw new TypeError('boom ' + 'ログ')")
                }
                #expect("\(error!)".contains("TypeError: boom ログ"))
            let thrownString = await #expect(throws: BrowserError.self) {
                _ = try await page.evaluate("Promise.reject('plain string')")
            }
            #expect("\(thrownString!)".contains("plain string"))
                await #expect(throws: BrowserError.self) {
                    _ = try await page.boundingBoxes(selector: "h1[")  // invalid selector
                }
            }
        }

        /// `evaluate` returns `sending Any?`, so a main-actor caller may keep the value.
        @MainActor @Test func evaluateCanBeAwaitedFromTheMainActor() async throws {
            try await withBrowser { browser in
                let page = try await browser.newPage()
                let title: Any? = try await page.evaluate("'タイトル'")
                #expect(title as? String == "タイトル")
            }
        }

        @Test(arguments: ["file:///nonexistent.html", "http://127.0.0.1:9/"])
        func failedNavigationNamesTheURL(url: String) async throws {
            try await withBrowser { browser in
                let page = try await browser.newPage()

                let error = await #expect(throws: BrowserError.self) {
                    try await page.goto(url, timeout: .seconds(20))
                }
                #expect("\(error!)".contains(url))
                #expect("\(error!)".contains("net::ERR_"))
            }
        }

        @Test func navigationThatNeverLoadsTimesOutNamingTheURL() async throws {
            let server = try TestSupport.silentServer()
            defer { close(server.fd) }
            try await withBrowser { browser in
                let page = try await browser.newPage()

                let url = "http://127.0.0.1:\(server.port)/never"
                let started = ContinuousClock.now
                let error = await #expect(throws: BrowserError.self) {
                    try await page.goto(url, timeout: .seconds(2))
                }
                #expect(error == .navigationTimedOut(url: url, timeout: .seconds(2)))
                #expect("\(error!)".contains(url))
                #expect(ContinuousClock.now - started < .seconds(10))

                // The page is still usable afterwards.
                try await page.goto(TestSupport.japaneseDataURL, timeout: .seconds(20))
                #expect(try await page.evaluate("document.title") as? String == "テスト")
            }
        }

        @Test func fragmentOnlyNavigationDoesNotWaitForALoadEvent() async throws {
            try await withBrowser { browser in
                let page = try await browser.newPage()
                let file = try TestSupport.writeJapaneseFile()
                defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
                let url = file.absoluteString
                try await page.goto(url, timeout: .seconds(20))
                try await page.goto(url + "#t", timeout: .seconds(5))
                #expect(try await page.evaluate("location.hash") as? String == "#t")
            }
        }
    }
}
