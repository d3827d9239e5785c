import Foundation
import KenshuSite

/// The studies as part of the site build (`SiteBuilder.checks`): every file loads, and every page
/// a task names is a page the build makes. A broken study stops `kenshu check`/`build` and the
/// dev server at its `file:line:col`.
public struct StudyCheck: ContentCheck {
    public init() {}

    public func problems(contentRoot: URL, displayRoot: String, builtPages: Set<String>) -> [ContentError] {
        do {
            return try StudyLoader(root: contentRoot, displayRoot: displayRoot).load()
                .flatMap { $0.problems(servedPages: builtPages) }
        } catch {
            return error.errors
        }
    }
}
