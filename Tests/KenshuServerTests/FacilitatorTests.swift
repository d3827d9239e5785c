import Foundation
import Hummingbird
import HummingbirdTesting
import KenshuAccounts
import KenshuMail
import KenshuSite
import KenshuStudies
import NIOCore
import NIOPosix
import Testing
@testable import KenshuServer

/// Usability studies on the server (issue #15): the facilitator's console, the participant's
/// study page and task bar, and what the server records — through real HTTP on 127.0.0.1.
struct FacilitatorTests {
    typealias Browser = LiveFlowTests.Browser

    struct Served: Sendable {
        let accounts: Accounts
        let mail: MaildirStore
        let store: StudyStore
        let desk: StudyDesk
        let data: URL
        let clock: ManualClock

        /// The newest 認証キー mailed to `email`, waiting up to 5 s for it.
        func key(for email: String, count: Int = 1) async throws -> String? {
            for _ in 0..<100 {
                let messages = mail.messages(addressedTo: email)
                if messages.count >= count, let id = messages.first?.id, let raw = try await mail.rawMessage(id: id) {
                    let text = MIMEMessage(parsing: Array(buffer: raw)).text ?? ""
                    guard let range = text.range(of: "認証キー：") else { return nil }
                    return String(text[range.upperBound...].prefix { !$0.isNewline })
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            return nil
        }
    }

    /// A served site with accounts, a mail sink and a study log in a temporary data directory;
    /// `body` gets a client on 127.0.0.1 (the facilitator's machine).
    func withStudy(data existing: URL? = nil, _ body: @escaping @Sendable (any TestClientProtocol, Served) async throws -> Void) async throws {
        let root = existing ?? FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-study-\(UUID().uuidString)")
        defer { if existing == nil { try? FileManager.default.removeItem(at: root) } }
        let output = root.appendingPathComponent("Output")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let table = SiteTable()
        table.update(with: try SiteBuilder(content: LiveFlowTests.contentRoot, output: output).render())
        let fixtures = AccountFixtures(site: try #require(table.site))
        var configuration = AccountsConfiguration()
        configuration.hasher = PasswordHasher(iterations: 1_000)
        let clock = ManualClock(Date())
        let accounts = try Accounts.open(path: root.appendingPathComponent("accounts.sqlite").path, accounts: fixtures.accounts,
                                         residents: fixtures.residents, clock: clock, configuration: configuration)
        let mail = try await MaildirStore.open(directory: root.appendingPathComponent("mail").path)
        let sink = try await SMTPServer.start(port: 0, store: mail, group: MultiThreadedEventLoopGroup.singleton)
        let mailer = FlowMailer(host: "127.0.0.1", port: sink.port)
        let store = try StudyStore(dataDirectory: root)
        let desk = StudyDesk(store: store, contentRoot: LiveFlowTests.contentRoot, mailStore: mail, accounts: { accounts },
                             clock: { clock.now() })
        let flows = LiveFlows(table: table, accounts: accounts, mailer: mailer, observer: desk)
        let router = DevServer.router(output: output, broadcaster: ReloadBroadcaster(), mailStore: mail, flows: flows, desk: desk)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await mailer.run() }
                try await app.test(.live) { client in
                    try await body(client, Served(accounts: accounts, mail: mail, store: store, desk: desk, data: root, clock: clock))
                }
                group.cancelAll()
            }
        } catch {
            try await sink.shutdown()
            throw error
        }
        try await sink.shutdown()
    }

