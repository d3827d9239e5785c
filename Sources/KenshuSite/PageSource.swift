import Foundation
import Yams

/// One screen's source, `Content/pages/**.md`: YAML front matter that picks the template and
/// the data, and a Markdown body for the screen's prose.
///
/// ```markdown
/// ---
/// template: login            # templates/login.mustache (required)
/// title: 求職者マイページログイン  # required
/// flow: login                # gallery group(s) (site.yaml gallery.flows); a list for several
/// order: 2                   # position within a gallery group
/// editions: [v2]             # only in these editions (default: all)
/// each: jobs                 # one page per item of a collection …
/// as: job                    # … bound to this name …
/// path: jobs/{{job.number}}.html   # … written here
/// paginate: request_jobs     # or: one page per `per_page` items of a collection
/// per_page: 20
/// manual: login              # Content/manual/login.md, shown beside the screen in the gallery
/// ---
/// ```
public struct PageSource: @unchecked Sendable {
    /// `login.md`, `mynaportal/consent.md`: relative to `pages/`.
    public var relativePath: String
    public var location: SourceLocation
    public var template: String
    public var templateLocation: SourceLocation
    public var title: String
    /// Gallery groups this screen appears in (`flow: login` or `flow: [home, logout]`).
    public var flows: [String] = []
    public var flowLocation: SourceLocation?
    public var editions: [String]?
    public var editionsLocation: SourceLocation?
    public var each: (collection: String, name: String, path: String, location: SourceLocation)?
    public var paginate: (collection: String, perPage: Int, location: SourceLocation)?
    public var manual: String?
    public var manualLocation: SourceLocation?
    /// Front matter as template data (`page.…`), with `content`, the rendered body.
    public var values: [String: Any]
    /// What the page does when served (sessions, forms that post, outcome pages).
    public var behaviour = PageBehaviour()
    /// The pages `behaviour` leads to, checked against the plan of each edition.
    var destinations: [PageBehaviour.Destination] = []
    /// Every front matter key (and the keys inside `form`, its `fields` and the actions), for the
    /// check that each one is read by the build, the server or a template.
    var keys: [FrontMatterKey] = []

    /// Keys the build itself reads.
    static let buildKeys: Set<String> = ["template", "title", "flow", "order", "editions", "each", "as", "path",
                                         "paginate", "per_page", "manual"]

    /// `login.html` for `login.md`: the page's path inside its edition's folder.
    public var outputPath: String {
        String(relativePath.dropLast(relativePath.hasSuffix(".md") ? 3 : 0)) + ".html"
    }

    /// `rules` fill the `{{rules.…}}` of the front matter's text and of the body.
    static func parse(_ text: String, relativePath: String, displayPath: String,
                      rules: LiveRules = .manual) throws(ContentError) -> PageSource {
        let matter = try FrontMatter.parse(text, displayPath: displayPath, what: "a page",
                                           needs: "with at least `template:` and `title:`")
        let (root, body, file) = (matter.root, matter.body, matter.file)
        let offset = FrontMatter.lineOffset
        func at(_ node: Node) -> SourceLocation { YAMLContent.location(of: node, path: displayPath, lineOffset: offset) }
        func requireText(_ node: Node, _ what: String) throws(ContentError) -> String {
            guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
                throw ContentError(at(node), "\(what) must be text")
            }
            return scalar.string
        }

        guard let template = root.entry("template") else {
            throw ContentError(at(root), "front matter needs `template:` (a file in Content/templates/, without .mustache)")
        }
        guard let title = root.entry("title") else {
            throw ContentError(at(root), "front matter needs `title:`, the screen's heading")
        }
        var values = try YAMLContent.value(of: root, path: displayPath, lineOffset: offset, rules: rules) as? [String: Any] ?? [:]
        let filledBody = try rules.fill(body, at: SourceLocation(path: displayPath, line: matter.bodyLine, column: 1))
        values["content"] = RawHTML(Markdown.html(from: filledBody))
        let templateName = try requireText(template.value, "`template`")
        let titleText = try requireText(title.value, "`title`")
        let filledTitle = if case .scalar(let scalar) = title.value {
            try rules.fill(scalar, node: title.value, path: displayPath, lineOffset: offset)
        } else { titleText }

        var page = PageSource(
            relativePath: relativePath, location: file,
            template: templateName, templateLocation: at(template.value),
            title: filledTitle, values: values)

        if let flow = root.entry("flow") {
            if case .sequence(let list) = flow.value {
                page.flows = try list.map { node throws(ContentError) in try requireText(node, "a flow id") }
            } else {
                page.flows = [try requireText(flow.value, "`flow`")]
            }
            page.flowLocation = at(flow.value)
        }
        if let manual = root.entry("manual") {
            page.manual = try requireText(manual.value, "`manual`")
            page.manualLocation = at(manual.value)
        }
        if let editions = root.entry("editions") {
            guard case .sequence(let list) = editions.value else {
                throw ContentError(at(editions.value), "`editions` must be a list of edition ids, e.g. [v2]")
            }
            page.editions = try list.map { node throws(ContentError) in try requireText(node, "an edition id") }
            page.editionsLocation = at(editions.value)
        }
        if let each = root.entry("each") {
            guard let path = root.entry("path") else {
                throw ContentError(at(each.key), "`each:` needs `path:`, the output path of every page, e.g. jobs/{{job.number}}.html")
            }
            let name = try root.entry("as").map { entry throws(ContentError) in try requireText(entry.value, "`as`") } ?? "item"
            page.each = (try requireText(each.value, "`each`"), name, try requireText(path.value, "`path`"), at(each.value))
        }
        if let paginate = root.entry("paginate") {
            guard page.each == nil else {
                throw ContentError(at(paginate.key), "a page uses either `each:` or `paginate:`, not both")
            }
            var perPage = 20
            if let entry = root.entry("per_page") {
                guard let number = entry.value.int, number > 0 else {
                    throw ContentError(at(entry.value), "`per_page` must be a whole number above 0")
                }
                perPage = number
            }
            page.paginate = (try requireText(paginate.value, "`paginate`"), perPage, at(paginate.value))
        }
        (page.behaviour, page.destinations) = try PageBehaviour.parse(root, at: at)
        page.keys = FrontMatterKey.keys(of: root, at: at)
        return page
    }
}
