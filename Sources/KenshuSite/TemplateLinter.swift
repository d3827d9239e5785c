import Foundation
import Mustache

/// Checks a template against the real data of one page before it is rendered. Mustache itself
/// renders a misspelt `{{job.salery}}` as nothing; a training screen with a silently empty cell
/// is worse than a failed build, so every variable must resolve to a value (an explicit `null`
/// counts). Sections (`{{#x}}`, `{{^x}}`) may name absent keys: that is how optional data is
/// written in Mustache.
///
/// The walk mirrors swift-mustache's lookup rules (context stack, dotted names, transforms),
/// so it reports exactly the tags that would render empty, at their `file:line:col`.
struct TemplateLinter: @unchecked Sendable {
    /// The templates' tags with positions, parsed once per build.
    private var trees: [String: [TagNode]] = [:]
    private let templates: [String: Content.Template]

    init(templates: [String: Content.Template]) throws(ContentErrors) {
        self.templates = templates
        var errors: [ContentError] = []
        for (name, template) in templates {
            do {
                trees[name] = try TagParser(text: template.text, path: template.displayPath).parse()
            } catch {
                errors.append(error)
            }
        }
        if !errors.isEmpty { throw ContentErrors(errors) }
    }

    /// Every name any tag mentions (each part of `page.form.submit`), so the build can tell a
    /// front matter key that no template reads.
    var mentionedNames: Set<String> {
        var names = Set<String>()
        func collect(_ nodes: [TagNode]) {
            for node in nodes {
                switch node {
                case .variable(let tag, _):
                    names.formUnion(tag.expression.name.split(separator: ".").map(String.init))
                case .section(let tag, let children, _):
                    names.formUnion(tag.expression.name.split(separator: ".").map(String.init))
                    collect(children)
                case .partial:
                    break
                }
            }
        }
        trees.values.forEach(collect)
        return names
    }

    /// Problems the template `name` would have when rendered with `context`.
    func problems(template name: String, context: Any, page: String) -> [ContentError] {
        var problems: [ContentError] = []
        var visiting: [String] = []
        walk(trees[name] ?? [], stack: [context], page: page, problems: &problems, visiting: &visiting, template: name)
        return problems
    }

    private func walk(_ nodes: [TagNode], stack: [Any], page: String, problems: inout [ContentError],
                      visiting: inout [String], template: String) {
        for node in nodes {
            switch node {
            case .variable(let tag, let escaped):
                switch resolve(tag.expression, stack: stack) {
                case .missing(let reason):
                    problems.append(ContentError(tag.location, "`\(tag.expression.text)` \(reason) (rendering \(page))"))
                case .found(let value) where escaped && value is RawHTML:
                    problems.append(ContentError(tag.location, "`\(tag.expression.text)` is HTML: write {{{\(tag.expression.text)}}} to insert it (rendering \(page))"))
                case .found, .null:
                    break
                }
            case .section(let tag, let children, let inverted):
                let value: Any?
                if case .found(let found) = resolve(tag.expression, stack: stack) { value = found } else { value = nil }
                if inverted {
                    if Self.isFalsy(value) {
                        walk(children, stack: stack, page: page, problems: &problems, visiting: &visiting, template: template)
                    }
                    continue
                }
                switch value {
                case let list as [Any]:
                    for element in list {
                        walk(children, stack: stack + [element], page: page, problems: &problems, visiting: &visiting, template: template)
                    }
                case let flag as Bool:
                    if flag { walk(children, stack: stack, page: page, problems: &problems, visiting: &visiting, template: template) }
                case .some(let object):
                    walk(children, stack: stack + [object], page: page, problems: &problems, visiting: &visiting, template: template)
                case .none:
                    break
                }
            case .partial(let tag, let name):
                guard let tree = trees[name] else {
                    problems.append(ContentError(tag.location, "unknown partial `\(name)` (templates: \(templates.keys.sorted().joined(separator: ", ")))"))
                    continue
                }
                // A partial that includes itself through data recursion is fine; the same
                // partial already on the path with the same stack depth would loop forever.
                let key = "\(name)#\(stack.count)"
                guard !visiting.contains(key) else { continue }
                visiting.append(key)
                walk(tree, stack: stack, page: page, problems: &problems, visiting: &visiting, template: name)
                visiting.removeLast()
            }
        }
    }

    enum Resolution {
        case found(Any)
        case null
        case missing(String)
    }

    private func resolve(_ expression: TagExpression, stack: [Any]) -> Resolution {
        let name = expression.name
        var value: Any
        if name == "." {
            value = stack.last!
        } else if name.isEmpty {
            // `{{#first()}}`, `{{index()}}`: the position in the enclosing list.
            return expression.transforms.isEmpty ? .missing("is empty") : .found(true)
        } else {
            let parts = name.split(separator: ".").map(String.init)
            let fromTop = name.hasPrefix(".")
            guard let first = parts.first else { return .missing("is not a name") }
            var found: Any?
            for object in (fromTop ? [stack.last!] : stack.reversed()) {
                if let child = Self.child(first, of: object) { found = child; break }
            }
            guard var current = found else {
                return .missing("is not in the data; names here: \(Self.names(in: stack))")
            }
            for part in parts.dropFirst() {
                if current is ContentNull { return .null }
                guard let child = Self.child(part, of: current) else {
                    let known = (current as? [String: Any]).map { $0.keys.sorted().joined(separator: ", ") } ?? "none: it is not a mapping"
                    return .missing("is not in the data: no `\(part)`; fields there: \(known)")
                }
                current = child
            }
            value = current
        }
        if value is ContentNull { return .null }
        for transform in expression.transforms.reversed() {
            guard let transformable = value as? MustacheTransformable, let result = transformable.transform(transform) else {
                return .missing("cannot apply `\(transform)` to \(Self.kind(of: value))")
            }
            value = result
        }
        return .found(value)
    }

