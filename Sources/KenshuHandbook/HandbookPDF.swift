import Foundation
import KenshuBrowser

/// Prints an edition's print page to an A4 PDF with `n / N` page numbers. Chromium keeps the
/// page's `#…` links as links inside the PDF, so the table of contents works.
struct HandbookPDF {
    let browser: Browser

    func print(_ page: URL, to file: URL) async throws {
        let tab = try await browser.newPage(width: 794, height: 1123)
        do {
            try await tab.goto(page.absoluteString)
            try await tab.freezeForScreenshots()
            let footer = """
                <div style="width:100%;font-size:8pt;text-align:center;color:#555;font-family:'Noto Sans CJK JP',sans-serif">\
                <span class="pageNumber"></span> / <span class="totalPages"></span></div>
                """
            let pdf = try await tab.pdf(displayHeaderFooter: true, headerTemplate: "<span></span>", footerTemplate: footer,
                                        marginsInches: PDFMargins(top: 0.5, right: 0.5, bottom: 0.6, left: 0.5))
            try pdf.write(to: file)
            try await tab.close()
        } catch {
            try? await tab.close()
            throw error
        }
    }
}
