import Foundation
import KenshuSite
import Yams

extension Study {
    /// Reads one study file. Every key is checked: a misspelt one stops loading at its
    /// `file:line:col` instead of quietly dropping a time limit or a start state.
    ///
    /// `id` is the file's name without `.yaml`; `displayPath` the path messages print.
    public static func parse(_ text: String, id: String, displayPath: String) throws(ContentError) -> Study {
        let reader = StudyReader(path: displayPath)
        let file = SourceLocation(path: displayPath, line: 1, column: 1)
        guard let root = try YAMLContent.parse(text, path: displayPath) else {
            throw ContentError(file, "a study is a mapping with `title:` and `tasks:`; the file is empty")
        }
        try reader.allow(["title", "tasks"], in: root, what: "a study")
        guard let title = root.entry("title") else { throw reader.missing("title", in: root, what: "the study", hint: "its name in the report") }
        guard let tasks = root.entry("tasks") else { throw reader.missing("tasks", in: root, what: "the study", hint: "the list of tasks") }
        guard case .sequence(let taskNodes) = tasks.value, !taskNodes.isEmpty else {
            throw ContentError(reader.at(tasks.value), "`tasks` must be a list with at least one task")
        }
        var parsed: [StudyTask] = []
        var seen: [String: SourceLocation] = [:]
        for node in taskNodes {
            let task = try reader.task(node)
            if let first = seen[task.id] {
                let idNode = node.entry("id")?.value ?? node
                throw ContentError(reader.at(idNode), "duplicate task id `\(task.id)` (first at line \(first.line ?? 0))")
            }
            seen[task.id] = task.location
            parsed.append(task)
        }
        return Study(id: id, title: try reader.text(title.value, "`title`"), tasks: parsed, location: file)
    }
}

extension StudyReader {
    static let taskKeys = ["id", "prompt", "start", "page", "layout", "success", "expected_paths", "time_limit"]

    func task(_ node: Node) throws(ContentError) -> StudyTask {
        try allow(Self.taskKeys, in: node, what: "a task")
        guard let id = node.entry("id") else { throw missing("id", in: node, what: "a task", hint: "a short name such as login") }
        let taskID = try text(id.value, "a task's `id`")
        let what = "task `\(taskID)`"
        guard let prompt = node.entry("prompt") else {
            throw missing("prompt", in: node, what: what, hint: "what the participant is asked to do, in Japanese")
        }
        guard let page = node.entry("page") else { throw missing("page", in: node, what: what, hint: "the start page, e.g. v2/login.html") }
        guard let success = node.entry("success") else {
            throw missing("success", in: node, what: what, hint: "one of \(SuccessCondition.names.joined(separator: ", "))")
        }
        var layout = StudyLayout.pc
        if let entry = node.entry("layout") {
            layout = StudyLayout(rawValue: try name(entry.value, "layout", among: StudyLayout.allCases.map(\.rawValue)))!
        }
        var task = StudyTask(
            id: taskID, prompt: try text(prompt.value, "`prompt`"),
            start: try node.entry("start").map { entry throws(ContentError) in try start(entry.value) } ?? StartState(),
            startPage: try self.page(page.value, "`page`"), layout: layout,
            success: try condition(success.value),
            expectedPaths: try node.entry("expected_paths").map { entry throws(ContentError) in try expectedPaths(entry.value) } ?? [],
            timeLimit: try node.entry("time_limit").map { entry throws(ContentError) in
                try int(entry.value, "`time_limit` (seconds)", minimum: 1)
            },
            location: at(node))
        task.pageReferences = references(node)
        return task
    }

    /// Every page the task names, where it names it, for ``Study/problems(servedPages:)``.
    func references(_ task: Node) -> [PageReference] {
        var nodes: [Node] = []
        if let page = task.entry("page") { nodes.append(page.value) }
        if case .mapping(let mapping)? = task.entry("success")?.value, let page = mapping.first?.value { nodes.append(page) }
        if case .sequence(let paths)? = task.entry("expected_paths")?.value {
            for case .sequence(let pages) in paths { nodes.append(contentsOf: pages) }
        }
        return nodes.compactMap { node in node.string.map { PageReference(page: $0, location: at(node)) } }
    }

