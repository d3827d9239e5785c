/// Cross-file checks of a loaded Content: every name a file uses exists somewhere else.
/// (Field names inside templates are checked later, against real data, by `TemplateLinter`.)
struct ContentValidator {
    var content: Content

    func problems() -> [ContentError] {
        var problems: [ContentError] = []
        let configuration = content.configuration
        let editionIDs = configuration.editions.map(\.id)
        let collectionNames = Set(configuration.collections.map(\.name))
        let flowIDs = Set(configuration.flows.map(\.id))

        for query in configuration.collections where content.fixtures[query.from] == nil {
            problems.append(ContentError(query.location, "collection `\(query.name)`: there is no fixture `\(query.from)` (have: \(content.fixtures.keys.sorted().joined(separator: ", ")))"))
        }
        if let gallery = configuration.galleryTemplate, content.templates[gallery.name] == nil {
            problems.append(ContentError(gallery.location, "unknown template `\(gallery.name)`\(suggestion(for: gallery.name))"))
        }

        for page in content.pages {
            if content.templates[page.template] == nil {
                problems.append(ContentError(page.templateLocation, "unknown template `\(page.template)`\(suggestion(for: page.template))"))
            }
            for flow in page.flows where !flowIDs.contains(flow) {
                let location = page.flowLocation ?? page.location
                problems.append(ContentError(location, "unknown flow `\(flow)` (site.yaml gallery.flows: \(configuration.flows.map(\.id).joined(separator: ", ")))"))
            }
            for edition in page.editions ?? [] where !editionIDs.contains(edition) {
                problems.append(ContentError(page.editionsLocation ?? page.location, "unknown edition `\(edition)` (site.yaml lists \(editionIDs.joined(separator: ", ")))"))
            }
            if let manual = page.manual, content.manual[manual] == nil, let location = page.manualLocation {
                problems.append(ContentError(location, "there is no \(content.displayRoot)/manual/\(manual).md"))
            }
            for name in [page.each?.collection, page.paginate?.collection].compactMap({ $0 }) where !collectionNames.contains(name) {
                let location = page.each?.location ?? page.paginate?.location ?? page.location
                problems.append(ContentError(location, "unknown collection `\(name)` (site.yaml collections: \(collectionNames.sorted().joined(separator: ", ")))"))
            }
        }
        return problems
    }

    private func suggestion(for name: String) -> String {
        let known = content.templates.keys.filter { !$0.hasPrefix("partials/") }.sorted()
        let close = known.min { editDistance($0, name) < editDistance($1, name) }
        if let close, editDistance(close, name) <= 3 { return "; did you mean `\(close)`?" }
        return " (templates: \(known.joined(separator: ", ")))"
    }
}

/// Levenshtein distance, for "did you mean" hints (also KenshuStudies').
package func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    for (i, x) in a.enumerated() {
        var current = [i + 1] + Array(repeating: 0, count: b.count)
        for (j, y) in b.enumerated() {
            current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
