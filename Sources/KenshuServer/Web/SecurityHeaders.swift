import Hummingbird

/// The headers every page the server writes per request carries (the flows' pages, the
/// inbox, the trainer console): never stored (after ログアウト the back button must not show
/// MyPage again), never sniffed, never indexed, no referrer to other sites.
enum SecurityHeaders {
    static let servedPage: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .cacheControl: "no-store",
        .init("X-Content-Type-Options")!: "nosniff",
        .init("Referrer-Policy")!: "same-origin",
        .init("X-Robots-Tag")!: "noindex",
    ]
}
