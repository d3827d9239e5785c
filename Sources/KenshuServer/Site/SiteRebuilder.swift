import Foundation
import KenshuSite
import Logging

/// Rebuilds the site after a change and tells open pages. A failed build leaves `Output/` as
/// it was, so the last good site keeps being served while the error is on screen.
public actor SiteRebuilder {
    private let builder: SiteBuilder
    private let broadcaster: ReloadBroadcaster
    private let logger: Logger
    /// Filled from each good render, after the files are on disk and before pages are told.
    private let cache: StaticSiteCache?
    /// Replaced from each good render, like the cache, so served flows render the new Content.
    private let liveSites: LiveSiteStore?
    /// The last good render: pages a change cannot affect are reused from it.
    private var last: RenderedSite?

    public init(builder: SiteBuilder, broadcaster: ReloadBroadcaster, cache: StaticSiteCache? = nil,
                liveSites: LiveSiteStore? = nil, logger: Logger) {
        self.builder = builder
        self.broadcaster = broadcaster
        self.cache = cache
        self.liveSites = liveSites
        self.logger = logger
    }

    /// Renders in memory what `changed` (Content-relative paths; empty means everything) can
    /// affect, writes only the files whose bytes changed, and returns those paths (empty when
    /// the build failed).
    @discardableResult
    public func rebuild(changed: Set<String> = [], reason: String) async -> [String] {
        let start = ContinuousClock.now
        do {
            let site = try builder.render(reusing: last, changed: changed)
            let changed = try OutputWriter(output: builder.output).synchronize(site.files)
            last = site
            liveSites?.replace(with: LiveSite(site))
            cache?.update(with: site.files,
                          renderedPerRequest: StaticSiteCache.pagesRenderedPerRequest(by: liveSites?.site, among: site.files))
            let elapsed = ContinuousClock.now - start
            logger.info("\(reason): rendered \(site.rendered) of \(site.files.count) files, \(changed.count) changed, \(elapsed.formatted(.units(allowed: [.milliseconds], fractionalPart: .show(length: 1))))")
            await broadcaster.publish(.reload(changed))
            return changed
        } catch {
            let message = String(describing: error)
            FileHandle.standardError.write(Data("\(reason): build failed; still serving the last good site\n\(message)\n".utf8))
            await broadcaster.publish(.failed(message))
            return []
        }
    }
}
