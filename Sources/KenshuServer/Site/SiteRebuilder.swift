import Foundation
import KenshuSite
import Logging

/// Rebuilds the site after a change and tells open pages. A failed build leaves `Output/` as
/// it was, so the last good site keeps being served while the error is on screen.
public actor SiteRebuilder {
    private let builder: SiteBuilder
    private let broadcaster: ReloadBroadcaster
    private let logger: Logger
    /// Replaced from each good render, after the files are on disk and before pages are told:
    /// what is served, and the site the flows render live pages from.
    private let table: SiteTable?
    /// Told of each good render (the first turns the flows on).
    private let flows: FlowsSwitch?
    /// The last good render: pages a change cannot affect are reused from it.
    private var last: RenderedSite?

    public init(builder: SiteBuilder, broadcaster: ReloadBroadcaster, table: SiteTable? = nil,
                flows: FlowsSwitch? = nil, logger: Logger) {
        self.builder = builder
        self.broadcaster = broadcaster
        self.table = table
        self.flows = flows
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
            table?.update(with: site)
            if let live = table?.site { flows?.buildSucceeded(site: live) }
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
