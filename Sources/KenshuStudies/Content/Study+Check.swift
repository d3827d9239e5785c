import KenshuSite

extension Study {
    /// The pages this study names that the site does not serve, each at its `file:line:col` with
    /// the closest served page as a hint. Separate from parsing because only the caller knows
    /// the built site (`Output/`, or the server's page table); `servedPages` are paths as
    /// served, `v2/login.html`. A `signed_in` page may omit the edition folder (`home.html`).
    public func problems(servedPages: Set<String>) -> [ContentError] {
        let known = servedPages.sorted()
        var problems: [ContentError] = []
        for task in tasks {
            for reference in task.pageReferences
            where !servedPages.contains(reference.page) && !known.contains(where: { StudyPath.page($0, is: reference.page) }) {
                problems.append(ContentError(reference.location, "`\(reference.page)` is not a served page"
                                                 + StudyReader.suggestion(reference.page, among: known, listedAs: "pages")))
            }
        }
        return problems
    }
}
