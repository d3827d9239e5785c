import Foundation
import Hummingbird
import KenshuAccounts
import KenshuMail
import KenshuStudies
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The running studies of `kenshu serve`: who is a study participant, where each stands
/// (`StudyProgress`, kept in memory and rebuilt from the log), and every write to the log — the
/// facilitator's, the participant's page's and the server's own observations all go through
/// here, so the progress never drifts from what `studies.sqlite` holds.
///
/// Study participants are classroom participants (KenshuAccounts) with a pseudonym: a browser
/// is recognised by the card's cookie (`kenshu_participant`), never by anything it typed.
/// Every method blocks (SQLite); routes call them through ``run(_:)``.
final class StudyDesk: Sendable {
    let store: StudyStore
    /// Content/, whose `studies/` defines the tasks (read again on use: a facilitator may edit
    /// a prompt between participants).
    let contentRoot: URL
    let mailStore: MaildirStore?
    /// The accounts, once the first good build opened them.
    let accounts: @Sendable () -> Accounts?
    /// Its own threads, so a participant's page never queues behind the flows' password
    /// hashing. More than cores: a page view waits for its commit, and the waiting threads'
    /// events are what the next commit carries together (measured with bench/study.sh).
    let pool: NIOThreadPool
    let clock: @Sendable () -> Date
    let views: ToolViews

    private struct Memory {
        var progress: [String: StudyProgress] = [:]
        /// Card secret → pseudonym (or nil: not in a study), with when it was looked up.
        var browsers: [String: (participant: String?, at: Date)] = [:]
        /// The studies as last read, the files' names and dates they were read from, and when
        /// those were last looked at.
        var studies: (stamp: [String], studies: [Study], checked: Date)?
        /// Task bars rendered with placeholders for the page and token, by participant and
        /// progress version: a page view fills one in rather than rendering the template.
        var bars: [String: (version: Int, bar: StudyTaskBar.Rendered)] = [:]
    }
    private let memory = NIOLockedValueBox(Memory())
    /// Held across a write and its fold into the progress, so the progress sees events in
    /// `seq` order even when the flows' threads and the desk's record at once.
    private let writing = NIOLock()
    /// The server's own events (page views, outcomes, the facilitator's) from many requests at
    /// once go to SQLite in one transaction: a class browsing costs a commit per moment, not per page.
    private let events = GroupCommit<StudyStore.Pending, StudyEvent>()
    /// How long a browser's lookup is trusted; creating or deleting a participant clears them all.
    static let browserLookupLifetime: TimeInterval = 30

    init(store: StudyStore, contentRoot: URL, mailStore: MaildirStore?, accounts: @escaping @Sendable () -> Accounts?,
         clock: @escaping @Sendable () -> Date = Date.init, views: ToolViews = .shared) {
        self.views = views
        self.store = store
        self.contentRoot = contentRoot
        self.mailStore = mailStore
        self.accounts = accounts
        self.clock = clock
        pool = NIOThreadPool(numberOfThreads: max(8, 4 * System.coreCount))
        pool.start()
    }

    deinit { pool.shutdownGracefully { _ in } }

