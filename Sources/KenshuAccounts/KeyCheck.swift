/// The verdict on a 認証キー typed by the user, before it is phrased as a screen's failure.
enum KeyCheck: Sendable, Equatable {
    /// Matches an unused, current key; `keyRowID` is marked used when the flow completes.
    case valid(keyRowID: Int64)
    case mismatch
    case expired
    case alreadyUsed
}
