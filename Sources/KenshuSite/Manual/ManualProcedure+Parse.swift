import Foundation
import Yams

extension ManualProcedure {
    /// Reads one procedure file. Every key is checked: a misspelt one stops the build at its
    /// `file:line:col` rather than silently dropping a step's box.
    /// `rules` fill the `{{rules.…}}` of the texts (titles, steps, callouts, notes) and the body.
    static func parse(_ text: String, id: String, displayPath: String, editions known: [String],
                      rules: LiveRules = .manual) throws(ContentError) -> ManualProcedure {
        let matter = try FrontMatter.parse(text, displayPath: displayPath, what: "a procedure",
                                           needs: "with at least `section:`, `title:` and `steps:`")
        let reader = ManualReader(matter: matter, editions: known, rules: rules)
        let root = matter.root
        try reader.allow(["section", "title", "order", "lead", "editions", "steps", "notes"], in: root, what: "a procedure")
        guard let section = root.entry("section") else { throw reader.missing("section", in: root, hint: "the manual's number, e.g. \"3.3\"") }
        guard let title = root.entry("title") else { throw reader.missing("title", in: root, hint: "the procedure's heading") }
        guard let steps = root.entry("steps") else { throw reader.missing("steps", in: root, hint: "the numbered steps") }
        guard case .sequence(let stepNodes) = steps.value, !stepNodes.isEmpty else {
            throw ContentError(matter.location(of: steps.value), "`steps` must be a list with at least one step")
        }
        var order = 0
        if let entry = root.entry("order") {
            guard let number = entry.value.int else { throw ContentError(matter.location(of: entry.value), "`order` must be a whole number") }
            order = number
        }
        var notes: [Note] = []
        if let entry = root.entry("notes") {
            guard case .sequence(let list) = entry.value else {
                throw ContentError(matter.location(of: entry.value), "`notes` must be a list of {kind, title, text}")
            }
            for node in list { notes.append(try reader.note(node)) }
        }
        var parsedSteps: [Step] = []
        for node in stepNodes { parsedSteps.append(try reader.step(node)) }
        return ManualProcedure(
            id: id, location: matter.file, section: try reader.text(section.value, "`section`"),
            title: try reader.editionText(title.value, "`title`"), order: order,
            lead: try root.entry("lead").map { entry throws(ContentError) in try reader.editionText(entry.value, "`lead`") },
            editions: try reader.editionSet(root), steps: parsedSteps, notes: notes,
            body: RawHTML(Markdown.html(from: try rules.fill(matter.body, at: SourceLocation(path: displayPath, line: matter.bodyLine, column: 1)))))
    }
}

/// Reads the parts of a procedure's front matter, naming the place of every problem.
struct ManualReader {
    let matter: FrontMatter
    let editions: [String]
    let rules: LiveRules

    func at(_ node: Node) -> SourceLocation { matter.location(of: node) }

    func missing(_ key: String, in node: Node, hint: String) -> ContentError {
        ContentError(at(node), "`\(key):` is missing (\(hint))")
    }

    func allow(_ keys: [String], in node: Node, what: String) throws(ContentError) {
        guard case .mapping(let mapping) = node else { throw ContentError(at(node), "\(what) must be a mapping of keys") }
        for (key, _) in mapping where !keys.contains(key.string ?? "") {
            throw ContentError(at(key), "unknown key `\(key.string ?? "?")` in \(what) (known: \(keys.joined(separator: ", ")))")
        }
    }

    func text(_ node: Node, _ what: String) throws(ContentError) -> String {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else { throw ContentError(at(node), "\(what) must be text") }
        return scalar.string
    }

    /// Text a reader sees: its `{{rules.…}}` filled in.
    func prose(_ node: Node, _ what: String) throws(ContentError) -> String {
        _ = try text(node, what)
        guard case .scalar(let scalar) = node else { return "" }
        return try rules.fill(scalar, node: node, path: matter.file.path, lineOffset: FrontMatter.lineOffset)
    }

    /// Prose, or a mapping by edition: `{v1: …, v2: …}`.
    func editionText(_ node: Node, _ what: String) throws(ContentError) -> EditionText {
        if case .mapping(let mapping) = node {
            var texts: [String: String] = [:]
            for (key, value) in mapping {
                let edition = try self.edition(key)
                texts[edition] = try prose(value, "\(what) for \(edition)")
            }
            return .byEdition(texts)
        }
        return .shared(try prose(node, what))
    }

    func edition(_ node: Node) throws(ContentError) -> String {
        let id = try text(node, "an edition id")
        guard editions.contains(id) else {
            throw ContentError(at(node), "unknown edition `\(id)` (site.yaml has \(editions.joined(separator: ", ")))")
        }
        return id
    }

    /// `editions: [v2]` of a mapping; every edition when absent.
    func editionSet(_ node: Node) throws(ContentError) -> EditionSet {
        guard let entry = node.entry("editions") else { return .all }
        guard case .sequence(let list) = entry.value, !list.isEmpty else {
            throw ContentError(at(entry.value), "`editions` must be a list of edition ids, e.g. [v2]")
        }
        var ids: Set<String> = []
        for item in list { ids.insert(try edition(item)) }
        return EditionSet(only: ids)
    }

    func layout(_ node: Node) throws(ContentError) -> ManualLayout {
        let name = try text(node, "a layout")
        guard let layout = ManualLayout(rawValue: name) else {
            throw ContentError(at(node), "unknown layout `\(name)` (pc or sp)")
        }
        return layout
    }

