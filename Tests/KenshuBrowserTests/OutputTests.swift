import Foundation
import Testing
@testable import KenshuBrowser

extension BrowserTests {
    @Suite struct Output {
        @Test func screenshotsArePNGsOfTheRightSizeAndRepeatable() async throws {
            try await withBrowser { browser in
                let page = try await browser.newPage(width: 390, height: 844, deviceScaleFactor: 2, mobile: true)
                try await page.goto(TestSupport.japaneseDataURL, timeout: .seconds(20))
                try await page.freezeForScreenshots()

                let first = try await page.screenshotPNG(fullPage: true)
                #expect(Array(first.prefix(8)) == TestSupport.pngSignature)
                let documentHeight = JSONObject.double(from: try await page.evaluate("document.documentElement.scrollHeight"))!
                #expect(documentHeight > 844, "the fixture is taller than the viewport")
                let size = try #require(TestSupport.pngSize(first))
                #expect(size.width == 390 * 2)
                #expect(size.height == Int(documentHeight) * 2)

                let second = try await page.screenshotPNG(fullPage: true)
                #expect(first == second, "two screenshots of the same page differ")

                // A second tab rendering the same page produces the same bytes too.
                let other = try await browser.newPage(width: 390, height: 844, deviceScaleFactor: 2, mobile: true)
                try await other.goto(TestSupport.japaneseDataURL, timeout: .seconds(20))
                try await other.freezeForScreenshots()
                #expect(try await other.screenshotPNG(fullPage: true) == first)

                let viewportOnly = try #require(TestSupport.pngSize(try await page.screenshotPNG()))
                #expect(viewportOnly.width == 780 && viewportOnly.height == 844 * 2)

                let heading = try #require(try await page.boundingBoxes(selector: "#t").first)
                let clipped = try await page.screenshotPNG(clip: heading)
                let clippedSize = try #require(TestSupport.pngSize(clipped))
                #expect(clippedSize.width == Int(heading.width) * 2 && clippedSize.height == Int(heading.height) * 2)

                // A clip that reaches below the viewport still has the requested size.
                let deep = try #require(TestSupport.pngSize(
                    try await page.screenshotPNG(clip: Box(x: 10, y: 1000, width: 100, height: 50))))
                #expect(deep.width == 200 && deep.height == 100)
            }
        }

        @Test func pdfContainsTheJapaneseHeading() async throws {
            try await withBrowser { browser in
                let page = try await browser.newPage()
                try await page.goto(TestSupport.japaneseDataURL, timeout: .seconds(20))

                let pdf = try await page.pdf(
                    displayHeaderFooter: true,
                    headerTemplate: "<span></span>",
                    footerTemplate: "<div style='font-size:8px;width:100%;text-align:center'><span class='pageNumber'></span>/<span class='totalPages'></span></div>",
                    marginsInches: PDFMargins(all: 0.5))
                #expect(String(decoding: pdf.prefix(5), as: UTF8.self) == "%PDF-")
                let text = try TestSupport.pdfText(pdf)
                #expect(text.contains("ログアウト"), "pdftotext output: \(text)")
                #expect(text.contains("1/2"), "footer with page numbers (the fixture is two A4 pages long)")
            }
        }
    }
}
