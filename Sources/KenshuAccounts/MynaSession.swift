import Foundation

/// A Myna Portal mock sign-in. Kept apart from ``Session`` because the manual says there is no
/// single logout: leaving one side leaves the other signed in.
public struct MynaSession: Sendable, Equatable {
    public var id: String
    public var residentID: String
    public var name: String
    public var signedInAt: Date

    public init(id: String, residentID: String, name: String, signedInAt: Date) {
        self.id = id
        self.residentID = residentID
        self.name = name
        self.signedInAt = signedInAt
    }
}
