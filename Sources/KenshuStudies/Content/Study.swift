import KenshuSite

/// A usability study as a facilitator runs it: an ordered list of tasks, read from
/// `Content/studies/ID.yaml`. Studies are content, like pages: a facilitator changes a prompt or a
/// time limit without recompiling, and a mistake stops at its `file:line:col`.
public struct Study: Sendable, Hashable, Identifiable {
    /// The file's name without `.yaml`: `chapter3`. Recorded in every `task_started`, so a log
    /// names the study it belongs to even after the file changed.
    public var id: String
    public var title: String
    public var tasks: [StudyTask]
    /// The file, for messages that point at it.
    public var location: SourceLocation

    public init(id: String, title: String, tasks: [StudyTask], location: SourceLocation) {
        self.id = id
        self.title = title
        self.tasks = tasks
        self.location = location
    }

    /// The task with this id, or nil (a log may name a task a later edit removed).
    public func task(_ id: String) -> StudyTask? {
        tasks.first { $0.id == id }
    }
}
