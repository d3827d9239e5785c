/// Why a deck could not be written.
public enum SlideDeckError: Error, Equatable, CustomStringConvertible {
    case editionNotFound(String, available: [String])
    case layoutNotFound(String, edition: String)
    case imageNotFound(String)
    case imageNotPNG(String)

    public var description: String {
        switch self {
        case let .editionNotFound(id, available):
            "edition \"\(id)\" is not in the manifest (it has: \(available.joined(separator: ", ")))"
        case let .layoutNotFound(layout, edition):
            "no procedure of edition \"\(edition)\" has steps for layout \"\(layout)\""
        case let .imageNotFound(path):
            "step image not found: \(path)"
        case let .imageNotPNG(path):
            "step image is not a PNG file: \(path)"
        }
    }
}