    /// Runs blocking work off the event loops.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(work)
    }

    /// The studies in Content/studies/ (the build checked them; an edit made since shows its
    /// error here).
    /// The folder is looked at again at most once a second: every page view asks.
    func studies() throws -> [Study] {
        let now = Date()
        let cached = memory.withLockedValue { $0.studies }
        if let cached, now.timeIntervalSince(cached.checked) < 1 { return cached.studies }
        let stamp = studyFilesStamp()
        if let cached, cached.stamp == stamp {
            memory.withLockedValue { $0.studies?.checked = now }
            return cached.studies
        }
        let studies = try StudyLoader(root: contentRoot, displayRoot: "Content").load()
        memory.withLockedValue { $0.studies = (stamp, studies, now) }
        return studies
    }

    /// The participant's task bar as last rendered for this version of their progress.
    func cachedBar(_ participant: String, version: Int) -> StudyTaskBar.Rendered? {
        memory.withLockedValue { memory in memory.bars[participant].flatMap { $0.version == version ? $0.bar : nil } }
    }

    func cacheBar(_ bar: StudyTaskBar.Rendered, participant: String, version: Int) {
        memory.withLockedValue { $0.bars[participant] = (version, bar) }
    }

    /// The study files' names, sizes and modification times: read again when any changed.
    private func studyFilesStamp() -> [String] {
        let folder = contentRoot.appendingPathComponent(StudyLoader.folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)
            let date = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(name) \(attributes?[.size] as? Int ?? -1) \(date)"
        }
    }

    // MARK: Browsers

    /// Whether the request may come from a study participant: it carries a card's cookie. A
    /// header test, so every other request keeps its fast path.
    static func mayBeParticipant(_ request: Request) -> Bool {
        FlowCookie.participant.value(in: request) != nil
    }

    /// What the memory knows of this browser without asking anyone: `.some(nil)` for a card
    /// known to be in no study (its pages keep their ordinary path), nil when it must be looked up.
    func knownParticipant(for request: Request) -> String?? {
        guard let secret = FlowCookie.participant.value(in: request) else { return .some(nil) }
        guard let known = memory.withLockedValue({ $0.browsers[secret] }),
              clock().timeIntervalSince(known.at) < Self.browserLookupLifetime else { return nil }
        return .some(known.participant)
    }

    /// The study participant whose card this browser was joined with, or nil.
    func participant(for request: Request) throws -> String? {
        if case .some(let known) = knownParticipant(for: request) { return known }
        guard let secret = FlowCookie.participant.value(in: request) else { return nil }
        let now = clock()
        var found: String?
        if let accounts = accounts(), let account = try accounts.participant(forSecret: secret) {
            found = try store.participant(account: account.id)?.id
        }
        memory.withLockedValue { memory in
            if memory.browsers.count > 10_000 { memory.browsers.removeAll() }
            memory.browsers[secret] = (found, now)
        }
        return found
    }

    func forgetBrowsers() {
        memory.withLockedValue { $0.browsers.removeAll() }
    }

    // MARK: Progress and the log

    /// Where the participant stands (folded from the log the first time, then kept current),
    /// after ending a running attempt whose time limit has passed.
    func progress(_ participant: String) throws -> StudyProgress {
        var progress = try storedProgress(participant)
        if let attempt = progress.runningAttempt, let started = progress.startedAt,
           let limit = try task(study: progress.study, task: progress.task)?.timeLimit,
           StudyEvent.milliseconds(clock()) - started > Int64(limit) * 1000 {
            try record(.taskEnded(by: .timeLimit), participant: participant, attempt: attempt)
            progress = try storedProgress(participant)
        }
        return progress
    }

    private func storedProgress(_ participant: String) throws -> StudyProgress {
        if let known = memory.withLockedValue({ $0.progress[participant] }) { return known }
        let folded = StudyProgress(events: try store.events(participant: participant), studies: (try? studies()) ?? [])
        memory.withLockedValue { $0.progress[participant] = $0.progress[participant] ?? folded }
        return folded
    }

    /// Records one event and moves the participant's progress with it.
    @discardableResult
    func record(_ kind: StudyEvent.Kind, participant: String, attempt: String?, at time: Date? = nil) throws -> StudyEvent {
        _ = try storedProgress(participant)
        return try events.write(StudyStore.Pending(kind, participant: participant, attempt: attempt, at: time ?? clock())) { batch in
            try writing.withLock {
                let results = try store.record(batch)
                for case .success(let event) in results { try apply([event], participant: event.participant) }
                return results
            }
        }
    }

    /// Records what the server saw for the participant's running attempt (or outside any).
    func observe(_ kinds: [StudyEvent.Kind], participant: String) throws {
        let attempt = try storedProgress(participant).runningAttempt
        for kind in kinds { try record(kind, participant: participant, attempt: attempt) }
    }

    /// Records an event of the attempt the facilitator prepared (its `task_prepared` named it).
    func prepared(participant: String, study: String, task: String) throws -> StudyEvent {
        _ = try storedProgress(participant)
        return try writing.withLock {
            let event = try store.prepareAttempt(participant: participant, study: study, task: task, at: clock())
            try apply([event], participant: participant)
            return event
        }
    }

    /// What a participant's page sent (clicks): only for that participant's own attempts.
    func receive(_ batch: [ClientEvent], participant: String, stream: String) throws -> ClientReceipt {
        _ = try storedProgress(participant)
        for event in batch {
            if let attempt = event.attempt, !attempt.hasPrefix(participant + "-") {
                throw StudyError.invalidEvent("attempt \(attempt) is not \(participant)'s")
            }
        }
        return try writing.withLock {
            let receipt = try store.receive(batch, participant: participant, stream: stream)
            try apply(receipt.accepted, participant: participant)
            return receipt
        }
    }

    private func apply(_ events: [StudyEvent], participant: String) throws {
        guard !events.isEmpty else { return }
        let needsStudies = events.contains { if case .seqAnswer = $0.kind { true } else { false } }
        let studies = needsStudies ? ((try? self.studies()) ?? []) : []
        memory.withLockedValue { memory in
            var progress = memory.progress[participant] ?? StudyProgress()
            for event in events { progress.apply(event, studies: studies) }
            memory.progress[participant] = progress
        }
    }

    func task(study: String?, task: String?) throws -> StudyTask? {
        guard let study, let task else { return nil }
        return try studies().first { $0.id == study }?.task(task)
    }

    // MARK: Participants

    /// A new study participant: a classroom account of their own (a copy of `seeker`) and the
    /// next pseudonym bound to it.
    func createParticipant(seeker: String) throws -> StudyParticipant {
        guard let accounts = accounts() else { throw StudyDeskError.accountsClosed }
        let account = try accounts.createParticipants(ParticipantRequest(count: 1, idPrefix: Self.accountPrefix, seekerID: seeker))[0]
        do {
            let participant = try store.createParticipant(account: account.id, at: clock())
            forgetBrowsers()
            return participant
        } catch {
            try? accounts.removeParticipant(id: account.id)
            throw error
        }
    }

    /// Study accounts are `study01`, `study02` …, apart from a class's `trainee01`.
    static let accountPrefix = "study"

    /// Deletes the participant's every event and their account with its mail: nothing of them stays.
    func deleteParticipant(_ id: String) async throws {
        let account = try await run { try self.store.participant(id: id)?.account }
        let email = try await run { () -> String? in
            guard let account, let accounts = self.accounts() else { return nil }
            let email = try accounts.participant(id: account)?.email
            if email != nil { try accounts.removeParticipant(id: account) }
            return email
        }
        try await ClassroomTrainer.deleteMail(to: email.map { [$0] } ?? [], in: mailStore)
        try await run {
            try self.store.deleteParticipant(id)
            self.memory.withLockedValue { $0.progress[id] = nil; $0.bars[id] = nil }
            self.forgetBrowsers()
        }
    }
}

enum StudyDeskError: Error, CustomStringConvertible {
    case accountsClosed
    case unknownParticipant(String)
    case unknownTask(String)
    case fixtureAccount(String)
    case notNow(String)

    var description: String {
        switch self {
        case .accountsClosed: "アカウントがまだ開いていません（Content のビルドが通るまでお待ちください）。"
        case .unknownParticipant(let id): "参加者 \(id) はいません。"
        case .unknownTask(let id): "課題 \(id) は調査にありません。"
        case .fixtureAccount(let email): "この課題は固定アカウント \(email) を使います。参加者自身のアカウントを使う課題だけを実施できます。"
        case .notNow(let detail): detail
        }
    }
}
