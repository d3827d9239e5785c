import Foundation
import Mustache

/// The steps of every build, in order: `kenshu check`, `kenshu build` and the dev server run
/// the same list, and an error says which step stopped it. Nothing is written unless every
/// step before `write` succeeded for every page.
public enum BuildStep: String, Sendable, CaseIterable {
    /// Read Content/: site.yaml, fixtures, pages, templates, the manual, assets.
    case load
    /// Names one file uses exist in another: templates, collections, flows, editions, the manual.
    case validate
    /// Every page of every edition (and the gallery) with its data.
    case plan
    /// Every template tag resolves for every page, as built and as served; every front matter
    /// key is read by someone; every page a form or button leads to exists.
    case lint
    /// The templates rendered into bytes.
    case render
    /// The manual's procedures against the rendered pages (`ManualTargetCheck`).
    case checkManual = "check manual"
    /// Into a staging folder that replaces Output/ at once.
    case write
}

/// The build: the steps of `BuildStep`, run by `check` (no write), `build` (into Output/) and
/// `render` (in memory, for the dev server).
public struct SiteBuilder: Sendable {
    public var contentRoot: URL
    public var displayRoot: String
    public var output: URL
    /// Checks of Content the site does not read itself (the studies), run in the lint step.
    public var checks: [any ContentCheck] = []

    public struct Summary: Sendable {
        public var pages: Int
        public var assets: Int
    }

    public init(content: URL, displayRoot: String? = nil, output: URL) {
        self.contentRoot = content
        self.displayRoot = displayRoot ?? content.relativePath
        self.output = output
    }

    /// Every step but `write`: what `kenshu check` runs.
    public func check() throws(ContentErrors) -> Summary {
        let (content, plan) = try prepare()
        let rendered = try step(.render) { PageRenderer(library: content.library).render(plan) }
        try checkManual(content: content, files: Dictionary(rendered, uniquingKeysWith: { first, _ in first }))
        return Summary(pages: plan.count, assets: content.assets.count)
    }

    /// A full build into a staging folder that replaces `Output/` only when every page rendered.
    public func build() throws -> Summary {
        let (content, plan) = try prepare()
        let rendered = try step(.render) { PageRenderer(library: content.library).render(plan) }
        try checkManual(content: content, files: Dictionary(rendered, uniquingKeysWith: { first, _ in first }))
        try write(content: content, plan: plan, rendered: rendered)
        return Summary(pages: plan.count, assets: content.assets.count)
    }

    /// Every file of the site in memory (path under Output/ → bytes), for the dev server, which
    /// then writes only what changed.
    ///
    /// Given the previous result and the Content paths that changed since, only the pages that
    /// can depend on them are linted and rendered again: a changed `pages/x.md` re-renders the
    /// pages made from it and the gallery; a changed asset re-renders nothing. A change to
    /// site.yaml, a fixture, a template or the manual can touch any page, so all are rendered.
    public func render(reusing previous: RenderedSite? = nil, changed: Set<String> = []) throws -> RenderedSite {
        let content = try load()
        let plan = try step(.plan) { () throws(ContentErrors) in try SitePlanner(content: content).plan() }
        let scope = RenderScope(changed: changed, hasPrevious: previous != nil)
        let selected = plan.filter { page in
            let affected = switch scope {
            case .everything: true
            case .pages(let sources): page.source.map(sources.contains) ?? true
            case .assets: false
            }
            return affected || previous?.files[page.outputPath] == nil
        }
        try lint(selected, all: plan, content: content)
        var files: [String: Data] = [:]
        for asset in content.assets { files["assets/" + asset.relativePath] = asset.data }
        for page in plan {
            if let data = previous?.files[page.outputPath] { files[page.outputPath] = data }
        }
        let rendered = try step(.render) { PageRenderer(library: content.library).render(selected) }
        for (path, data) in rendered { files[path] = data }
        try checkManual(content: content, files: files)
        return RenderedSite(files: files, rendered: rendered.count, content: content, plan: plan)
    }

    /// Every file of the site in memory, all pages rendered.
    public func renderAll() throws -> [String: Data] {
        try render().files
    }

    /// load → validate → plan → lint.
    func prepare() throws(ContentErrors) -> (Content, [PlannedPage]) {
        let content = try load()
        let plan = try step(.plan) { () throws(ContentErrors) in try SitePlanner(content: content).plan() }
        try lint(plan, all: plan, content: content)
        return (content, plan)
    }

    // MARK: Steps

    /// Runs one step; its errors say which step it was.
    private func step<T>(_ step: BuildStep, _ body: () throws(ContentErrors) -> T) throws(ContentErrors) -> T {
        do {
            return try body()
        } catch {
            var error = error
            error.step = error.step ?? step
            throw error
        }
    }

    /// load, then validate.
    private func load() throws(ContentErrors) -> Content {
        let loader = ContentLoader(root: contentRoot, displayRoot: displayRoot)
        let content = try step(.load) { () throws(ContentErrors) in try loader.read() }
        try step(.validate) { () throws(ContentErrors) in try loader.validate(content) }
        return content
    }

    /// The manual's steps against the rendered pages (`ManualTargetCheck`).
    private func checkManual(content: Content, files: [String: Data]) throws(ContentErrors) {
        try step(.checkManual) { () throws(ContentErrors) in
            let problems = ManualTargetCheck(content: content).problems(files: files)
            if !problems.isEmpty { throw ContentErrors(problems) }
        }
    }