    /// `{account: participant, state: {wrong_attempts: 4}, clear_mail: true, signed_in: false}`.
    func start(_ node: Node) throws(ContentError) -> StartState {
        try allow(["account", "state", "clear_mail", "signed_in"], in: node, what: "a start state")
        var start = StartState()
        if let entry = node.entry("account") {
            let account = try text(entry.value, "`account`")
            if account == "participant" {
                start.account = .participant
            } else if account.contains("@") {
                start.account = .email(account)
            } else {
                throw ContentError(at(entry.value), "`account` is `participant` or an account's e-mail address, not `\(account)`")
            }
        }
        if let entry = node.entry("state") { start.state = try accountState(entry.value) }
        if let entry = node.entry("clear_mail") { start.clearMail = try bool(entry.value, "`clear_mail`") }
        if let entry = node.entry("signed_in") { start.signedIn = try bool(entry.value, "`signed_in`") }
        return start
    }

    /// `fresh`, `linked`, `{wrong_attempts: 4}` or `{withdrawn: 10}` (days ago).
    func accountState(_ node: Node) throws(ContentError) -> StartState.AccountState {
        let forms = ["fresh", "linked", "wrong_attempts", "withdrawn"]
        switch node {
        case .scalar:
            switch try name(node, "start state", among: forms) {
            case "fresh": return .fresh
            case "linked": return .linked
            case let counted:
                throw ContentError(at(node), "`\(counted)` takes a number: `{\(counted): \(counted == "withdrawn" ? 10 : 4)}`")
            }
        case .mapping(let mapping) where mapping.count == 1:
            let (key, value) = mapping.first!
            switch try name(key, "start state", among: ["wrong_attempts", "withdrawn"]) {
            case "wrong_attempts": return .wrongAttempts(try int(value, "`wrong_attempts`", minimum: 0))
            default: return .withdrawn(days: try int(value, "`withdrawn` (days ago)", minimum: 0))
            }
        default:
            throw ContentError(at(node), "a start state is fresh, linked, {wrong_attempts: N} or {withdrawn: DAYS}")
        }
    }

    /// `password_reset_completed`, `signed_in`, `{signed_in: home.html}` …
    func condition(_ node: Node) throws(ContentError) -> SuccessCondition {
        let nameNode: Node, argument: Node?
        switch node {
        case .scalar:
            (nameNode, argument) = (node, nil)
        case .mapping(let mapping) where mapping.count == 1:
            (nameNode, argument) = (mapping.first!.key, mapping.first!.value)
        default:
            throw ContentError(at(node), "`success` is one condition: \(SuccessCondition.names.joined(separator: ", ")), or {signed_in: PAGE}")
        }
        let name = try self.name(nameNode, "success condition", among: SuccessCondition.names)
        switch (name, argument) {
        case ("signed_in", let page):
            return .signedIn(page: try page.map { node throws(ContentError) in try self.page(node, "the page of `signed_in`") })
        case (_, let argument?):
            throw ContentError(at(argument), "`\(name)` takes no page; only `signed_in` does")
        case ("password_reset_completed", nil): return .passwordResetCompleted
        case ("myna_linked", nil): return .mynaLinked
        case ("myna_unlinked", nil): return .mynaUnlinked
        default: return .signedOut
        }
    }

    /// A list of page lists: `[[v2/index.html, v2/login.html, v2/home.html]]`.
    func expectedPaths(_ node: Node) throws(ContentError) -> [[String]] {
        guard case .sequence(let paths) = node, !paths.isEmpty else {
            throw ContentError(at(node), "`expected_paths` must be a list of page lists, e.g. [[v2/login.html, v2/home.html]]")
        }
        var result: [[String]] = []
        for path in paths {
            guard case .sequence(let pages) = path, !pages.isEmpty else {
                throw ContentError(at(path), "an expected path must be a list of pages, e.g. [v2/login.html, v2/home.html]")
            }
            var list: [String] = []
            for page in pages { list.append(try self.page(page, "a page of an expected path")) }
            result.append(list)
        }
        return result
    }
}
