import KenshuSite
import NIOConcurrencyHelpers

/// The current `LiveSite`, replaced after every successful rebuild so the served flows render
/// the same Content as the static pages beside them.
public final class LiveSiteStore: Sendable {
    private let box: NIOLockedValueBox<LiveSite>

    public init(_ site: LiveSite) {
        box = NIOLockedValueBox(site)
    }

    public var site: LiveSite { box.withLockedValue { $0 } }

    public func replace(with site: LiveSite) {
        box.withLockedValue { $0 = site }
    }
}
