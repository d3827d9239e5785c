import Foundation
import KenshuBrowser
import KenshuSite

/// `kenshu handbook`: the manual's chapter as training material, regenerated from the mock.
/// A named list of steps, like the site build: load → build the site → shoot every step →
/// write the HTML handbook, the PNGs and the manifest → print the PDFs → replace the folder.
/// Nothing in `Output/handbook/` changes unless every step succeeded.
public struct HandbookBuilder: Sendable {
    public var options: HandbookOptions

    public init(options: HandbookOptions) {
        self.options = options
    }

    public struct Summary: Sendable {
        public var pictures: Int
        public var procedures: Int
        public var pdfs: [String]
        public var decks: [String]
    }

    public func run(progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Summary {
        // load
        let content = try Self.contentStep { try ContentLoader(root: options.content, displayRoot: options.displayRoot).load() }
        let settings = try HandbookSettings(content: content)
        let editions = content.configuration.editions.filter { options.editions?.contains($0.id) ?? true }
        let layouts = ManualLayout.allCases.filter { options.layouts?.contains($0) ?? true }
        let procedures = content.procedures.filter { procedure in
            options.only.map { procedure.section.hasPrefix($0) || procedure.id.hasPrefix($0) } ?? true
        }
        guard !procedures.isEmpty else {
            throw HandbookError.missingConfiguration("no procedure matches --only \(options.only ?? "") in \(options.displayRoot)/manual/procedures/")
        }

        // build the site the pictures are taken of, with the same fixtures as Output/
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-handbook-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let site = work.appendingPathComponent("site")
        _ = try Self.contentStep { try SiteBuilder(content: options.content, displayRoot: options.displayRoot, output: site).build() }
        let mails = try MailView(content: content, settings: settings, site: site)

        // shoot
        let plan = ShotPlan(procedures: procedures, editions: editions.map(\.id), layouts: layouts, site: site, mails: mails)
        progress("site built")
        let browser = try await Browser.launch(executable: options.chromium)
        progress("browser started")
        let shots: [ShotPlan.Job: StepCamera.Shot]
        do {
            shots = try await plan.shoot(with: browser, pagesPerLayout: options.pagesPerLayout, plain: options.slides,
                                         progress: progress)
        } catch {
            await browser.close()
            throw error
        }

        // write: into a staging folder beside the output, then the PDFs printed from it
        let staging = options.output.deletingLastPathComponent()
            .appendingPathComponent(".\(options.output.lastPathComponent).staging-\(getpid())")
        try? FileManager.default.removeItem(at: staging)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            // What this run did not shoot (other procedures, editions or layouts) stays as the
            // previous run made it.
            let filtered = options.only != nil || options.editions != nil || options.layouts != nil
            let previous = filtered ? HandbookFolder.previousManifest(in: options.output) : nil
            let manifest = plan.manifest(settings: settings, content: content, shots: shots, previous: previous)
            try HandbookFolder.carryOver(pictures: manifest, from: options.output, to: staging, except: Set(shots.keys.flatMap { [$0.image, ShotPlan.plainPath(of: $0.image)] }))
            for (job, shot) in shots {
                for (path, png) in [(job.image, shot.png), (ShotPlan.plainPath(of: job.image), shot.plain)] {
                    guard let png else { continue }
                    let url = staging.appendingPathComponent(path)
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try png.write(to: url)
                }
            }
            try manifest.encoded().write(to: staging.appendingPathComponent("manifest.json"))
            let pages = HandbookPages(content: content, settings: settings, manifest: manifest, printsPDF: options.pdf)
            try pages.write(into: staging, site: site)
            progress("pages written")

            // print
            // The editions' PDFs at once, each in a tab of its own.
            let pdfs = try await withThrowingTaskGroup(of: String.self) { group in
                for edition in manifest.editions where options.pdf {
                    group.addTask {
                        let name = HandbookPages.pdfName(edition: edition.id)
                        try await HandbookPDF(browser: browser).print(staging.appendingPathComponent("\(edition.id)/print.html"),
                                                                     to: staging.appendingPathComponent(name))
                        progress("\(edition.id): \(name)")
                        return name
                    }
                }
                var names: [String] = []
                for try await name in group { names.append(name) }
                return manifest.editions.map { HandbookPages.pdfName(edition: $0.id) }.filter(names.contains)
            }
            await browser.close()

            // the slide decks, from the manifest and the pictures
            var decks: [String] = []
            if options.slides {
                let start = ContinuousClock.now
                for edition in manifest.editions {
                    for layout in ManualLayout.allCases where edition.procedures.contains(where: { $0.layouts[layout.rawValue] != nil }) {
                        let name = "\(edition.id)-\(layout.rawValue).pptx"
                        try SlideDeckWriter().write(manifest: manifest, manifestFolder: staging, edition: edition.id,
                                                    layout: layout.rawValue, to: staging.appendingPathComponent(name))
                        decks.append(name)
                    }
                }
                let elapsed = ContinuousClock.now - start
                progress("decks: \(decks.joined(separator: ", ")) in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow)))")
            }
            try HandbookFolder.replace(options.output, with: staging)
            return Summary(pictures: shots.count, procedures: procedures.count, pdfs: pdfs, decks: decks)
        } catch {
            await browser.close()
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }

    /// A step that reads Content: its errors are the handbook's, each at its `file:line:col`.
    private static func contentStep<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let errors as ContentErrors {
            throw HandbookError.content(errors.errors)
        }
    }
}
