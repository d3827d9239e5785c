/// A message Chromium sends on its own (no `id`): `Page.loadEventFired`,
/// `Runtime.consoleAPICalled`, ... `sessionId` is nil for browser-level events and
/// names the attached page otherwise (we attach with `flatten: true`).
struct CDPEvent: Sendable {
    let method: String
    let params: JSONObject
    let sessionId: String?
}

/// Handle returned by `CDPConnection.addListener`, needed to remove the listener again.
struct CDPListenerToken: Sendable, Hashable {
    let rawValue: Int
}