    private static func child(_ name: String, of object: Any) -> Any? {
        (object as? [String: Any])?[name]
    }

    private static func isFalsy(_ value: Any?) -> Bool {
        switch value {
        case .none: true
        case let list as [Any]: list.isEmpty
        case let flag as Bool: !flag
        case is ContentNull: true
        default: false
        }
    }

    private static func names(in stack: [Any]) -> String {
        let names = stack.reversed().compactMap { $0 as? [String: Any] }.flatMap { $0.keys }
        return Array(Set(names)).sorted().joined(separator: ", ")
    }

    private static func kind(of value: Any) -> String {
        switch value {
        case is [Any]: "a list"
        case is [String: Any]: "a mapping"
        case is Int: "a number"
        case is Bool: "true/false"
        default: "text"
        }
    }
}

/// `count(jobs)` → name `jobs`, transforms `[count]`; `a(b(x))` → `[a, b]`.
struct TagExpression: Equatable {
    var text: String
    var name: String
    var transforms: [String]

    init(_ text: String) {
        self.text = text
        var rest = Substring(text)
        var transforms: [String] = []
        while let open = rest.firstIndex(of: "("), rest.hasSuffix(")") {
            transforms.append(String(rest[..<open]))
            rest = rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]
        }
        self.name = String(rest)
        self.transforms = transforms
    }
}

indirect enum TagNode {
    case variable(Tag, escaped: Bool)
    case section(Tag, [TagNode], inverted: Bool)
    case partial(Tag, name: String)

    struct Tag {
        var expression: TagExpression
        var location: SourceLocation
    }
}

/// Finds the tags of a Mustache template with their positions (swift-mustache keeps none).
struct TagParser {
    let text: String
    let path: String

    func parse() throws(ContentError) -> [TagNode] {
        var stack: [(tag: TagNode.Tag, inverted: Bool, children: [TagNode])] = []
        var nodes: [TagNode] = []
        var line = 1, column = 1
        var index = text.startIndex

        func append(_ node: TagNode) {
            if stack.isEmpty { nodes.append(node) } else { stack[stack.count - 1].children.append(node) }
        }
        func advance(to end: String.Index) {
            for character in text[index..<end] {
                if character == "\n" { line += 1; column = 1 } else { column += 1 }
            }
            index = end
        }

        while let open = text.range(of: "{{", range: index..<text.endIndex) {
            advance(to: open.lowerBound)
            let location = SourceLocation(path: path, line: line, column: column)
            let triple = text[open.upperBound...].hasPrefix("{")
            let closer = triple ? "}}}" : "}}"
            guard let close = text.range(of: closer, range: open.upperBound..<text.endIndex) else {
                throw ContentError(location, "tag is not closed with \(closer)")
            }
            var body = Substring(text[open.upperBound..<close.lowerBound])
            if triple { body = body.dropFirst() }
            advance(to: close.upperBound)

            let sigil = triple ? "{" : body.first.map(String.init) ?? ""
            let name = { (s: Substring) in s.trimmingCharacters(in: .whitespaces) }
            switch sigil {
            case "!":
                continue
            case "#", "^":
                let tag = TagNode.Tag(expression: TagExpression(name(body.dropFirst())), location: location)
                stack.append((tag, sigil == "^", []))
            case "/":
                let closing = name(body.dropFirst())
                guard let open = stack.popLast() else {
                    throw ContentError(location, "{{/\(closing)}} closes no section")
                }
                guard open.tag.expression.text == closing else {
                    throw ContentError(location, "{{/\(closing)}} closes {{#\(open.tag.expression.text)}} opened at \(open.tag.location)")
                }
                append(.section(open.tag, open.children, inverted: open.inverted))
            case ">":
                let partial = name(body.dropFirst())
                append(.partial(TagNode.Tag(expression: TagExpression(partial), location: location), name: partial))
            case "{":
                append(.variable(TagNode.Tag(expression: TagExpression(name(body)), location: location), escaped: false))
            case "&":
                append(.variable(TagNode.Tag(expression: TagExpression(name(body.dropFirst())), location: location), escaped: false))
            case "=", "<", "$":
                throw ContentError(location, "Kenshu templates do not use {{\(sigil)…}} (delimiter changes and inheritance); use partials")
            default:
                append(.variable(TagNode.Tag(expression: TagExpression(name(body)), location: location), escaped: true))
            }
        }
        if let open = stack.last {
            throw ContentError(open.tag.location, "{{#\(open.tag.expression.text)}} is never closed")
        }
        return nodes
    }
}
