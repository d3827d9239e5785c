import ArgumentParser
import Foundation
import KenshuHandbook
import KenshuSite

/// `kenshu handbook`: the manual's chapter as training material — a step page per procedure,
/// pictures with the manual's red boxes, a PDF per edition — shot from the mock in Chromium.
struct Handbook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Makes the training handbook (HTML, PNG, PDF, and with --pptx PowerPoint decks) into Output/handbook/ from Content/manual/procedures/.")

    @Option(help: "The Content folder.")
    var content: String = "Content"

    @Option(help: "The folder the handbook is written to.")
    var output: String = "Output/handbook"

    @Option(help: "Only this edition (repeat for several).")
    var edition: [String] = []

    @Option(help: "Only this layout: pc or sp (repeat for both).")
    var layout: [String] = []

    @Option(help: "Only the procedures whose section or file name starts with this, e.g. 3.3.")
    var only: String?

    @Option(help: "The Chromium to drive (default: chromium on PATH).")
    var chromium: String?

    @Flag(name: .customLong("no-pdf"), help: "Skip the PDFs, for a quick look while editing a procedure (earlier PDFs are removed, not left stale).")
    var noPDF = false

    @Flag(help: "Also write a PowerPoint deck per edition and layout (v2-pc.pptx …), the red frames as rectangles a trainer can move.")
    var pptx = false

    func validate() throws {
        for name in layout where ManualLayout(rawValue: name) == nil {
            throw ValidationError("--layout must be pc or sp, not \(name)")
        }
    }

    func run() async throws {
        let start = ContinuousClock.now
        let options = HandbookOptions(
            content: URL(fileURLWithPath: content), displayRoot: content, output: URL(fileURLWithPath: output),
            editions: edition.isEmpty ? nil : edition, layouts: layout.isEmpty ? nil : layout.compactMap(ManualLayout.init),
            only: only, chromium: chromium.map { URL(fileURLWithPath: $0) }, slides: pptx, pdf: !noPDF)
        do {
            // Written at once, unbuffered: a progress line as it happens, also into a pipe.
            let summary = try await HandbookBuilder(options: options).run { line in
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
            let elapsed = ContinuousClock.now - start
            print("handbook: \(summary.pictures) pictures of \(summary.procedures) procedures, \((summary.pdfs + summary.decks).joined(separator: ", ")) in \(output)/ (\(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow))))")
        } catch let error as HandbookError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            Foundation.exit(1)
        } catch {
            reportAndExit(error)
        }
    }
}
