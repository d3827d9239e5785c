import Foundation

extension Page {
    /// Prints the current document to PDF (`Page.printToPDF`). Defaults to A4.
    ///
    /// - Parameters:
    ///   - headerTemplate, footerTemplate: HTML; elements with the classes `date`,
    ///     `title`, `url`, `pageNumber`, `totalPages` are filled in by Chromium. Used only
    ///     with `displayHeaderFooter`; an empty string means Chromium's default.
    ///   - preferCSSPageSize: let `@page { size: ... }` in the document win over the
    ///     paper size given here.
    public func pdf(
        paperWidthInches: Double = 8.27,
        paperHeightInches: Double = 11.69,
        printBackground: Bool = true,
        displayHeaderFooter: Bool = false,
        headerTemplate: String = "",
        footerTemplate: String = "",
        marginsInches: PDFMargins = .chromiumDefault,
        preferCSSPageSize: Bool = false
    ) async throws -> Data {
        let reply = try await send("Page.printToPDF", [
            "paperWidth": paperWidthInches,
            "paperHeight": paperHeightInches,
            "printBackground": printBackground,
            "displayHeaderFooter": displayHeaderFooter,
            "headerTemplate": headerTemplate,
            "footerTemplate": footerTemplate,
            "marginTop": marginsInches.top,
            "marginRight": marginsInches.right,
            "marginBottom": marginsInches.bottom,
            "marginLeft": marginsInches.left,
            "preferCSSPageSize": preferCSSPageSize,
        ])
        guard let base64 = reply.string("data"), let pdf = Data(base64Encoded: base64) else {
            throw BrowserError.unexpectedReply(method: "Page.printToPDF", detail: "no base64 data")
        }
        return pdf
    }
}
