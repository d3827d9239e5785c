import Foundation
import Hummingbird
import HummingbirdTesting
import KenshuAccounts
import KenshuMail
import KenshuSite
import NIOCore
import NIOPosix
import Testing
@testable import KenshuServer
#if canImport(Glibc)
import Glibc
#endif

/// Classroom mode on the server: participants made from the trainer's page, each with a mailbox
/// that shows their mail only, cards, and the trainer's routes refused to other machines.
struct ClassroomTests {
    struct Served: Sendable {
        let accounts: Accounts
        let store: MaildirStore
    }

    /// A served site with a mail store; `body` gets a client on 127.0.0.1.
    func withClass(address: String = "127.0.0.1", _ body: @escaping @Sendable (any TestClientProtocol, Served) async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-class-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let (router, served) = try await Self.makeRouter(in: root)
        let app = Application(router: router, configuration: .init(address: .hostname(address, port: 0)))
        try await app.test(.live) { client in try await body(client, served) }
    }

    /// The routes of a served site (the shipped Content, accounts in memory, a mail store) in `root`.
    static func makeRouter(in root: URL) async throws -> (Router<KenshuRequestContext>, Served) {
        let output = root.appendingPathComponent("Output")
        let table = SiteTable()
        table.update(with: try SiteBuilder(content: LiveFlowTests.contentRoot, output: output).render())
        let fixtures = AccountFixtures(site: try #require(table.site))
        var configuration = AccountsConfiguration()
        configuration.hasher = PasswordHasher(iterations: 1_000)
        let accounts = try Accounts.inMemory(accounts: fixtures.accounts, residents: fixtures.residents,
                                             clock: ManualClock(Date(timeIntervalSince1970: 1_700_000_000)), configuration: configuration)
        let store = try await MaildirStore.open(directory: root.appendingPathComponent("mail").path)
        let flows = LiveFlows(table: table, accounts: accounts, mailer: FlowMailer(host: "127.0.0.1", port: 9))
        let router = DevServer.router(output: output, broadcaster: ReloadBroadcaster(), mailStore: store, flows: flows)
        return (router, Served(accounts: accounts, store: store))
    }

    func deliver(_ store: MaildirStore, to recipient: String, subject: String, body: String = "本文") async throws -> String {
        let mail = OutgoingMessage(from: "system@mail.hellowork.mhlw.go.jp", to: recipient, subject: subject, body: body)
        return try await store.deliver(MailEnvelope(mailFrom: "system@mail.hellowork.mhlw.go.jp", recipients: [recipient],
                                                    clientName: "test", clientAddress: "127.0.0.1"),
                                       data: ByteBuffer(bytes: Array(mail.rendered.utf8)))
    }

    func csrf(_ client: any TestClientProtocol, _ path: String) async throws -> String {
        try await client.execute(uri: path, method: .get) { response in
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("kenshu_csrf=") })
            return String(cookie.split(separator: ";")[0])
        }
    }

    @Test func theTrainerMakesParticipantsAndPrintsTheirCards() async throws {
        try await withClass { client, served in
            let cookie = try await csrf(client, "/trainer/class")
            let token = cookie.split(separator: "=")[1]
            let seeker = "asu"
            let status = try await client.execute(uri: "/trainer/class/create", method: .post,
                                                  headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                                  body: ByteBuffer(string: "csrf_token=\(token)&count=3&seeker=\(seeker)&state=fresh&prefix=trainee&domain=example.jp")) { $0.status }
            #expect(status == .seeOther)
            let participants = try served.accounts.participants()
            #expect(participants.map(\.email) == ["trainee01@example.jp", "trainee02@example.jp", "trainee03@example.jp"])
            try await client.execute(uri: "/trainer/class", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("trainee02@example.jp"))
            }
            try await client.execute(uri: "/trainer/cards", method: .get) { response in
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                let cards = try served.accounts.cards()
                #expect(cards.count == 3)
                for card in cards {
                    #expect(page.contains(card.email) && page.contains(card.initialPassword))
                }
                #expect(page.components(separatedBy: "<svg class=\"qr\"").count - 1 == 6)
            }
        }
    }

    @Test func aMailboxShowsItsOwnersMailOnlyAndAWrongSecretShowsNothing() async throws {
        try await withClass { client, served in
            _ = try served.accounts.createParticipants(ParticipantRequest(count: 2, seekerID: "asu"))
            let cards = try served.accounts.cards()
            let mine = try await deliver(served.store, to: cards[0].email, subject: "あなた宛て", body: "認証キー：K7N4Q2X9")
            let theirs = try await deliver(served.store, to: cards[1].email, subject: "ほかの人宛て")
            // The card's link remembers the participant, then opens the mailbox.
            let joined = try await client.execute(uri: "/join/\(cards[0].secret)?to=mailbox", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/mailbox")
                let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("kenshu_participant=") })
                #expect(cookie.contains("HttpOnly"))
                return String(cookie.split(separator: ";")[0])
            }
            try await client.execute(uri: "/mailbox", method: .get, headers: [.cookie: joined]) { response in
                let page = String(buffer: response.body)
                #expect(response.status == .ok)
                #expect(page.contains("あなた宛て") && !page.contains("ほかの人宛て"))
                #expect(!page.contains(cards[1].email))
            }
            try await client.execute(uri: "/mailbox/m/\(mine)", method: .get, headers: [.cookie: joined]) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("class=\"mb-key-value\"") && page.contains("K7N4Q2X9"))
            }
            // Another participant's mail is "not found", like one that does not exist.
            for path in ["/mailbox/m/\(theirs)", "/mailbox/m/nope"] {
                try await client.execute(uri: path, method: .get, headers: [.cookie: joined]) { response in
                    #expect(response.status == .notFound)
                    #expect(!String(buffer: response.body).contains("ほかの人宛て"))
                }
            }
            // A guessed secret, another participant's id with this mac, none at all: nothing.
            let (id0, mac0) = (cards[0].secret.split(separator: ".")[0], cards[0].secret.split(separator: ".")[1])
            let id1 = cards[1].secret.split(separator: ".")[0]
            for secret in ["\(id1).\(mac0)", "\(id0).\(String(repeating: "a", count: mac0.count))", "guess", ""] {
                try await client.execute(uri: "/join/\(secret)?to=mailbox", method: .get) { response in
                    #expect(response.status == .notFound || response.status == .seeOther && secret.isEmpty)
                    #expect(!response.headers[values: .setCookie].contains { $0.hasPrefix("kenshu_participant=") })
                }
                try await client.execute(uri: "/mailbox", method: .get, headers: [.cookie: "kenshu_participant=\(secret)"]) { response in
                    #expect(response.status == .notFound)
                    let page = String(buffer: response.body)
                    #expect(!page.contains("宛て") && !page.contains("@example.jp"))
                }
            }
        }
    }

    @Test func aParticipantsMailGoesWithThemSoANewClassStartsEmpty() async throws {
        try await withClass { client, served in
            _ = try served.accounts.createParticipants(ParticipantRequest(count: 2, seekerID: "asu"))
            let first = try served.accounts.cards()
            _ = try await deliver(served.store, to: first[0].email, subject: "前のクラスの認証キー")
            _ = try await deliver(served.store, to: first[1].email, subject: "二人目")
            _ = try await deliver(served.store, to: "asu.yuki@example.jp", subject: "フィクスチャ宛て")
            let cookie = try await csrf(client, "/trainer/class")
            let token = cookie.split(separator: "=")[1]
            func post(_ path: String, _ body: String = "") async throws -> HTTPResponse.Status {
                try await client.execute(uri: path, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "csrf_token=\(token)&" + body)) { $0.status }
            }
            // A reset empties that participant's mailbox only.
            #expect(try await post("/trainer/class/reset", "id=\(first[1].id)") == .seeOther)
            #expect(served.store.messages(addressedTo: first[1].email).isEmpty)
            #expect(served.store.messages(addressedTo: first[0].email).count == 1)
            // Removing the class removes its mail; the next class's trainee01 starts empty.
            #expect(try await post("/trainer/class/remove-all") == .seeOther)
            _ = try served.accounts.createParticipants(ParticipantRequest(count: 1, seekerID: "asu"))
            let next = try served.accounts.cards()[0]
            #expect(next.email == first[0].email)
            #expect(served.store.messages(addressedTo: next.email).isEmpty)
            #expect(served.store.messages(addressedTo: "asu.yuki@example.jp").count == 1)
            let joined = try await client.execute(uri: "/join/\(next.secret)?to=mailbox", method: .get) { response in
                String(try #require(response.headers[values: .setCookie].first { $0.hasPrefix("kenshu_participant=") }).split(separator: ";")[0])
            }
            try await client.execute(uri: "/mailbox", method: .get, headers: [.cookie: joined]) { response in
                #expect(!String(buffer: response.body).contains("前のクラスの認証キー"))
            }
        }
    }

    @Test func aParticipantsLockAndKeysNeverTouchAnothers() async throws {
        try await withClass { _, served in
            _ = try served.accounts.createParticipants(ParticipantRequest(count: 2, seekerID: "asu"))
            let cards = try served.accounts.cards()
            for attempt in 1...5 { _ = try served.accounts.logIn(email: cards[0].email, password: "Wrong#Pass\(attempt)") }
            #expect(try served.accounts.logIn(email: cards[0].email, password: cards[0].initialPassword) == .locked)
            guard case .signedIn = try served.accounts.logIn(email: cards[1].email, password: cards[1].initialPassword) else {
                Issue.record("the other participant is locked out too"); return
            }
        }
    }

    /// The trainer's routes from another machine: 403 without the token. The server listens on
    /// this machine's network address and the request comes from it (a peer that is not loopback).
    @Test(.enabled(if: LANAddress.preferred() != nil, "this machine has no network address to listen on"))
    func theTrainersPagesRefuseAnotherMachine() async throws {
        let address = try #require(LANAddress.preferred())
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-lan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let (router, _) = try await Self.makeRouter(in: root)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        // Listening on the network address: a request to it comes from a peer that is not loopback.
        let app = Application(router: router, configuration: .init(address: .hostname(address, port: 0)),
                              onServerRunning: { channel in portSink.yield(channel.localAddress?.port ?? 0) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            for path in ["/trainer", "/mail", "/api/v1/messages", "/trainer/class", "/trainer/cards", "/trainer/join", "/facilitator"] {
                #expect(try Self.status(of: path, host: address, port: port) == 403, "\(path)")
            }
            #expect(try Self.status(of: "/v2/login.html", host: address, port: port) == 200)
            #expect(try Self.status(of: "/mailbox", host: address, port: port) == 404)
            group.cancelAll()
        }
    }

    /// The status of a GET over a plain socket to `host:port` (the test client only talks to localhost).
    static func status(of path: String, host: String, port: Int) throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(socket, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = recv(socket, &buffer, buffer.count, 0)
        let line = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self)
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }
}