    /// `layouts: [sp]`; both when absent.
    func layouts(_ node: Node) throws(ContentError) -> Set<ManualLayout> {
        guard let entry = node.entry("layouts") else { return Set(ManualLayout.allCases) }
        guard case .sequence(let list) = entry.value, !list.isEmpty else {
            throw ContentError(at(entry.value), "`layouts` must be a list: [pc], [sp] or [pc, sp]")
        }
        var layouts: Set<ManualLayout> = []
        for item in list { layouts.insert(try layout(item)) }
        return layouts
    }

    func targets(_ node: Node, _ what: String) throws(ContentError) -> [ManualProcedure.Target] {
        guard case .sequence(let list) = node else { throw ContentError(at(node), "\(what) must be a list of data-step names") }
        var targets: [ManualProcedure.Target] = []
        for item in list { targets.append(ManualProcedure.Target(name: try text(item, "a data-step name"), location: at(item))) }
        return targets
    }

    /// A list for both layouts, or `{pc: [...], sp: [...]}`.
    func targetsByLayout(_ node: Node, layouts: Set<ManualLayout>) throws(ContentError) -> [ManualLayout: [ManualProcedure.Target]] {
        if case .mapping(let mapping) = node {
            var result: [ManualLayout: [ManualProcedure.Target]] = [:]
            for (key, value) in mapping { result[try layout(key)] = try targets(value, "`targets.\(key.string ?? "")`") }
            return result
        }
        let list = try targets(node, "`targets`")
        return Dictionary(uniqueKeysWithValues: layouts.map { ($0, list) })
    }

    func step(_ node: Node) throws(ContentError) -> ManualProcedure.Step {
        try allow(["text", "layouts", "editions", "screen", "mail", "targets", "open", "callouts"], in: node, what: "a step")
        guard let text = node.entry("text") else { throw missing("text", in: node, hint: "the manual's sentence for this step") }
        let screen: ManualProcedure.Screen
        switch (node.entry("screen"), node.entry("mail")) {
        case (let page?, nil): screen = .page(try self.text(page.value, "`screen`"), at(page.value))
        case (nil, let mail?): screen = .mail(try self.text(mail.value, "`mail`"), at(mail.value))
        case (_?, _?): throw ContentError(at(node), "a step shows either a `screen:` or a `mail:`, not both")
        case (nil, nil): throw missing("screen", in: node, hint: "the page this step's picture shows, e.g. home.html")
        }
        let layouts = try self.layouts(node)
        var callouts: [ManualProcedure.Callout] = []
        if let entry = node.entry("callouts") {
            guard case .sequence(let list) = entry.value, !list.isEmpty else {
                throw ContentError(at(entry.value), "`callouts` must be a list of {target, label, text}")
            }
            for item in list { callouts.append(try callout(item, layouts: layouts)) }
        }
        return ManualProcedure.Step(
            location: at(node), text: try editionText(text.value, "`text`"), layouts: layouts, editions: try editionSet(node),
            screen: screen,
            targets: try node.entry("targets").map { entry throws(ContentError) in try targetsByLayout(entry.value, layouts: layouts) } ?? [:],
            open: try node.entry("open").map { entry throws(ContentError) in try targets(entry.value, "`open`") } ?? [],
            callouts: callouts)
    }

    func callout(_ node: Node, layouts stepLayouts: Set<ManualLayout>) throws(ContentError) -> ManualProcedure.Callout {
        try allow(["target", "label", "text", "layouts", "editions"], in: node, what: "a callout")
        guard let target = node.entry("target") else { throw missing("target", in: node, hint: "the data-step name it points at") }
        guard let text = node.entry("text") else { throw missing("text", in: node, hint: "what the callout explains") }
        let layouts = node.entry("layouts") == nil ? stepLayouts : try self.layouts(node)
        var byLayout: [ManualLayout: ManualProcedure.Target] = [:]
        if case .mapping(let mapping) = target.value {
            for (key, value) in mapping {
                byLayout[try layout(key)] = ManualProcedure.Target(name: try self.text(value, "a data-step name"), location: at(value))
            }
        } else {
            let single = ManualProcedure.Target(name: try self.text(target.value, "`target`"), location: at(target.value))
            for layout in layouts { byLayout[layout] = single }
        }
        return ManualProcedure.Callout(
            location: at(node), target: byLayout,
            label: try node.entry("label").map { entry throws(ContentError) in try editionText(entry.value, "`label`") },
            text: try editionText(text.value, "`text`"), layouts: layouts, editions: try editionSet(node))
    }

    func note(_ node: Node) throws(ContentError) -> ManualProcedure.Note {
        try allow(["kind", "title", "text", "editions"], in: node, what: "a note")
        guard let kind = node.entry("kind") else { throw missing("kind", in: node, hint: "注意, Point or 参照先") }
        guard let text = node.entry("text") else { throw missing("text", in: node, hint: "the box's text") }
        let name = try self.text(kind.value, "`kind`")
        guard let parsedKind = ManualProcedure.Note.Kind(rawValue: name) else {
            throw ContentError(at(kind.value), "unknown note kind `\(name)` (\(ManualProcedure.Note.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return ManualProcedure.Note(
            location: at(node), kind: parsedKind,
            title: try node.entry("title").map { entry throws(ContentError) in try editionText(entry.value, "`title`") },
            text: try editionText(text.value, "`text`"), editions: try editionSet(node))
    }
}
