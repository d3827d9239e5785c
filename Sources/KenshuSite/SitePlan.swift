import Foundation
import Mustache

/// One file the build will write: which template, with which data.
public struct PlannedPage: @unchecked Sendable {
    /// Path under `Output/`: `v2/login.html`, `index.html`.
    public var outputPath: String
    public var template: String
    public var context: [String: Any]
    /// `Content/pages/login.md (edition v2)`: for messages.
    public var origin: String
    /// The page source, relative to `Content/` (`pages/login.md`); nil for the gallery, which
    /// depends on every page.
    public var source: String?
    /// What the page does when served; the gallery has none.
    public var behaviour = PageBehaviour()
}

/// The second step of a build: every page of every edition, and the gallery, with its data.
/// Collections are evaluated once per edition; pages only add their own keys.
struct SitePlanner {
    var content: Content
    /// Replaces `site.viewer` (the seeker whose MyPage is shown) for the served site's
    /// signed-in account; nil keeps site.yaml's.
    var viewer: String? = nil

    func plan() throws(ContentErrors) -> [PlannedPage] {
        var planned: [PlannedPage] = []
        var errors: [ContentError] = []
        let configuration = content.configuration
        var galleryEditions: [[String: Any]] = []

        for edition in configuration.editions {
            let editionData: [String: Any]
            do {
                editionData = try data(for: edition)
            } catch {
                errors.append(error)
                continue
            }
            var editionPages: [PlannedPage] = []
            var screens: [(page: PageSource, planned: PlannedPage, variants: Int)] = []
            for page in content.pages where page.editions?.contains(edition.id) ?? true {
                do {
                    let pages = try expand(page, edition: edition, base: editionData)
                    editionPages += pages
                    if let first = pages.first, !page.flows.isEmpty { screens.append((page, first, pages.count)) }
                } catch {
                    errors.append(error)
                }
            }
            var seen: [String: String] = [:]
            for page in editionPages {
                if let other = seen[page.outputPath] {
                    errors.append(ContentError(SourceLocation(path: page.origin), "writes \(page.outputPath), as \(other) does"))
                }
                seen[page.outputPath] = page.origin
            }
            planned += editionPages
            galleryEditions.append(galleryData(edition: edition, screens: screens))
        }
        if !errors.isEmpty { throw ContentErrors(errors) }

        if let gallery = configuration.galleryTemplate {
            for (index, edition) in configuration.editions.enumerated() {
                let path = Self.galleryPath(for: edition.id, index: index)
                var context: [String: Any] = ["site": configuration.values, "assets": "assets/"]
                context["editions"] = configuration.editions.enumerated().map { offset, other -> [String: Any] in
                    ["id": ContentString(other.id), "label": ContentString(other.label),
                     "href": ContentString(Self.galleryPath(for: other.id, index: offset)), "current": offset == index]
                }
                context["edition"] = edition.values.merging(["id": ContentString(edition.id)]) { a, _ in a }
                context["flows"] = galleryEditions[index]["flows"]
                planned.append(PlannedPage(outputPath: path, template: gallery.name, context: context,
                                           origin: "\(gallery.location.path) (gallery, edition \(edition.id))", source: nil))
            }
        }
        return planned
    }

    /// The pages one source makes in one edition, with `data` from `editionData(for:)`: what
    /// the served site renders for a signed-in account, without planning the whole site again.
    func plan(_ page: PageSource, edition: SiteConfiguration.Edition, data: [String: Any]) throws(ContentError) -> [PlannedPage] {
        try expand(page, edition: edition, base: data)
    }

    /// The data every page of `edition` starts from, for `viewer`.
    func editionData(for edition: SiteConfiguration.Edition) throws(ContentError) -> [String: Any] {
        try data(for: edition)
    }

    static func galleryPath(for edition: String, index: Int) -> String {
        index == 0 ? "index.html" : "index-\(edition).html"
    }

    /// `site`, `edition`, `editions`, `fixtures` and every collection, for one edition.
    private func data(for edition: SiteConfiguration.Edition) throws(ContentError) -> [String: Any] {
        let configuration = content.configuration
        let fixtures = content.fixtures.mapValues { EditionFilter.apply($0, edition: edition.id) }
        var site = configuration.values
        if let viewer { site["viewer"] = ContentString(viewer) }
        var data: [String: Any] = [
            "site": site,
            "edition": edition.values.merging(["id": ContentString(edition.id), "label": ContentString(edition.label)]) { _, new in new },
            "editions": configuration.editions.map { ["id": ContentString($0.id), "label": ContentString($0.label), "current": $0.id == edition.id] as [String: Any] },
            "fixtures": fixtures,
        ]
        for query in configuration.collections {
            data[query.name] = try query.evaluate(in: fixtures, context: data)
        }
        return data
    }

