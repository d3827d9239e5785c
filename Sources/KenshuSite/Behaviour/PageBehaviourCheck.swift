/// The build's check of what pages say about serving them, against the rest of the site: every
/// page a form, button or alternative leads to exists in each edition the page is built for,
/// and every front matter key is read by the build, the server or a template.
struct PageBehaviourCheck {
    var content: Content
    /// Paths under Output/ of the planned pages (`v2/home.html`).
    var planned: Set<String>
    /// Every name a template tag mentions.
    var templateNames: Set<String>

    func problems() -> [ContentError] {
        var problems: [ContentError] = []
        let allEditions = content.configuration.editions.map(\.id)
        let read = PageSource.buildKeys.union(PageBehaviour.pageKeys).union(PageBehaviour.postKeys)
            .union(LiveSite.fieldKeys).union(templateNames)
        for page in content.pages {
            for destination in page.destinations {
                let missing = (page.editions ?? allEditions).filter { !planned.contains("\($0)/\(destination.page)") }
                guard !missing.isEmpty else { continue }
                let editions = missing.count == 1 ? "edition \(missing[0])" : "editions \(missing.joined(separator: ", "))"
                problems.append(ContentError(destination.location, "`\(destination.page)` is not a page of \(editions)\(suggestion(destination.page, among: missing))"))
            }
            for key in page.keys where !read.contains(key.name) {
                let close = read.filter { editDistance($0, key.name) <= 2 }
                    .min { (editDistance($0, key.name), $0) < (editDistance($1, key.name), $1) }
                let hint = close.map { "; did you mean `\($0)`?" } ?? ""
                problems.append(ContentError(key.location, "`\(key.name)` in \(key.scope.rawValue) is read by no template and not by the server\(hint)"))
            }
        }
        return problems
    }

    private func suggestion(_ page: String, among editions: [String]) -> String {
        guard let edition = editions.first else { return "" }
        let pages = planned.filter { $0.hasPrefix(edition + "/") }.map { String($0.dropFirst(edition.count + 1)) }
        // Ties go to the first name in order, so the hint does not depend on a Set's order.
        let close = pages.min { (editDistance($0, page), $0) < (editDistance($1, page), $1) }
        guard let close, editDistance(close, page) <= 3 else { return "" }
        return "; did you mean `\(close)`?"
    }
}
