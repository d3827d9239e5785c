import Foundation
import Mustache

/// The site as `kenshu serve` renders it per request: the same pages, templates and data as
/// `kenshu build`, plus what only a running server knows — a `live` object (the CSRF token, a
/// form-level message), the values and errors of a form's fields, and the signed-in account's
/// seeker as `site.viewer`. Templates test `{{#live}}` to post forms instead of linking to the
/// next static page, so one set of templates serves both the walk-through from disk and the
/// real flows.
public final class LiveSite: @unchecked Sendable {
    /// A page that can be served, with its front matter.
    public struct Page: @unchecked Sendable {
        /// Under Output/: `v2/login.html`.
        public var outputPath: String
        public var edition: String
        /// The page's front matter (`ContentString`, `Int`, `Bool`, lists and dictionaries).
        public var values: [String: Any]
    }

    /// A field's state after a failed POST, keyed by the field's `name`.
    public struct FieldState: Sendable {
        public var value: String?
        public var error: String?
        public init(value: String? = nil, error: String? = nil) {
            self.value = value
            self.error = error
        }
    }

    public let content: Content
    private let defaultPlan: [String: PlannedPage]
    private let lock = NSLock()
    private var plansByViewer: [String: [String: PlannedPage]] = [:]

    /// The site of a render (the dev server's rebuilds), which the build has linted as served.
    public convenience init(_ rendered: RenderedSite) {
        self.init(content: rendered.content, plan: rendered.plan)
    }

    /// Loads, plans and lints the site, as `kenshu check` does.
    public convenience init(builder: SiteBuilder) throws {
        let (content, plan, _) = try builder.prepare()
        self.init(content: content, plan: plan)
    }

    init(content: Content, plan: [PlannedPage]) {
        self.content = content
        defaultPlan = Dictionary(plan.map { ($0.outputPath, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// site.yaml's `live:` block.
    public var settings: [String: Any] { content.configuration.values["live"] as? [String: Any] ?? [:] }

    /// The edition ids, first the gallery's front one.
    public var editions: [String] { content.configuration.editions.map(\.id) }

    public func page(_ outputPath: String) -> Page? {
        guard let planned = defaultPlan[outputPath], planned.source != nil else { return nil }
        let edition = String(outputPath.prefix { $0 != "/" })
        return Page(outputPath: outputPath, edition: edition, values: planned.context["page"] as? [String: Any] ?? [:])
    }

    /// Renders a page for `viewer` (a seeker id; nil = site.yaml's) with `live` values, field
    /// states, and `merge` (top-level dictionaries to update, e.g. `seeker.last_login`).
    public func render(_ outputPath: String, viewer: String?, live: [String: String],
                       fields: [String: FieldState] = [:], merge: [String: [String: String]] = [:]) throws -> String? {
        guard let planned = try plan(for: viewer)[outputPath] else { return nil }
        var context = planned.context
        context["live"] = live.mapValues { ContentString($0) }
        if !fields.isEmpty, var page = context["page"] as? [String: Any] {
            page = Self.applying(fields, to: page)
            context["page"] = page
        }
        for (key, values) in merge {
            var dictionary = context[key] as? [String: Any] ?? [:]
            for (name, value) in values { dictionary[name] = ContentString(value) }
            context[key] = dictionary
        }
        return content.library.getTemplate(named: planned.template)?.render(context, library: content.library)
    }

    /// Renders a plain-text template (a mail body) with string values.
    public func renderText(template: String, values: [String: String]) -> String? {
        content.library.getTemplate(named: template)?.render(values.mapValues { ContentString($0) }, library: content.library)
    }

    /// A fixture list's entries, for seeding (e.g. the accounts).
    public func fixtureRecords(_ name: String) -> [[String: Any]] {
        (content.fixtures[name] as? [Any])?.compactMap { $0 as? [String: Any] } ?? []
    }

    private func plan(for viewer: String?) throws -> [String: PlannedPage] {
        guard let viewer, viewer != (content.configuration.values["viewer"] as? ContentString)?.value else { return defaultPlan }
        lock.lock()
        defer { lock.unlock() }
        if let plan = plansByViewer[viewer] { return plan }
        let plan = try SitePlanner(content: content, viewer: viewer).plan()
        let byPath = Dictionary(plan.map { ($0.outputPath, $0) }, uniquingKeysWith: { first, _ in first })
        plansByViewer[viewer] = byPath
        return byPath
    }

    /// Fills in the fields' values and errors; with any error the form also gets `errors` (each
    /// field's `id`, `label` and `error`, in form order) and `has_errors`, for a summary at the top
    /// of the page that a participant sees without scrolling to the fields.
    private static func applying(_ fields: [String: FieldState], to page: [String: Any]) -> [String: Any] {
        guard var form = page["form"] as? [String: Any], let list = form["fields"] as? [Any] else { return page }
        var errors: [[String: Any]] = []
        form["fields"] = list.map { item -> Any in
            guard var field = item as? [String: Any], let name = (field["name"] as? ContentString)?.value,
                  let state = fields[name] else { return item }
            if let value = state.value { field["value"] = ContentString(value) }
            if let error = state.error {
                field["error"] = ContentString(error)
                errors.append(["id": field["id"] ?? ContentString(name), "label": field["label"] ?? ContentString(name),
                               "error": ContentString(error)])
            }
            return field
        }
        if !errors.isEmpty {
            form["errors"] = errors
            form["has_errors"] = true
        }
        var page = page
        page["form"] = form
        return page
    }

    /// A page's data as the server renders it, with every live value present, for the linter.
    static func servedSample(of context: [String: Any]) -> [String: Any] {
        var context = context
        context["live"] = ["csrf": ContentString("x"), "message": ContentString("x")]
        if let page = context["page"] as? [String: Any],
           let fields = (page["form"] as? [String: Any])?["fields"] as? [Any] {
            let names = fields.compactMap { (($0 as? [String: Any])?["name"] as? ContentString)?.value }
            let sample = FieldState(value: "x", error: "x")
            context["page"] = applying(Dictionary(names.map { ($0, sample) }, uniquingKeysWith: { a, _ in a }), to: page)
        }
        return context
    }
}
