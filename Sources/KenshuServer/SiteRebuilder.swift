import Foundation
import KenshuSite
import Logging

/// Rebuilds the site after a change and tells open pages. A failed build leaves `Output/` as
/// it was, so the last good site keeps being served while the error is on screen.
public actor SiteRebuilder {
    private let builder: SiteBuilder
    private let broadcaster: ReloadBroadcaster
    private let logger: Logger
    /// The last good render: pages a change cannot affect are reused from it.
    private var last: RenderedSite?

    public init(builder: SiteBuilder, broadcaster: ReloadBroadcaster, logger: Logger) {
        self.builder = builder
        self.broadcaster = broadcaster
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
