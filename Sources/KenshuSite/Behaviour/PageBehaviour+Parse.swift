import Yams

extension PageBehaviour {
    /// The front matter keys the server reads, by where they sit.
    static let pageKeys: Set<String> = ["signed_in", "mp_signed_in", "mp_session_required", "linked_alternative",
                                        "unlinked_alternative", "form", "actions", "live_actions"]
    static let postKeys = Set(["handler", "action", "href"] + Outcome.allCases.map(\.rawValue))

    /// A page the behaviour leads to, with where the front matter names it.
    struct Destination {
        var page: String
        var location: SourceLocation
    }

    /// Reads the behaviour from a page's front matter. A wrong type, an unknown handler, a
    /// handler without the pages its outcomes need: each stops the build at its `file:line:col`.
    static func parse(_ root: Node, at: (Node) -> SourceLocation) throws(ContentError) -> (PageBehaviour, [Destination]) {
        var behaviour = PageBehaviour()
        var destinations: [Destination] = []

        func flag(_ key: String) throws(ContentError) -> Bool {
            guard let entry = root.entry(key) else { return false }
            guard case .scalar(let scalar) = entry.value, ["true", "false"].contains(scalar.string) else {
                throw ContentError(at(entry.value), "`\(key)` must be true or false")
            }
            return scalar.string == "true"
        }
        func page(_ node: Node, _ key: String) throws(ContentError) -> String {
            guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
                throw ContentError(at(node), "`\(key)` must be a page of the same edition, e.g. home.html")
            }
            destinations.append(Destination(page: scalar.string, location: at(node)))
            return scalar.string
        }

        let signedIn = try flag("signed_in")
        let mynaSignedIn = try flag("mp_signed_in")
        let mynaRequired = try flag("mp_session_required")
        if signedIn, mynaSignedIn || mynaRequired, let entry = root.entry("signed_in") {
            throw ContentError(at(entry.key), "a page needs either the HelloWork session (`signed_in`) or Myna Portal's (`mp_signed_in`, `mp_session_required`), not both")
        }
        behaviour.access = signedIn ? .helloWork : (mynaSignedIn || mynaRequired) ? .mynaPortal : .open
        behaviour.showsMynaPortalSignedIn = mynaSignedIn

        for (key, keyPath) in [("linked_alternative", \PageBehaviour.whenLinked), ("unlinked_alternative", \.whenUnlinked)] {
            guard let entry = root.entry(key) else { continue }
            guard behaviour.access == .mynaPortal else {
                throw ContentError(at(entry.key), "`\(key)` is decided by the Myna Portal session: the page needs `mp_signed_in` or `mp_session_required`")
            }
            behaviour[keyPath: keyPath] = try page(entry.value, key)
        }

        if let form = root.entry("form"), let handler = form.value.entry("handler") {
            behaviour.form = try post(form.value, handler: handler, successKey: "action", at: at, page: page)
        }
        for key in ["actions", "live_actions"] {
            guard let list = root.entry(key) else { continue }
            guard case .sequence(let items) = list.value else {
                throw ContentError(at(list.value), "`\(key)` must be a list")
            }
            for item in items {
                guard let handler = item.entry("handler") else { continue }
                behaviour.actions.append(try post(item, handler: handler, successKey: "href", at: at, page: page))
            }
        }
        return (behaviour, destinations)
    }

    private static func post(_ node: Node, handler entry: (key: Node, value: Node), successKey: String,
                             at: (Node) -> SourceLocation,
                             page: (Node, String) throws(ContentError) -> String) throws(ContentError) -> Post {
        guard case .scalar(let scalar) = entry.value, let handler = Handler(rawValue: scalar.string) else {
            let name = entry.value.string ?? ""
            let known = Handler.allCases.map(\.rawValue)
            let close = known.min { editDistance($0, name) < editDistance($1, name) }
            let hint = close.flatMap { editDistance($0, name) <= 3 ? "; did you mean `\($0)`?" : nil }
                ?? " (handlers: \(known.joined(separator: ", ")))"
            throw ContentError(at(entry.value), "unknown handler `\(name)`\(hint)")
        }
        var post = Post(handler: handler)
        if let success = node.entry(successKey) {
            post.success = try page(success.value, successKey)
        } else if handler != .logout, handler != .mynaLogout {
            throw ContentError(at(entry.key), "handler `\(handler.rawValue)` needs `\(successKey):`, the page success leads to")
        }
        for outcome in Outcome.allCases {
            if let target = node.entry(outcome.rawValue) {
                guard handler.outcomes.contains(outcome) else {
                    throw ContentError(at(target.key), "handler `\(handler.rawValue)` has no outcome `\(outcome.rawValue)`")
                }
                post.outcomes[outcome] = try page(target.value, outcome.rawValue)
            } else if handler.outcomes.contains(outcome) {
                throw ContentError(at(entry.key), "handler `\(handler.rawValue)` needs `\(outcome.rawValue):`, the page shown when \(outcome.meaning)")
            }
        }
        return post
    }
}

extension PageBehaviour.Outcome {
    var meaning: String {
        switch self {
        case .locked: "the account is locked"
        case .mismatch: "the Myna Portal link no longer matches an account"
        }
    }
}
