import Foundation
import Mustache

/// The build as a pipeline of named steps: load → plan → lint → render → write.
/// Nothing is written unless every earlier step succeeded for every page.
public struct SiteBuilder: Sendable {
    public var contentRoot: URL
    public var displayRoot: String
    public var output: URL

    public struct Summary: Sendable {
        public var pages: Int
        public var assets: Int
    }

    public init(content: URL, displayRoot: String? = nil, output: URL) {
        self.contentRoot = content
        self.displayRoot = displayRoot ?? content.relativePath
        self.output = output
    }

    /// Load, plan, lint, render in memory and check the manual against the pages: what
    /// `kenshu check` runs. Writes nothing.
    public func check() throws(ContentErrors) -> Summary {
        let (content, plan, library) = try prepare()
        let rendered = PageRenderer(library: library).render(plan)
        try checkManual(content: content, files: Dictionary(rendered, uniquingKeysWith: { first, _ in first }))
        return Summary(pages: plan.count, assets: content.assets.count)
    }

    /// A full build into a staging folder that replaces `Output/` only when every page rendered.
    public func build() throws -> Summary {
        let (content, plan, library) = try prepare()
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
            let rendered = PageRenderer(library: library).render(plan)
            try checkManual(content: content, files: Dictionary(rendered, uniquingKeysWith: { first, _ in first }))
            for (path, data) in rendered { try data.write(to: staging.appendingPathComponent(path)) }
            try writer.commit(staging: staging)
        } catch {
            writer.discard(staging: staging)
            throw error
        }
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
        let content = try ContentLoader(root: contentRoot, displayRoot: displayRoot).load()
        let plan = try SitePlanner(content: content).plan()
        let scope = RenderScope(changed: changed, hasPrevious: previous != nil)
        let selected = plan.filter { page in
            let affected = switch scope {
            case .everything: true
            case .pages(let sources): page.source.map(sources.contains) ?? true
            case .assets: false
            }
            return affected || previous?.files[page.outputPath] == nil
        }
        try lint(selected, content: content)
        var files: [String: Data] = [:]
        for asset in content.assets { files["assets/" + asset.relativePath] = asset.data }
        for page in plan {
            if let data = previous?.files[page.outputPath] { files[page.outputPath] = data }
        }
        let rendered = PageRenderer(library: content.library).render(selected)
        for (path, data) in rendered { files[path] = data }
        try checkManual(content: content, files: files)
        return RenderedSite(files: files, rendered: rendered.count, content: content, plan: plan)
    }

    /// Every file of the site in memory, all pages rendered.
    public func renderAll() throws -> [String: Data] {
        try render().files
    }

    func prepare() throws(ContentErrors) -> (Content, [PlannedPage], MustacheLibrary) {
        let content = try ContentLoader(root: contentRoot, displayRoot: displayRoot).load()
        let plan = try SitePlanner(content: content).plan()
        try lint(plan, content: content)
        return (content, plan, content.library)
    }

    /// The manual's steps against the rendered pages (`ManualTargetCheck`).
    private func checkManual(content: Content, files: [String: Data]) throws(ContentErrors) {
        let problems = ManualTargetCheck(content: content).problems(files: files)
        if !problems.isEmpty { throw ContentErrors(problems) }
    }

    private func lint(_ plan: [PlannedPage], content: Content) throws(ContentErrors) {
        let linter = try TemplateLinter(templates: content.templates)
        // Each page as written to disk, and one page per source as `kenshu serve` renders it
        // (`{{#live}}` sections open), so a served-only tag cannot fail in front of a participant.
        var seen = Set<String>()
        let served = plan.filter { $0.source.map { seen.insert($0).inserted } ?? false }
            .map { page -> PlannedPage in
                var page = page
                page.context = LiveSite.servedSample(of: page.context)
                page.origin += " served"
                return page
            }
        let problems = PageRenderer.parallelMap(plan + served) { linter.problems(template: $0.template, context: $0.context, page: $0.origin) }
        var unique: [String: ContentError] = [:]
        for problem in problems.joined() {
            // The same tag fails for many pages; report it once, naming the first page.
            let key = problem.location.description + (problem.message.components(separatedBy: " (rendering").first ?? "")
            if unique[key] == nil { unique[key] = problem }
        }
        if !unique.isEmpty { throw ContentErrors(Array(unique.values)) }
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