    /// Creates a participant from the console; returns the pseudonym, their card and a browser joined with it.
    func newParticipant(_ facilitator: Browser, _ client: any TestClientProtocol, _ served: Served) async throws -> (String, ParticipantCard, Browser) {
        _ = try await facilitator.get("/facilitator")
        let made = try await facilitator.post("/facilitator/participants", ["seeker": "asu"])
        #expect(made.status == .seeOther)
        let id = String(try #require(made.location?.split(separator: "/").last))
        let account = try #require(try served.store.participant(id: id)?.account)
        let card = try #require(try served.accounts.card(for: account))
        let page = try await facilitator.get("/facilitator/participants/\(id)")
        #expect(page.body.contains("/join/\(card.secret)?to=study"))
        #expect(page.body.contains(card.initialPassword))
        let participant = Browser(client: client)
        let joined = try await participant.get("/join/\(card.secret)?to=study")
        #expect(joined.location == "/study")
        return (id, card, participant)
    }

    func clickBatch(_ browser: Browser, stream: String, numbers: ClosedRange<Int>, attempt: String, interactive: Bool = false,
                    contentType: String = "application/json") async throws -> (HTTPResponse.Status, String) {
        let events = numbers.map { number in
            #"{"number":\#(number),"time":"2026-12-01T01:20:0\#(number % 10).000Z","attempt":"\#(attempt)","type":"click","element":"p.lead","x":12,"y":340,"viewport_width":390,"viewport_height":844,"interactive":\#(interactive),"page":"/v2/login.html"}"#
        }
        let body = #"{"stream":"\#(stream)","events":[\#(events.joined(separator: ","))]}"#
        var headers: HTTPFields = [.contentType: contentType]
        headers[.cookie] = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        return try await browser.client.execute(uri: "/study/events", method: .post, headers: headers, body: ByteBuffer(string: body)) {
            ($0.status, String(buffer: $0.body))
        }
    }

    // MARK: A whole attempt

    @Test func aForgottenPasswordAttemptIsRecordedFromTheConsoleToTheCSV() async throws {
        try await withStudy { client, served in
            let facilitator = Browser(client: client)
            let (id, card, participant) = try await newParticipant(facilitator, client, served)
            #expect(try await participant.get("/study").body.contains("次の課題をお待ちください"))

            #expect(try await facilitator.post("/facilitator/participants/\(id)/prepare", ["task": "forgot-password"]).status == .seeOther)
            let ready = try await participant.get("/study")
            #expect(ready.body.contains("パスワードを忘れてしまったという想定です"))
            #expect(ready.body.contains(#"data-study-state="prepared""#))
            let opened = try await participant.post("/study/start", [:])
            #expect(opened.location == "/v2/login.html")

            let login = try await participant.get("/v2/login.html")
            #expect(login.body.contains(#"id="kenshu-study""#))
            #expect(login.body.contains(#"data-attempt="\#(id)-forgot-password-1""#))
            #expect(login.body.contains("課題 2/6"))
            // The bar comes first in the body (its stylesheet, then itself), in the page's flow.
            let bodyTag = try #require(login.body.range(of: #"<body[^>]*>"#, options: .regularExpression))
            #expect(login.body[bodyTag.upperBound...].hasPrefix("<link rel=\"stylesheet\" href=\"/study/assets/study.css\">\n<div id=\"kenshu-study\""))

            let (status, receipt) = try await clickBatch(participant, stream: "tab1", numbers: 1...1, attempt: "\(id)-forgot-password-1")
            #expect(status == .ok)
            #expect(receipt.contains(#""acknowledged":1"#))

            _ = try await participant.get("/v2/password-reset.html")
            #expect(try await participant.post("/v2/password-reset.html", ["email": card.email]).location == "/v2/password-reset-key.html")
            let key = try #require(try await served.key(for: card.email))
            _ = try await participant.get("/v2/password-reset-key.html")
            let wrongKey = String(key.dropLast()) + (key.last == "A" ? "B" : "A")
            let refused = try await participant.post("/v2/password-reset-key.html",
                                                     ["new_password": "Kenshu#2025a", "confirmation": "Kenshu#2025a", "key": wrongKey])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains(#"id="kenshu-study""#))
            served.clock.advance(by: 42)
            let done = try await participant.post("/v2/password-reset-key.html",
                                                  ["new_password": "Kenshu#2025a", "confirmation": "Kenshu#2025a", "key": key])
            #expect(done.location == "/v2/password-reset-done.html")
            _ = try await participant.get("/v2/password-reset-done.html")

            let live = try await facilitator.get("/facilitator/participants/\(id)/live.json?after=0")
            #expect(live.body.contains(#""state":"running""#))
            #expect(live.body.contains("認証キー不一致"))
            #expect(live.body.contains("パスワード再登録完了"))
            #expect(live.body.contains(#""page":"v2\/password-reset-done.html""#))

            let noted = try await facilitator.post("/facilitator/participants/\(id)/notes",
                                                   ["tag": "quote", "text": "キーはどこに入れるの？", "started_ms": "\(Int64(Date().timeIntervalSince1970 * 1000) - 5000)"])
            #expect(noted.status == .seeOther)
            #expect(try await participant.post("/study/done", ["attempt": "\(id)-forgot-password-1"]).location == "/study")
            let rating = try await participant.get("/study")
            #expect(rating.body.contains("全体として、この課題はどのくらい難しかったですか、易しかったですか。"))
            #expect(try await participant.post("/study/seq", ["answer": "6"]).location == "/study")

            let csv = try await facilitator.get("/facilitator/attempts.csv")
            let row = try #require(csv.body.split(whereSeparator: \.isNewline).first { $0.hasPrefix("\(id),forgot-password,") })
            // Time on task runs from 「開始」 to the completed reset, on the server's clock.
            #expect(row.hasPrefix("\(id),forgot-password,direct_success,42.000,"))
            let columns = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(columns[4] == "1")  // misclicks
            #expect(columns[5] == "1")  // errors
            #expect(columns[11] == "key_mismatch=1")
            #expect(columns[6] == "6")
            let report = try await facilitator.get("/facilitator/report")
            #expect(report.status == .ok)
            #expect(report.body.contains("キーはどこに入れるの？"))

            // Nothing typed into a password or key field is anywhere in the log.
            for file in ["studies.sqlite", "studies.sqlite-wal"] {
                let bytes = (try? Data(contentsOf: served.data.appendingPathComponent(file))) ?? Data()
                #expect(bytes.range(of: Data("Kenshu#2025a".utf8)) == nil, "\(file) holds the typed password")
                #expect(bytes.range(of: Data(wrongKey.utf8)) == nil, "\(file) holds the typed key")
                #expect(bytes.range(of: Data(key.utf8)) == nil, "\(file) holds the key")
            }
            #expect(try served.store.gaps(participant: id).isEmpty)
        }
    }

    // MARK: Everyone else

    @Test func pagesOfBrowsersNotInAStudyAreUntouched() async throws {
        try await withStudy { client, served in
            let stranger = Browser(client: client)
            #expect(!(try await stranger.get("/v2/login.html")).body.contains("kenshu-study"))
            #expect(!(try await stranger.get("/v2/index.html")).body.contains("kenshu-study"))
            // A class participant who is in no study: pages as usual, nothing recorded.
            let classmate = try served.accounts.createParticipants(ParticipantRequest(count: 1, seekerID: "asu"))[0]
            let card = try #require(try served.accounts.card(for: classmate.id))
            let browser = Browser(client: client)
            _ = try await browser.get("/join/\(card.secret)")
            #expect(!(try await browser.get("/v2/index.html")).body.contains("kenshu-study"))
            #expect(try await browser.get("/study").status == .notFound)
            #expect(try await browser.get("/study/state").status == .notFound)
            #expect(try served.store.events().isEmpty)
            // A study participant between tasks: a way back to the study page, no recorder.
            let facilitator = Browser(client: client)
            let (_, _, participant) = try await newParticipant(facilitator, client, served)
            let idle = try await participant.get("/v2/index.html")
            #expect(idle.body.contains(#"href="/study""#))
            #expect(!idle.body.contains("study.js"))
        }
    }

    @Test func theParticipantsSideRefusesForgedAndForeignRequests() async throws {
        try await withStudy { client, served in
            let facilitator = Browser(client: client)
            let (id, _, participant) = try await newParticipant(facilitator, client, served)
            let (otherID, _, other) = try await newParticipant(facilitator, client, served)
            _ = try await facilitator.post("/facilitator/participants/\(id)/prepare", ["task": "login"])
            _ = try await participant.get("/study")
            #expect(try await participant.post("/study/start", [:], csrf: "forged").status == .forbidden)
            #expect(try await participant.post("/study/start", [:]).location == "/v2/index.html")
            // Clicks: JSON only, this participant's attempts only, the same number once.
            #expect(try await clickBatch(participant, stream: "s", numbers: 1...2, attempt: "\(id)-login-1", contentType: "text/plain").0 == .forbidden)
            #expect(try await clickBatch(other, stream: "s", numbers: 1...1, attempt: "\(id)-login-1").0 == .badRequest)
            #expect(try await clickBatch(participant, stream: "s", numbers: 1...3, attempt: "\(id)-login-1").0 == .ok)
            let (_, again) = try await clickBatch(participant, stream: "s", numbers: 2...4, attempt: "\(id)-login-1")
            #expect(again.contains(#""accepted":1"#) && again.contains(#""acknowledged":4"#))
            #expect(try served.store.events(participant: id).filter { $0.kind.name == "click" }.count == 4)
            #expect(try served.store.events(participant: otherID).isEmpty)
            // A page may not claim what the server reports.
            var headers: HTTPFields = [.contentType: "application/json"]
            headers[.cookie] = participant.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let claim = #"{"stream":"x","events":[{"number":1,"time":"2026-12-01T01:00:00.000Z","attempt":"\#(id)-login-1","type":"signed_in","path":"/v2/home.html"}]}"#
            let status = try await client.execute(uri: "/study/events", method: .post, headers: headers, body: ByteBuffer(string: claim)) { $0.status }
            #expect(status == .badRequest)
            // The SEQ only after a task, in range.
            #expect(try await participant.post("/study/seq", ["answer": "5"]).status == .conflict)
            _ = try await participant.post("/study/done", ["attempt": "\(id)-login-1"])
            #expect(try await participant.post("/study/seq", ["answer": "9"]).status == .conflict)
            #expect(try await participant.post("/study/seq", ["answer": "7"]).location == "/study")
        }
    }

    // MARK: Time, restarts, deletion

    @Test func theTimeLimitEndsARunningTask() async throws {
        try await withStudy { client, served in
            let facilitator = Browser(client: client)
            let (id, _, participant) = try await newParticipant(facilitator, client, served)
            _ = try await facilitator.post("/facilitator/participants/\(id)/prepare", ["task": "logout-smartphone"])
            _ = try await participant.get("/study")
            let opened = try await participant.post("/study/start", [:])
            #expect(opened.location == "/v2/home.html")
            // The task starts signed in: MyPage's home is shown, not the sign-in page.
            let home = try await participant.get("/v2/home.html")
            #expect(home.status == .ok)
            served.clock.advance(by: 181)
            #expect(try await participant.get("/study/state").body.contains(#""state":"rating""#))
            let ended = try served.store.events(participant: id).last
            #expect(ended?.kind == .taskEnded(by: .timeLimit))
        }
    }

    @Test func aRestartResumesTheTaskWithoutAGap() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-study-restart-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let ids = LockedBox<(String, String)?>(nil)
        try await withStudy(data: data) { client, served in
            let facilitator = Browser(client: client)
            let (id, card, participant) = try await newParticipant(facilitator, client, served)
            _ = try await facilitator.post("/facilitator/participants/\(id)/prepare", ["task": "login"])
            _ = try await participant.get("/study")
            _ = try await participant.post("/study/start", [:])
            _ = try await clickBatch(participant, stream: "tab", numbers: 1...3, attempt: "\(id)-login-1")
            ids.value = (id, card.secret)
        }
        try await withStudy(data: data) { client, served in
            let (id, secret) = try #require(ids.value)
            let participant = Browser(client: client)
            _ = try await participant.get("/join/\(secret)?to=study")
            #expect(try await participant.get("/study/state").body.contains(#""state":"running""#))
            // The page resends its whole buffer: the three already stored are recognised.
            let (_, receipt) = try await clickBatch(participant, stream: "tab", numbers: 1...5, attempt: "\(id)-login-1")
            #expect(receipt.contains(#""accepted":2"#))
            _ = try await participant.get("/v2/login.html")
            #expect(try served.store.gaps(participant: id).isEmpty)
            let events = try served.store.events(participant: id)
            #expect(events.map(\.seq) == Array(1...events.count))
            #expect(events.filter { $0.kind.name == "click" }.count == 5)
        }
    }

    @Test func deletingAParticipantLeavesNothingOfThem() async throws {
        try await withStudy { client, served in
            let facilitator = Browser(client: client)
            let (id, card, participant) = try await newParticipant(facilitator, client, served)
            _ = try await facilitator.post("/facilitator/participants/\(id)/prepare", ["task": "forgot-password"])
            _ = try await participant.get("/study")
            _ = try await participant.post("/study/start", [:])
            _ = try await participant.get("/v2/password-reset.html")
            _ = try await participant.post("/v2/password-reset.html", ["email": card.email])
            #expect(try await served.key(for: card.email) != nil)
            _ = try await facilitator.post("/facilitator/participants/\(id)/notes", ["tag": "bug", "text": "削除されるべきメモ123"])
            #expect(try await facilitator.post("/facilitator/participants/\(id)/delete", [:]).status == .unprocessableContent)
            #expect(try await facilitator.post("/facilitator/participants/\(id)/delete", ["confirm": "yes"]).location == "/facilitator?done=deleted")
            #expect(try served.store.participant(id: id) == nil)
            #expect(try served.store.events().isEmpty)
            #expect(try served.accounts.participant(id: try #require(card.id as String?)) == nil)
            #expect(served.mail.messages(addressedTo: card.email).isEmpty)
            for file in ["studies.sqlite", "studies.sqlite-wal"] {
                let bytes = (try? Data(contentsOf: served.data.appendingPathComponent(file))) ?? Data()
                #expect(bytes.range(of: Data("削除されるべきメモ123".utf8)) == nil)
            }
            // Their page can no longer record anything.
            #expect(try await participant.get("/study").status == .notFound)
            #expect(try await facilitator.get("/facilitator/participants/\(id)").status == .notFound)
        }
    }
}

/// A value shared between two server runs of one test.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); defer { lock.unlock() }; stored = newValue }
    }
}