    /// `selected` are linted (the pages a change can affect); `all` is the whole plan, which
    /// the pages' behaviour is checked against.
    private func lint(_ selected: [PlannedPage], all plan: [PlannedPage], content: Content) throws(ContentErrors) {
        try step(.lint) { () throws(ContentErrors) in
            let linter = try TemplateLinter(templates: content.templates)
            let behaviour = PageBehaviourCheck(content: content, planned: Set(plan.map(\.outputPath)),
                                               templateNames: linter.mentionedNames).problems()
            if !behaviour.isEmpty { throw ContentErrors(behaviour) }
            try lintServerTemplates(content: content, linter: linter)
            let built = Set(plan.map(\.outputPath))
            let others = checks.flatMap { $0.problems(contentRoot: contentRoot, displayRoot: displayRoot, builtPages: built) }
            if !others.isEmpty { throw ContentErrors(others) }
            // Each page as written to disk, and one page per source as `kenshu serve` renders it
            // (`{{#live}}` sections open), so a served-only tag cannot fail in front of a participant.
            var seen = Set<String>()
            let served = selected.filter { $0.source.map { seen.insert($0).inserted } ?? false }
                .map { page -> PlannedPage in
                    var page = page
                    page.context = LiveSite.servedSample(of: page.context)
                    page.origin += " served"
                    return page
                }
            let problems = PageRenderer.parallelMap(selected + served) { linter.problems(template: $0.template, context: $0.context, page: $0.origin) }
            var unique: [String: ContentError] = [:]
            for problem in problems.joined() {
                // The same tag fails for many pages; report it once, naming the first page.
                let key = problem.location.description + (problem.message.components(separatedBy: " (rendering").first ?? "")
                if unique[key] == nil { unique[key] = problem }
            }
            if !unique.isEmpty { throw ContentErrors(Array(unique.values)) }
        }
    }

    /// The templates the server draws its own answers with (site.yaml `live.errors.template`),
    /// with the values it gives them (`title`, `detail`, `back`: the page to open again), so a refusal cannot fail in front of a participant.
    private func lintServerTemplates(content: Content, linter: TemplateLinter) throws(ContentErrors) {
        let live = content.configuration.values["live"] as? [String: Any]
        guard let errors = live?["errors"] as? [String: Any] else { return }
        let name = (errors["template"] as? ContentString)?.value ?? "error"
        let origin = content.displayRoot + "/site.yaml live.errors"
        guard content.templates[name] != nil else {
            throw ContentErrors([ContentError(SourceLocation(path: content.displayRoot + "/site.yaml"),
                                              "live.errors.template: there is no template `\(name)`")])
        }
        // As `LiveSite.renderText` gives them, `site` included.
        let sample = content.textContext(["title": "x", "detail": "x", "back": "/x.html"])
        let problems = linter.problems(template: name, context: sample, page: origin)
        if !problems.isEmpty { throw ContentErrors(problems) }
    }

    /// Into a staging folder next to Output/, which replaces it only when everything is written.
    private func write(content: Content, plan: [PlannedPage], rendered: [(String, Data)]) throws {
        let writer = OutputWriter(output: output)
        let staging = try writer.makeStaging()
        do {
            let directories = Set(plan.map { ($0.outputPath as NSString).deletingLastPathComponent }
                + content.assets.map { ("assets/" + $0.relativePath as NSString).deletingLastPathComponent })
            for directory in directories.sorted() where !directory.isEmpty {
                try FileManager.default.createDirectory(at: staging.appendingPathComponent(directory), withIntermediateDirectories: true)
            }
            for asset in content.assets {
                try asset.data.write(to: staging.appendingPathComponent("assets/" + asset.relativePath))
            }
            for (path, data) in rendered { try data.write(to: staging.appendingPathComponent(path)) }
            try writer.commit(staging: staging)
        } catch {
            writer.discard(staging: staging)
            throw error
        }
    }
}

/// A site rendered in memory.
public struct RenderedSite: Sendable {
    /// Path under Output/ → bytes.
    public var files: [String: Data]
    /// How many pages this render produced anew (the rest were reused).
    public var rendered: Int
    /// What it was rendered from, for the served flows (`LiveSite`).
    var content: Content
    var plan: [PlannedPage]
}

/// Which pages a change can affect.
enum RenderScope {
    case everything
    case pages(Set<String>)
    case assets

    init(changed: Set<String>, hasPrevious: Bool) {
        guard hasPrevious, !changed.isEmpty else { self = .everything; return }
        if changed.allSatisfy({ $0.hasPrefix("assets/") }) {
            self = .assets
        } else if changed.allSatisfy({ $0.hasPrefix("pages/") && $0.hasSuffix(".md") }) {
            self = .pages(changed)
        } else {
            self = .everything
        }
    }
}

/// Renders planned pages on every core.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// Each page's path under Output/ and its HTML, rendered on every core, in plan order.
    func render(_ plan: [PlannedPage]) -> [(String, Data)] {
        let library = library
        return PageRenderer.parallelMap(plan) { page in
            (page.outputPath, Data((library.getTemplate(named: page.template)?.render(page.context, library: library) ?? "").utf8))
        }
    }

    /// `map` over all cores, in chunks, keeping the input order.
    static func parallelMap<T: Sendable, R>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, items.count))
        let chunk = (items.count + workers - 1) / max(workers, 1)
        let results = UnsafeResults<R>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let start = worker * chunk
            let end = min(start + chunk, items.count)
            guard start < end else { return }
            for index in start..<end { results.set(index, transform(items[index])) }
        }
        return results.values()
    }
}

/// A result array written by `concurrentPerform` workers, each to its own indices only.
private final class UnsafeResults<R>: @unchecked Sendable {
    private var storage: [R?]
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: R) { storage[index] = value }
    func values() -> [R] { storage.map { $0! } }
}