    /// A page source becomes one page, one per item (`each`), or one per slice (`paginate`).
    private func expand(_ page: PageSource, edition: SiteConfiguration.Edition,
                        base: [String: Any]) throws(ContentError) -> [PlannedPage] {
        let origin = "\(page.location.path) (edition \(edition.id))"
        func make(_ path: String, extra: [String: Any]) -> PlannedPage {
            var context = base
            let depth = path.split(separator: "/").count - 1
            let root = String(repeating: "../", count: depth)
            var pageValues = page.values
            pageValues["path"] = ContentString(path)
            if let manual = page.manual { pageValues["manual_html"] = content.manual[manual] }
            context["page"] = pageValues
            context["root"] = ContentString(root)
            context["assets"] = ContentString(root + "../assets/")
            context["gallery"] = ContentString(root + "../" + Self.galleryPath(
                for: edition.id, index: content.configuration.editions.firstIndex { $0.id == edition.id } ?? 0))
            context.merge(extra) { _, new in new }
            return PlannedPage(outputPath: "\(edition.id)/\(path)", template: page.template, context: context,
                               origin: origin, source: "pages/" + page.relativePath, behaviour: page.behaviour)
        }

        if let each = page.each {
            guard let items = base[each.collection] as? [Any] else {
                throw ContentError(each.location, "collection `\(each.collection)` is not a list")
            }
            let pathTemplate: MustacheTemplate
            do { pathTemplate = try MustacheTemplate(string: each.path) } catch {
                throw ContentError(each.location, "`path` is not a valid template: \(error)")
            }
            return try items.map { item throws(ContentError) in
                let path = pathTemplate.render([each.name: item])
                guard Self.isSafeRelativePath(path) else {
                    throw ContentError(each.location, "`path` gives \"\(path)\" for an item of `\(each.collection)`: it must be a relative path ending in .html, with no empty part and no ..")
                }
                return make(path, extra: [each.name: item])
            }
        }
        if let paginate = page.paginate {
            guard let items = base[paginate.collection] as? [Any] else {
                throw ContentError(paginate.location, "collection `\(paginate.collection)` is not a list")
            }
            let slices = stride(from: 0, to: max(items.count, 1), by: paginate.perPage).map {
                Array(items[$0..<min($0 + paginate.perPage, items.count)])
            }
            let stem = String(page.outputPath.dropLast(5))
            let file = { (number: Int) in
                let path = number == 1 ? page.outputPath : "\(stem)-\(number).html"
                return String(path.split(separator: "/").last!)
            }
            return slices.enumerated().map { offset, slice in
                let number = offset + 1
                var pagination: [String: Any] = [
                    "items": slice, "number": number, "total_pages": slices.count, "total_items": items.count,
                    "first_item": items.isEmpty ? 0 : offset * paginate.perPage + 1,
                    "last_item": offset * paginate.perPage + slice.count,
                    "pages": slices.indices.map { ["number": $0 + 1, "href": ContentString(file($0 + 1)), "current": $0 == offset] as [String: Any] },
                ]
                pagination["previous"] = number > 1 ? ContentString(file(number - 1)) : nil
                pagination["next"] = number < slices.count ? ContentString(file(number + 1)) : nil
                let path = number == 1 ? page.outputPath : "\(stem)-\(number).html"
                return make(path, extra: ["pagination": pagination])
            }
        }
        return [make(page.outputPath, extra: [:])]
    }

    private func galleryData(edition: SiteConfiguration.Edition,
                             screens: [(page: PageSource, planned: PlannedPage, variants: Int)]) -> [String: Any] {
        let flows = content.configuration.flows.map { flow -> [String: Any] in
            let members = screens.filter { $0.page.flows.contains(flow.id) }.sorted {
                (($0.page.values["order"] as? Int) ?? 0, $0.page.relativePath) < (($1.page.values["order"] as? Int) ?? 0, $1.page.relativePath)
            }
            return [
                "id": ContentString(flow.id), "title": ContentString(flow.title),
                "screens": members.map { member -> [String: Any] in
                    var screen: [String: Any] = [
                        "title": ContentString(member.page.title), "href": ContentString(member.planned.outputPath),
                        "variants": member.variants, "more": member.variants > 1,
                    ]
                    if let manual = member.page.manual { screen["manual"] = content.manual[manual] }
                    return screen
                },
            ]
        }
        return ["flows": flows.filter { !(($0["screens"] as? [Any])?.isEmpty ?? true) }]
    }

    static func isSafeRelativePath(_ path: String) -> Bool {
        guard path.hasSuffix(".html"), !path.hasPrefix("/") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy {
            !$0.isEmpty && $0 != ".." && $0 != "." && !$0.contains("\\")
        }
    }
}
