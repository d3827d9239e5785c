import Foundation

/// A check of Content files the site build itself does not read (studies), run in the build's
/// `lint` step with the pages the build plans, so its errors stop `kenshu check`, `kenshu build`
/// and the dev server at `file:line:col` like every content error, and nothing is written.
/// A module above KenshuSite plugs its reader in here (`SiteBuilder.checks`) without KenshuSite
/// knowing it.
public protocol ContentCheck: Sendable {
    /// Problems in the files under `contentRoot`; `builtPages` are paths under Output/ (`v2/login.html`).
    func problems(contentRoot: URL, displayRoot: String, builtPages: Set<String>) -> [ContentError]
}
