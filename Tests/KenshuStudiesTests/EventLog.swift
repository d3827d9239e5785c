import Foundation
@testable import KenshuStudies

/// A participant's recorded log written as a test reads best: each event a number of seconds
/// after the previous one, numbered as the store numbers them.
struct EventLog {
    /// 2025-05-01T10:00:00Z.
    static let base: Int64 = 1_746_093_600_000

    var participant: String
    var attempt: String?
    private(set) var events: [StudyEvent] = []
    private(set) var now: Int64

    init(participant: String = "P01", attempt: String? = "P01-login-1", at start: Int64 = EventLog.base) {
        self.participant = participant
        self.attempt = attempt
        now = start
    }

    /// Appends `kind` `seconds` after the previous event.
    mutating func add(_ kind: StudyEvent.Kind, after seconds: Double = 1, attempt: String?? = .none) {
        now += Int64((seconds * 1000).rounded())
        events.append(StudyEvent(seq: events.count + 1, milliseconds: now, participant: participant,
                                 attempt: attempt ?? self.attempt, kind: kind))
    }

    mutating func start(_ task: String, study: String = "chapter3") {
        add(.taskStarted(study: study, task: task), after: 0.5)
    }

    mutating func view(_ path: String, after seconds: Double = 2) { add(.pageView(path: path), after: seconds) }

    mutating func click(_ element: String = "button", interactive: Bool = true, x: Int = 100, y: Int = 200,
                        width: Int = 1280, page: String? = nil) {
        add(.click(.init(element: element, x: x, y: y, viewportWidth: width, viewportHeight: 800,
                         interactive: interactive, page: page)), after: 1)
    }
}

/// A task as a test states it.
func testTask(_ id: String = "login", success: SuccessCondition = .signedIn(page: "home.html"),
              expected: [[String]] = [["v2/index.html", "v2/login.html", "v2/home.html"]],
              start page: String = "v2/index.html", timeLimit: Int? = 300) -> StudyTask {
    StudyTask(id: id, prompt: "ログインしてください。", start: StartState(), startPage: page, layout: .pc,
              success: success, expectedPaths: expected, timeLimit: timeLimit)
}

/// A folder under the system's temporary directory, removed by `remove()`.
struct TemporaryFolder {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-studies-\(UUID().uuidString)")

    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }

    func write(_ relative: String, _ text: String) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// The repository's own folders, for tests of what ships.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let content = root.appendingPathComponent("Content")
    static let output = root.appendingPathComponent("Output")
}
