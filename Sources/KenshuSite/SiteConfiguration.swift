import Foundation
import Yams

/// `Content/site.yaml`: the editions, the named collections, the gallery's flows and the rules
/// of `live.rules`. Every other key is passed through to templates as `site`, its text with the
/// `{{rules.…}}` placeholders filled in; the rules themselves are `site.rules`.
public struct SiteConfiguration: @unchecked Sendable {
    public struct Edition: @unchecked Sendable {
        public var id: String
        public var label: String
        /// Every key of the edition's entry, for templates (`edition.…`).
        public var values: [String: Any]
    }

    /// A gallery group: the screens of one flow, in the order the manual walks them.
    public struct Flow: Sendable {
        public var id: String
        public var title: String
        public var location: SourceLocation
    }

    /// The site's own keys, for templates (`site.…`).
    public var values: [String: Any]
    /// In the order listed; the first is the gallery's front page.
    public var editions: [Edition]
    public var collections: [CollectionQuery]
    public var flows: [Flow]
    /// Template for `Output/index.html`; nil builds no gallery.
    public var galleryTemplate: (name: String, location: SourceLocation)?
    /// `live.rules`: the numbers the served flows enforce and the text prints.
    public var liveRules: LiveRules = .manual

    static func parse(_ text: String, path: String) throws(ContentError) -> SiteConfiguration {
        let root = try YAMLContent.parse(text, path: path) ?? Node.mapping([:])
        guard case .mapping = root else {
            throw ContentError(YAMLContent.location(of: root, path: path), "site.yaml must be a mapping")
        }
        func at(_ node: Node) -> SourceLocation { YAMLContent.location(of: node, path: path) }
        func requireText(_ node: Node, _ what: String) throws(ContentError) -> String {
            guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
                throw ContentError(at(node), "\(what) must be text")
            }
            return scalar.string
        }

        // First, as every text of the file may print them.
        let rules = try LiveRules.parse(root.entry("live")?.value.entry("rules")?.value, path: path)
        if let (key, _) = root.entry("rules") {
            throw ContentError(at(key), "`site.rules` is made from `live.rules`: write the numbers there")
        }
        // Text shown to people, with the rules' placeholders filled in.
        func prose(_ node: Node, _ what: String) throws(ContentError) -> String {
            _ = try requireText(node, what)
            guard case .scalar(let scalar) = node else { return "" }
            return try rules.fill(scalar, node: node, path: path)
        }

        var values = try YAMLContent.value(of: root, path: path, rules: rules) as? [String: Any] ?? [:]
        // One way to read the rules in templates, `site.rules`, with the derived numbers too.
        values["rules"] = rules.values.mapValues { $0 as Any }
        if var live = values["live"] as? [String: Any] {
            live["rules"] = nil
            values["live"] = live
        }

        guard let (editionsKey, editionsNode) = root.entry("editions") else {
            throw ContentError(at(root), "site.yaml needs `editions:`, a list with at least one `id:`")
        }
        guard case .sequence(let editionNodes) = editionsNode, !editionNodes.isEmpty else {
            throw ContentError(at(editionsKey), "`editions` must be a list with at least one entry")
        }
        var editions: [Edition] = []
        for node in editionNodes {
            guard let id = node.entry("id") else {
                throw ContentError(at(node), "each edition needs an `id:`")
            }
            let identifier = try requireText(id.value, "an edition id")
            guard identifier.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw ContentError(at(id.value), "edition id `\(identifier)` must be ASCII letters, digits or -: it names a folder")
            }
            guard !editions.contains(where: { $0.id == identifier }) else {
                throw ContentError(at(id.value), "edition `\(identifier)` is listed twice")
            }
            let label = try node.entry("label").map { entry throws(ContentError) in try prose(entry.value, "an edition label") } ?? identifier
            let editionValues = try YAMLContent.value(of: node, path: path, rules: rules) as? [String: Any] ?? [:]
            editions.append(Edition(id: identifier, label: label, values: editionValues))
        }

        var collections: [CollectionQuery] = []
        if let (key, node) = root.entry("collections") {
            guard case .mapping(let mapping) = node else {
                throw ContentError(at(key), "`collections` must map names to queries")
            }
            for (nameNode, queryNode) in mapping {
                collections.append(try CollectionQuery.parse(name: try requireText(nameNode, "a collection name"),
                                                             node: queryNode, path: path))
            }
        }

        var flows: [Flow] = []
        var galleryTemplate: (String, SourceLocation)?
        if let (_, gallery) = root.entry("gallery") {
            if let template = gallery.entry("template") {
                galleryTemplate = (try requireText(template.value, "the gallery template"), at(template.value))
            }
            if let (_, flowsNode) = gallery.entry("flows"), case .sequence(let flowNodes) = flowsNode {
                for node in flowNodes {
                    guard let id = node.entry("id"), let title = node.entry("title") else {
                        throw ContentError(at(node), "each gallery flow needs `id:` and `title:`")
                    }
                    flows.append(Flow(id: try requireText(id.value, "a flow id"), title: try prose(title.value, "a flow title"),
                                      location: at(node)))
                }
            }
        }
        values["editions"] = nil
        values["collections"] = nil
        return SiteConfiguration(values: values, editions: editions, collections: collections, flows: flows,
                                 galleryTemplate: galleryTemplate, liveRules: rules)
    }
}
