import Foundation
import KenshuBrowser
import KenshuSite

/// Every picture one run takes: each step of each selected procedure, per edition and layout.
struct ShotPlan: Sendable {
    /// One picture: `v2/3.3-pc-01.png`.
    struct Job: Sendable, Hashable {
        var procedure: String
        var edition: String
        var layout: ManualLayout
        var number: Int
        var image: String
    }

    struct Work: Sendable {
        var job: Job
        var url: String
        /// The page, for messages: `v2/home.html`, `v2/mail:password-reset`.
        var page: String
        var open: [String]
        var marks: [StepCamera.Mark]
        /// Where each mark's name is written, for a `file:line:col` when it is not shown.
        var locations: [SourceLocation]
    }

    let work: [Work]

    init(procedures: [ManualProcedure], editions: [String], layouts: [ManualLayout], site: URL, mails: MailView) {
        var work: [Work] = []
        for edition in editions {
            for procedure in procedures where procedure.editions.contains(edition) {
                for layout in layouts {
                    for (index, step) in procedure.steps(edition: edition, layout: layout).enumerated() {
                        let number = index + 1
                        let image = Self.imagePath(procedure: procedure, edition: edition, layout: layout, number: number)
                        let (url, page): (URL, String) = switch step.screen {
                        case .page(let path, _): (site.appendingPathComponent("\(edition)/\(path)"), "\(edition)/\(path)")
                        case .mail(let name, _): (mails.url(edition: edition, mail: name), "\(edition)/mail:\(name)")
                        }
                        let targets = step.targets[layout] ?? []
                        let callouts = step.callouts.filter { $0.applies(edition: edition, layout: layout) }
                        var marks = targets.map { StepCamera.Mark(name: $0.name, number: nil) }
                        var locations = targets.map(\.location)
                        for (position, callout) in callouts.enumerated() {
                            guard let target = callout.target[layout] else { continue }
                            marks.append(.init(name: target.name, number: position + 1))
                            locations.append(target.location)
                        }
                        work.append(Work(job: Job(procedure: procedure.id, edition: edition, layout: layout, number: number, image: image),
                                         url: url.absoluteString, page: page, open: step.open.map(\.name), marks: marks,
                                         locations: locations))
                    }
                }
            }
        }
        self.work = work
    }

    /// The picture without frames, for the decks: `v2/plain/3.3-pc-01.png`.
    static func plainPath(of image: String) -> String {
        let parts = image.split(separator: "/", maxSplits: 1)
        return parts.count == 2 ? "\(parts[0])/plain/\(parts[1])" : "plain/\(image)"
    }

    /// `v2/3.3-pc-01.png`: the edition's folder, the procedure's number, the layout, the step.
    static func imagePath(procedure: ManualProcedure, edition: String, layout: ManualLayout, number: Int) -> String {
        let number2 = number < 10 ? "0\(number)" : "\(number)"
        return "\(edition)/\(procedure.fileStem)-\(layout.rawValue)-\(number2).png"
    }

    /// Takes every picture, `pagesPerLayout` pages at a time per layout. Every target that is
    /// missing or hidden is reported at once, with the place the procedure names it.
    func shoot(with browser: Browser, pagesPerLayout: Int, plain: Bool,
               progress: @escaping @Sendable (String) -> Void) async throws -> [Job: StepCamera.Shot] {
        let tracker = ProgressTracker(work: work, report: progress)
        var lanes: [(ManualLayout, [Work])] = []
        for layout in ManualLayout.allCases {
            let mine = work.filter { $0.job.layout == layout }
            guard !mine.isEmpty else { continue }
            // Steps on the same screen go to the same lane, one after another, so the page is
            // loaded once for all of them; the lanes get about as many pictures each.
            var screens: [String: [Work]] = [:]
            for item in mine { screens["\(item.url) \(item.open)", default: []].append(item) }
            let count = max(1, min(pagesPerLayout, screens.count))
            var laneItems = Array(repeating: [Work](), count: count)
            for group in screens.values.sorted(by: { ($0.count, $0[0].job.image) > ($1.count, $1[0].job.image) }) {
                let lightest = laneItems.indices.min { laneItems[$0].count < laneItems[$1].count } ?? 0
                laneItems[lightest] += group
            }
            lanes += laneItems.map { (layout, $0) }
        }
        let results = try await withThrowingTaskGroup(of: [(Job, Result<StepCamera.Shot, ContentErrorList>)].self) { group in
            for (layout, items) in lanes {
                group.addTask {
                    let page = try await browser.newPage(width: layout.width, height: layout.height,
                                                         deviceScaleFactor: Double(layout.scale), mobile: layout == .sp)
                    let camera = StepCamera(page: page)
                    var done: [(Job, Result<StepCamera.Shot, ContentErrorList>)] = []
                    do {
                        for item in items {
                            do {
                                done.append((item.job, .success(try await camera.shoot(url: item.url, open: item.open, marks: item.marks, plain: plain))))
                            } catch StepCamera.Problem.notShown(let missing, let hidden) {
                                done.append((item.job, .failure(ContentErrorList(Self.problems(item, layout: layout, missing: missing, hidden: hidden)))))
                            } catch StepCamera.Problem.unreadableMarks {
                                throw HandbookError.pageFailed(page: item.page, reason: "the page did not answer the marking script")
                            } catch let error as BrowserError {
                                throw HandbookError.pageFailed(page: item.page, reason: error.description)
                            }
                            await tracker.finished(item.job)
                        }
                    } catch {
                        try? await page.close()
                        throw error
                    }
                    try? await page.close()
                    return done
                }
            }
            var all: [(Job, Result<StepCamera.Shot, ContentErrorList>)] = []
            for try await lane in group { all += lane }
            return all
        }
        var shots: [Job: StepCamera.Shot] = [:]
        var problems: [ContentError] = []
        for (job, result) in results {
            switch result {
            case .success(let shot): shots[job] = shot
            case .failure(let list): problems += list.errors
            }
        }
        if !problems.isEmpty {
            var seen = Set<String>()
            throw HandbookError.content(problems.filter { seen.insert($0.description).inserted }.sorted { $0.description < $1.description })
        }
        return shots
    }

