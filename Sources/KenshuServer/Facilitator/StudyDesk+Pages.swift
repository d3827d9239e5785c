import Foundation
import Hummingbird
import KenshuStudies
import Logging
import NIOCore

/// The desk as the served pages' observer: a study participant's pages are recorded (page
/// views, form submissions and the rules' outcomes) and carry the task bar.
extension StudyDesk: PageObserver {
    func mayFollow(_ request: Request) -> Bool { Self.mayBeParticipant(request) }

    func shown(_ page: ByteBuffer, path: String, request: Request) -> (page: ByteBuffer, cookies: [Cookie])? {
        do {
            guard let participant = try participant(for: request) else { return nil }
            try observe([.pageView(path: path)], participant: participant)
            let progress = try progress(participant)
            let (csrf, cookie) = CSRFToken.current(in: request)
            let bar = try taskBar(progress, participant: participant, page: path, csrf: csrf)
            return (StudyTaskBar.inject(bar, into: page), [cookie].compactMap { $0 })
        } catch {
            Logger(label: "kenshu.study").error("could not record a page view: \(error)")
            return nil
        }
    }

    func submitted(_ events: [StudyEvent.Kind], request: Request) {
        do {
            guard let participant = try participant(for: request) else { return }
            try observe(events, participant: participant)
        } catch {
            Logger(label: "kenshu.study").error("could not record a submission: \(error)")
        }
    }

    func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await run(work)
    }

    /// The task bar for the participant's state: the prompt with 「できた」 and 「あきらめる」 while
    /// a task runs, else a way back to their study page.
    func taskBar(_ progress: StudyProgress, participant: String, page: String, csrf: String) throws -> String {
        var view = StudyTaskBar(attempt: "", page: page, csrf: csrf, running: false, position: "", prompt: "")
        if let attempt = progress.runningAttempt, let studyID = progress.study, let taskID = progress.task,
           let study = try studies().first(where: { $0.id == studyID }), let task = study.task(taskID),
           let index = study.tasks.firstIndex(where: { $0.id == taskID }) {
            view = StudyTaskBar(attempt: attempt, page: page, csrf: csrf, running: true,
                                position: "課題 \(index + 1)/\(study.tasks.count)", prompt: task.prompt)
        }
        return views.render(.studyTaskBar, view)
    }
}

/// The view model of `study-taskbar.mustache`, and where it goes in a page.
struct StudyTaskBar: ToolViewModel {
    var layout = ToolLayout(title: "")
    var attempt: String
    var page: String
    var csrf: String
    var running: Bool
    var position: String
    var prompt: String

    /// The bar right after `<body …>`, in the page's flow (not floating over it), so it can never
    /// cover one of the mock's controls; at the start when the page has no body tag.
    static func inject(_ bar: String, into page: ByteBuffer) -> ByteBuffer {
        let bytes = page.readableBytesView
        let open = Array("<body".utf8)
        var insertAt = bytes.startIndex
        if let start = bytes.firstRange(of: open)?.lowerBound,
           let close = bytes[start...].firstIndex(of: UInt8(ascii: ">")) {
            insertAt = close + 1
        }
        var result = ByteBuffer()
        result.reserveCapacity(page.readableBytes + bar.utf8.count)
        result.writeBytes(bytes[..<insertAt])
        result.writeString(bar)
        result.writeBytes(bytes[insertAt...])
        return result
    }
}
