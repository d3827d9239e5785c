import Yams

/// A key of a page's front matter and where it is: `signd_in` read by nobody is a typo that
/// would silently make a MyPage screen public, so every key must be read by someone.
struct FrontMatterKey {
    enum Scope: String {
        case page = "the front matter"
        case form = "`form`"
        case field = "a field of `form.fields`"
        case action = "an action"
    }

    var name: String
    var scope: Scope
    var location: SourceLocation

    /// The keys at the top, in `form`, in each of its `fields` and in each of `actions`/`live_actions`.
    static func keys(of root: Node, at: (Node) -> SourceLocation) -> [FrontMatterKey] {
        func keys(_ node: Node?, _ scope: Scope) -> [FrontMatterKey] {
            guard case .mapping(let mapping)? = node else { return [] }
            return mapping.compactMap { key, _ in key.string.map { FrontMatterKey(name: $0, scope: scope, location: at(key)) } }
        }
        func items(_ node: Node?) -> [Node] {
            guard case .sequence(let list)? = node else { return [] }
            return Array(list)
        }
        let form = root.entry("form")?.value
        return keys(root, .page) + keys(form, .form)
            + items(form?.entry("fields")?.value).flatMap { keys($0, .field) }
            + (items(root.entry("actions")?.value) + items(root.entry("live_actions")?.value)).flatMap { keys($0, .action) }
    }
}