    static func problems(_ item: Work, layout: ManualLayout, missing: [String], hidden: [String]) -> [ContentError] {
        func location(_ name: String) -> SourceLocation {
            item.marks.firstIndex { $0.name == name }.map { item.locations[$0] } ?? SourceLocation(path: item.page)
        }
        return missing.map { ContentError(location($0), "target `\($0)` is not on \(item.page)") }
            + hidden.map { ContentError(location($0), "target `\($0)` is hidden at \(layout.width) px (\(layout.label)) on \(item.page)") }
    }

    /// The manifest: this run's pictures, and what an earlier run made of the rest.
    func manifest(settings: HandbookSettings, content: Content, shots: [Job: StepCamera.Shot],
                  previous: HandbookManifest?) -> HandbookManifest {
        var manifest = HandbookManifest(title: settings.title, site: settings.siteTitle, editions: [])
        let shotByKey = Dictionary(uniqueKeysWithValues: shots.map { ("\($0.key.edition)/\($0.key.procedure)/\($0.key.layout.rawValue)/\($0.key.number)", ($0.key, $0.value)) })
        for edition in content.configuration.editions {
            let old = previous?.editions.first { $0.id == edition.id }
            var entries: [HandbookManifest.Procedure] = []
            for procedure in content.procedures where procedure.editions.contains(edition.id) {
                let earlier = old?.procedures.first { $0.id == procedure.id }
                var layouts: [String: [HandbookManifest.Step]] = [:]
                for layout in ManualLayout.allCases {
                    let steps = procedure.steps(edition: edition.id, layout: layout)
                    let taken = steps.indices.compactMap { shotByKey["\(edition.id)/\(procedure.id)/\(layout.rawValue)/\($0 + 1)"] }
                    if taken.count == steps.count, !steps.isEmpty {
                        layouts[layout.rawValue] = zip(steps, taken).map { step, shot in
                            Self.entry(step, job: shot.0, shot: shot.1, edition: edition.id, layout: layout)
                        }
                    } else if let earlier = earlier?.layouts[layout.rawValue] {
                        layouts[layout.rawValue] = earlier
                    }
                }
                guard !layouts.isEmpty else { continue }
                entries.append(.init(
                    id: procedure.id, section: procedure.section, title: procedure.title.text(for: edition.id) ?? "",
                    lead: procedure.lead?.text(for: edition.id), details: procedure.body.plainText,
                    notes: procedure.notes.filter { $0.editions.contains(edition.id) }.map {
                        .init(kind: $0.kind.rawValue, title: $0.title?.text(for: edition.id), text: $0.text.text(for: edition.id) ?? "")
                    },
                    layouts: layouts))
            }
            if !entries.isEmpty { manifest.editions.append(.init(id: edition.id, label: edition.label, procedures: entries)) }
        }
        return manifest
    }

    static func entry(_ step: ManualProcedure.Step, job: Job, shot: StepCamera.Shot, edition: String,
                      layout: ManualLayout) -> HandbookManifest.Step {
        let targets = step.targets[layout] ?? []
        let callouts = step.callouts.filter { $0.applies(edition: edition, layout: layout) }
        let screen = switch step.screen {
        case .page(let path, _): path
        case .mail(let name, _): "mail:\(name)"
        }
        return .init(
            number: job.number, text: step.text.text(for: edition) ?? "", image: job.image,
            plainImage: shot.plain == nil ? nil : plainPath(of: job.image), screen: screen,
            width: layout.width, height: layout.height, scale: layout.scale, open: step.open.map(\.name), clip: shot.clip,
            targets: zip(targets, shot.found).map { .init(name: $0.name, box: $1.box, mark: $1.mark) },
            callouts: zip(callouts.enumerated(), shot.found.dropFirst(targets.count)).map { pair, found in
                .init(number: pair.offset + 1, label: pair.element.label?.text(for: edition), text: pair.element.text.text(for: edition) ?? "",
                      target: pair.element.target[layout]?.name ?? "", box: found.box, mark: found.mark)
            })
    }
}

/// Problems of one picture, carried through a `Result`.
struct ContentErrorList: Error {
    var errors: [ContentError]
    init(_ errors: [ContentError]) { self.errors = errors }
}

/// Prints a line per procedure and edition as its last picture is taken.
actor ProgressTracker {
    private var total: [String: Int] = [:]
    private var remaining: [String: Int] = [:]
    private let report: @Sendable (String) -> Void

    init(work: [ShotPlan.Work], report: @escaping @Sendable (String) -> Void) {
        for item in work { total["\(item.job.edition) \(item.job.procedure)", default: 0] += 1 }
        remaining = total
        self.report = report
    }

    func finished(_ job: ShotPlan.Job) {
        let key = "\(job.edition) \(job.procedure)"
        remaining[key, default: 1] -= 1
        if remaining[key] == 0 { report("\(key): \(total[key] ?? 0) pictures") }
    }
}
