import Foundation
import Mustache
import Yams

/// A named selection from a fixture list, declared in `site.yaml`, so that counts such as
/// 全2件 or 新着メッセージ 2件 are computed from the data instead of typed into a template:
///
/// ```yaml
/// collections:
///   request_jobs: { from: jobs, where: { lists: request }, sort: -received }
///   seeker:       { from: seekers, where: { id: asu }, single: true }
/// ```
///
/// `where` keeps items whose field equals the value, or, for a list field, contains it;
/// `sort` orders by a field (`-` for descending; ties keep the fixture's order);
/// `single` yields the first match instead of a list.
public struct CollectionQuery: @unchecked Sendable {
    public var name: String
    public var from: String
    public var conditions: [(field: String, value: Any)]
    public var sortField: String?
    public var descending: Bool
    public var single: Bool
    public var location: SourceLocation

    static func parse(name: String, node: Node, path: String) throws(ContentError) -> CollectionQuery {
        let location = YAMLContent.location(of: node, path: path)
        guard let from = node.entry("from")?.value.string, !from.isEmpty else {
            throw ContentError(location, "collection `\(name)` needs `from:` naming a fixture list")
        }
        var conditions: [(String, Any)] = []
        if let (key, whereNode) = node.entry("where") {
            guard case .mapping(let mapping) = whereNode else {
                throw ContentError(YAMLContent.location(of: key, path: path), "`where` must map fields to values")
            }
            for (field, value) in mapping {
                conditions.append((field.string ?? "", try YAMLContent.value(of: value, path: path)))
            }
        }
        var sortField = node.entry("sort")?.value.string
        var descending = false
        if let field = sortField, field.hasPrefix("-") {
            descending = true
            sortField = String(field.dropFirst())
        }
        let single = node.entry("single")?.value.bool ?? false
        return CollectionQuery(name: name, from: from, conditions: conditions, sortField: sortField,
                               descending: descending, single: single, location: location)
    }

    /// Runs the query on the edition's fixtures. A missing fixture list is an error at the
    /// query; an empty result is not (an edition may simply have no such items).
    ///
    /// A `where` value containing `{{…}}` is a Mustache template filled from `context` (the
    /// collections evaluated before this one), e.g. `postal_codes: "{{seeker.postal_code}}"`.
    func evaluate(in fixtures: [String: Any], context: [String: Any] = [:]) throws(ContentError) -> Any {
        guard let source = fixtures[from] else {
            throw ContentError(location, "collection `\(name)`: there is no fixture `\(from)` (fixtures: \(fixtures.keys.sorted().joined(separator: ", ")))")
        }
        guard let items = source as? [Any] else {
            throw ContentError(location, "collection `\(name)`: fixture `\(from)` is not a list")
        }
        var resolved: [(field: String, value: Any)] = []
        for condition in conditions {
            guard let text = condition.value as? ContentString, text.value.contains("{{") else {
                resolved.append(condition)
                continue
            }
            do {
                let template = try MustacheTemplate(string: text.value)
                let value = template.render(context)
                guard !value.isEmpty else {
                    throw ContentError(location, "collection `\(name)`: `\(condition.field): \(text.value)` is empty; is the name right?")
                }
                resolved.append((condition.field, ContentString(value)))
            } catch let error as ContentError {
                throw error
            } catch {
                throw ContentError(location, "collection `\(name)`: `\(text.value)` is not a valid template: \(error)")
            }
        }
        var selected = items.filter { item in
            guard let record = item as? [String: Any] else { return false }
            return resolved.allSatisfy { Self.matches(record[$0.field], $0.value) }
        }
        if let sortField {
            let keyed = selected.enumerated().map { (offset: $0.offset, key: Self.sortKey(($0.element as? [String: Any])?[sortField]), item: $0.element) }
            selected = keyed.sorted { a, b in
                if a.key != b.key { return descending ? a.key > b.key : a.key < b.key }
                return a.offset < b.offset
            }.map(\.item)
        }
        if single { return selected.first ?? ContentNull() }
        return selected
    }

    static func matches(_ field: Any?, _ wanted: Any) -> Bool {
        if let list = field as? [Any] { return list.contains { same($0, wanted) } }
        return field.map { same($0, wanted) } ?? false
    }

    static func same(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case let (a as ContentString, b as ContentString): a == b
        case let (a as Int, b as Int): a == b
        case let (a as Bool, b as Bool): a == b
        case let (a as Int, b as ContentString), let (b as ContentString, a as Int): String(a) == b.value
        default: false
        }
    }

    /// Numbers sort as numbers, text as text (ISO dates sort correctly as text); numbers first.
    static func sortKey(_ value: Any?) -> SortKey {
        switch value {
        case let int as Int: .number(int)
        case let string as ContentString: .text(string.value)
        case let bool as Bool: .number(bool ? 1 : 0)
        default: .missing
        }
    }

    enum SortKey: Comparable {
        case missing
        case number(Int)
        case text(String)
    }
}
