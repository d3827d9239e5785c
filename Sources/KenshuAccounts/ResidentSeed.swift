/// The Myna Portal mock's resident (the mock has no card reader, so any PIN signs this person in).
public struct ResidentSeed: Sendable, Equatable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}
