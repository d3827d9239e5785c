import Yams

/// Edition-specific data lives in the fixtures, not in copies of templates: any list item with
/// `editions: [v2]` exists only in those editions. The newer manual's オンラインハローワーク紹介対象求人
/// is one such item.
enum EditionFilter {
    static func apply(_ value: Any, edition: String) -> Any {
        switch value {
        case let list as [Any]:
            return list.compactMap { item -> Any? in
                if let record = item as? [String: Any], let editions = record["editions"] as? [Any],
                   !editions.contains(where: { ($0 as? ContentString)?.value == edition }) {
                    return nil
                }
                return apply(item, edition: edition)
            }
        case let record as [String: Any]:
            return record.mapValues { apply($0, edition: edition) }
        default:
            return value
        }
    }

    /// A misspelt edition would silently hide an item everywhere: name it instead.
    static func checkEditionNames(in node: Node, known: [String], path: String) throws(ContentError) {
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                if key.string == "editions", case .sequence(let list) = value {
                    for item in list where !known.contains(item.string ?? "") {
                        throw ContentError(YAMLContent.location(of: item, path: path),
                                           "unknown edition `\(item.string ?? "")` (site.yaml lists \(known.joined(separator: ", ")))")
                    }
                }
                try checkEditionNames(in: value, known: known, path: path)
            }
        case .sequence(let list):
            for item in list { try checkEditionNames(in: item, known: known, path: path) }
        default:
            break
        }
    }
}
