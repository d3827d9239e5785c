import Foundation
import Hummingbird
import KenshuStudies
import Logging
import NIOCore

/// The desk as the served pages' observer: a study participant's pages are recorded (page
/// views, form submissions and the rules' outcomes) and carry the task bar.
extension StudyDesk: PageObserver {
    /// A card's browser, unless the memory already knows it is in no study.
    func mayFollow(_ request: Request) -> Bool {
        guard Self.mayBeParticipant(request) else { return false }
        if case .some(.none) = knownParticipant(for: request) { return false }
        return true
    }

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
    ///
    /// Rendered once per state of the participant's progress, with placeholders where the page
    /// and the browser's token go; each page view fills them in (escaped like the template would).
    func taskBar(_ progress: StudyProgress, participant: String, page: String, csrf: String) throws -> String {
        let bar: StudyTaskBar.Rendered
        if let cached = cachedBar(participant, version: progress.version) {
            bar = cached
        } else {
            var view = StudyTaskBar(attempt: "", page: StudyTaskBar.pageSlot, csrf: StudyTaskBar.csrfSlot, running: false,
                                    position: "", prompt: "")
            if let attempt = progress.runningAttempt, let studyID = progress.study, let taskID = progress.task,
               let study = try studies().first(where: { $0.id == studyID }), let task = study.task(taskID),
               let index = study.tasks.firstIndex(where: { $0.id == taskID }) {
                view = StudyTaskBar(attempt: attempt, page: StudyTaskBar.pageSlot, csrf: StudyTaskBar.csrfSlot, running: true,
                                    position: "課題 \(index + 1)/\(study.tasks.count)", prompt: task.prompt)
            }
            bar = StudyTaskBar.Rendered(views.render(.studyTaskBar, view))
            cacheBar(bar, participant: participant, version: progress.version)
        }
        return bar.filled(page: StudyTaskBar.escaped(page), csrf: StudyTaskBar.escaped(csrf))
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

    /// Where a cached bar takes the page's path and the browser's CSRF token: text no template,
    /// path or token contains (a private-use character around a name).
    static let pageSlot = "\u{E000}page\u{E000}"
    static let csrfSlot = "\u{E000}csrf\u{E000}"

    /// A bar rendered once, cut at its slots: a page view joins the pieces with its own values.
    struct Rendered: Sendable {
        enum Piece: Sendable { case text(String), page, csrf }
        let pieces: [Piece]

        init(_ html: String) {
            var pieces: [Piece] = []
            var rest = Substring(html)
            while let slot = [(StudyTaskBar.pageSlot, Piece.page), (StudyTaskBar.csrfSlot, Piece.csrf)]
                .compactMap({ name, piece in rest.range(of: name).map { ($0, piece) } })
                .min(by: { $0.0.lowerBound < $1.0.lowerBound }) {
                pieces.append(.text(String(rest[..<slot.0.lowerBound])))
                pieces.append(slot.1)
                rest = rest[slot.0.upperBound...]
            }
            pieces.append(.text(String(rest)))
            self.pieces = pieces
        }

        func filled(page: String, csrf: String) -> String {
            var out = ""
            for piece in pieces {
                switch piece {
                case .text(let text): out += text
                case .page: out += page
                case .csrf: out += csrf
                }
            }
            return out
        }
    }

    /// `& < > " '` as the templates escape them.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// The bar right after `<body …>`, in the page's flow (not floating over it), so it can never
    /// cover one of the mock's controls; at the start when the page has no body tag.
    static func inject(_ bar: String, into page: ByteBuffer) -> ByteBuffer {
        let insertAt = page.withUnsafeReadableBytes { bytes -> Int in
            let open = Array("<body".utf8)
            var index = 0
            while index + open.count <= bytes.count {
                if bytes[index] == open[0], (1..<open.count).allSatisfy({ bytes[index + $0] == open[$0] }) {
                    var close = index + open.count
                    while close < bytes.count, bytes[close] != UInt8(ascii: ">") { close += 1 }
                    return close < bytes.count ? close + 1 : 0
                }
                index += 1
            }
            return 0
        }
        var result = ByteBuffer()
        result.reserveCapacity(page.readableBytes + bar.utf8.count)
        var head = page.getSlice(at: page.readerIndex, length: insertAt) ?? ByteBuffer()
        var tail = page.getSlice(at: page.readerIndex + insertAt, length: page.readableBytes - insertAt) ?? ByteBuffer()
        result.writeBuffer(&head)
        result.writeString(bar)
        result.writeBuffer(&tail)
        return result
    }
}
