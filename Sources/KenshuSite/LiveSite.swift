import Foundation
import Mustache

/// The site as `kenshu serve` renders it per request: the same pages, templates and data as
/// `kenshu build`, plus what only a running server knows — a `live` object (the CSRF token, a
/// form-level message), the values and errors of a form's fields, and the signed-in account's
/// seeker as `site.viewer`. Templates test `{{#live}}` to post forms instead of linking to the
/// next static page, so one set of templates serves both the walk-through from disk and the
/// real flows.
public final class LiveSite: @unchecked Sendable {
    /// A page that can be served: its place, its front matter and what it does when served.
    public struct Page: @unchecked Sendable {
        /// Under Output/: `v2/login.html`.
        public var outputPath: String
        public var edition: String
        /// The page's front matter (`ContentString`, `Int`, `Bool`, lists and dictionaries).
        public var values: [String: Any]
        public var behaviour: PageBehaviour
        /// The form's fields, by `name`, in form order (the server checks each for empty and too long).
        public var fieldNames: [String] {
            ((values["form"] as? [String: Any])?["fields"] as? [Any] ?? []).compactMap {
                (($0 as? [String: Any])?["name"] as? ContentString)?.value
            }
        }
    }

    /// Keys of a form the server reads besides the behaviour's.
    static let fieldKeys: Set<String> = ["fields", "name"]

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
    /// Each signed-in seeker's collections, per edition: a MyPage page for them is planned
    /// from these alone, not by planning the whole site again.
    private var dataByViewer: [String: [String: Any]] = [:]

    /// The site of a render (the dev server's rebuilds), which the build has linted as served.
    public convenience init(_ rendered: RenderedSite) {
        self.init(content: rendered.content, plan: rendered.plan)
    }

    /// Loads, plans and lints the site, as `kenshu check` does.
    public convenience init(builder: SiteBuilder) throws {
        let (content, plan) = try builder.prepare()
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
        return Page(outputPath: outputPath, edition: edition, values: planned.context["page"] as? [String: Any] ?? [:],
                    behaviour: planned.behaviour)
    }

    /// Renders a page for `viewer` (a seeker id; nil = site.yaml's) with `live` values, field
    /// states, and `merge` (top-level dictionaries to update, e.g. `seeker.last_login`).
    public func render(_ outputPath: String, viewer: String?, live: [String: String],
                       fields: [String: FieldState] = [:], merge: [String: [String: String]] = [:]) throws -> String? {
        guard let planned = try planned(outputPath, for: viewer) else { return nil }
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

    /// Renders a plain-text template (a mail body) with string values, and `site` (site.yaml's
    /// values, such as `site.rules.key_minutes`).
    public func renderText(template: String, values: [String: String]) -> String? {
        content.library.getTemplate(named: template)?.render(content.textContext(values), library: content.library)
    }

    /// A fixture list's entries, for seeding (e.g. the accounts).
    public func fixtureRecords(_ name: String) -> [[String: Any]] {
        (content.fixtures[name] as? [Any])?.compactMap { $0 as? [String: Any] } ?? []
    }

    /// The page as planned for `viewer`: site.yaml's viewer gets the build's plan; another
    /// seeker's page is planned from their collections (computed once per seeker and edition).
    private func planned(_ outputPath: String, for viewer: String?) throws -> PlannedPage? {
        guard let planned = defaultPlan[outputPath] else { return nil }
        guard let viewer, viewer != (content.configuration.values["viewer"] as? ContentString)?.value,
              let source = planned.source,
              let page = content.pages.first(where: { "pages/" + $0.relativePath == source }),
              let edition = content.configuration.editions.first(where: { outputPath.hasPrefix($0.id + "/") })
        else { return planned }
        let planner = SitePlanner(content: content, viewer: viewer)
        let key = viewer + "\u{0}" + edition.id
        lock.lock()
        let cached = dataByViewer[key]
        lock.unlock()
        let data = try cached ?? planner.editionData(for: edition)
        if cached == nil {
            lock.lock()
            // Bounded: a class of participants, not every id ever seen.
            if dataByViewer.count >= 256 { dataByViewer.removeAll() }
            dataByViewer[key] = data
            lock.unlock()
        }
        return try planner.plan(page, edition: edition, data: data).first { $0.outputPath == outputPath }
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
