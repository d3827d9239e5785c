import Foundation
@testable import KenshuMail
import NIOCore
import NIOPosix
import Testing

struct MaildirStoreTests {
    private func makeDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("maildir-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func files(_ directory: String, _ subdirectory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(directory)/\(subdirectory)")) ?? []).sorted()
    }

    private let envelope = MailEnvelope(mailFrom: "sender@x.test", recipients: ["one@y.test", "two@y.test"], clientName: "client", clientAddress: "127.0.0.1")
    private let body = "From: Sender <sender@x.test>\r\nSubject: Hello\r\n\r\nBody line\r\n"

    @Test func deliverWritesExactBytesIntoNew() async throws {
        let directory = try self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try await MaildirStore.open(directory: directory)
        let id = try await store.deliver(self.envelope, data: ByteBuffer(string: self.body))

        #expect(self.files(directory, "new") == [id])
        #expect(self.files(directory, "tmp").isEmpty)
        let contents = try String(contentsOfFile: "\(directory)/new/\(id)", encoding: .utf8)
        #expect(contents.hasPrefix("Return-Path: <sender@x.test>\r\nDelivered-To: one@y.test\r\nDelivered-To: two@y.test\r\nReceived: from client ([127.0.0.1])\r\n"))
        #expect(contents.hasSuffix("\r\n" + self.body))
        let raw = try await store.rawMessage(id: id)
        #expect(raw.map { String(buffer: $0) } == contents)

        let message = try #require(store.message(id: id))
        #expect(message.mailFrom == "sender@x.test")
        #expect(message.recipients == ["one@y.test", "two@y.test"])
        #expect(message.size == contents.utf8.count)
        #expect(!message.isRead)
        #expect(String(buffer: message.headerBlock).hasSuffix("From: Sender <sender@x.test>\r\nSubject: Hello"))
        #expect(store.count == 1 && store.unreadCount == 1)
        #expect(id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" })
    }

    @Test func aMailboxListsOnlyTheMailAddressedToItsOwnerNewestFirst() async throws {
        let directory = try self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try await MaildirStore.open(directory: directory)
        func send(to recipient: String) async throws -> String {
            try await store.deliver(MailEnvelope(mailFrom: "system@x.test", recipients: [recipient], clientName: "c", clientAddress: "127.0.0.1"),
                                    data: ByteBuffer(string: self.body))
        }
        let first = try await send(to: "trainee01@example.jp")
        _ = try await send(to: "trainee02@example.jp")
        let second = try await send(to: "Trainee01@Example.jp")
        _ = try await send(to: "trainee011@example.jp")
        #expect(store.messages(addressedTo: "trainee01@example.jp").map(\.id) == [second, first])
        #expect(store.messages(addressedTo: "TRAINEE01@example.jp", limit: 1).map(\.id) == [second])
        #expect(store.messages(addressedTo: "trainee03@example.jp").isEmpty)
        #expect(store.messages(addressedTo: "example.jp").isEmpty)
    }

    @Test func restartRebuildsIndexNewestFirst() async throws {
        let directory = try self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try await MaildirStore.open(directory: directory)
        var ids: [String] = []
        for number in 0..<3 {
            ids.append(try await store.deliver(self.envelope, data: ByteBuffer(string: "Subject: \(number)\r\n\r\nx\r\n")))
        }
        try await store.setRead(true, ids: [ids[1]])
        _ = FileManager.default.createFile(atPath: "\(directory)/tmp/leftover", contents: Data("half".utf8))

        let reopened = try await MaildirStore.open(directory: directory)
        #expect(reopened.messages().map(\.id) == ids.reversed())
        #expect(reopened.messages(start: 1, limit: 1).map(\.id) == [ids[1]])
        #expect(reopened.count == 3 && reopened.unreadCount == 2)
        #expect(reopened.message(id: ids[0])?.recipients == ["one@y.test", "two@y.test"])
        #expect(reopened.message(id: ids[0])?.mailFrom == "sender@x.test")
        #expect(reopened.message(id: ids[1])?.isRead == true)
        #expect(self.files(directory, "tmp").isEmpty)
    }

    /// The index entry made at delivery (without reading the file back) is the one a restart
    /// rebuilds from the file, whatever the message's header block looks like.
    @Test(arguments: [
        "From: a@x.test\r\nSubject: s\r\n\r\nbody\r\n",
        "\r\nno header lines\r\n",
        "",
        "Subject: only headers, no body\r\n",
        "\r\r\nbare carriage returns\r\n",
        "Subject: long\r\n" + String(repeating: "X-Filler: 0123456789\r\n", count: 900) + "\r\nbody\r\n",
    ])
    func indexEntryAtDeliveryMatchesTheRebuiltOne(message: String) async throws {
        let directory = try self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try await MaildirStore.open(directory: directory)
        let id = try await store.deliver(self.envelope, data: ByteBuffer(string: message))
        let delivered = try #require(store.message(id: id))
        let reopened = try await MaildirStore.open(directory: directory)
        #expect(reopened.message(id: id) == delivered)
    }

    @Test func retentionPrunesOldest() async throws {
        let directory = try self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try await MaildirStore.open(directory: directory, configuration: .init(retentionLimit: 3))
        var ids: [String] = []
        for number in 0..<5 {
            ids.append(try await store.deliver(self.envelope, data: ByteBuffer(string: "Subject: \(number)\r\n\r\n")))
        }
        #expect(store.count == 3)
        #expect(store.messages().map(\.id) == ids.suffix(3).reversed())
        #expect(self.files(directory, "new") == ids.suffix(3).sorted())

        let smaller = try await MaildirStore.open(directory: directory, configuration: .init(retentionLimit: 1))
        #expect(smaller.messages().map(\.id) == [ids[4]])
        #expect(self.files(directory, "new") == [ids[4]])
    }

    @Test func markReadMovesToCurWithSeenFlag() async throws {
        let directory = try self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try await MaildirStore.open(directory: directory)
        let id = try await store.deliver(self.envelope, data: ByteBuffer(string: self.body))
        try await store.setRead(true, ids: [id])
        #expect(self.files(directory, "new").isEmpty)
        #expect(self.files(directory, "cur") == ["\(id):2,S"])
        #expect(store.unreadCount == 0)
        #expect(try await store.rawMessage(id: id) != nil)
        try await store.setRead(false, ids: [id])
        #expect(self.files(directory, "cur") == ["\(id):2,"])
        #expect(store.unreadCount == 1)
    }

    @Test func deleteAndDeleteAll() async throws {
        let directory = try self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try await MaildirStore.open(directory: directory)
        let first = try await store.deliver(self.envelope, data: ByteBuffer(string: self.body))
        let second = try await store.deliver(self.envelope, data: ByteBuffer(string: self.body))
        let third = try await store.deliver(self.envelope, data: ByteBuffer(string: self.body))
        try await store.setRead(true, ids: [third])
        try await store.delete(ids: [first, "unknown"])
        #expect(store.messages().map(\.id) == [third, second])
        #expect(try await store.rawMessage(id: first) == nil)
        try await store.deleteAll()
        #expect(store.count == 0)
        #expect(self.files(directory, "new").isEmpty && self.files(directory, "cur").isEmpty)
    }

    @Test func failedDeliveryLeavesNothing() async throws {
        let directory = try self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try await MaildirStore.open(directory: directory)
        try FileManager.default.removeItem(atPath: "\(directory)/new")
        await #expect(throws: MaildirStore.FileError.self) {
            try await store.deliver(self.envelope, data: ByteBuffer(string: self.body))
        }
        #expect(self.files(directory, "tmp").isEmpty)
        #expect(self.files(directory, "new").isEmpty)
        #expect(store.count == 0)
    }

    @Test func publishesEvents() async throws {
        let directory = try self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try await MaildirStore.open(directory: directory)
        let events = store.events()
        let id = try await store.deliver(self.envelope, data: ByteBuffer(string: self.body))
        try await store.setRead(true, ids: [id])
        try await store.delete(ids: [id])
        store.finishEvents()
        var received: [MaildirStore.Event] = []
        for await event in events { received.append(event) }
        #expect(received == [.added(id), .changed, .deleted([id])])
    }

    @Test func deliversThroughTmpWhereUnnamedFilesAreUnavailable() async throws {
        let directory = try self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try await MaildirStore.open(directory: directory)
        store.writer.writesUnnamedFiles.withLockedValue { $0 = false }
        let id = try await store.deliver(self.envelope, data: ByteBuffer(string: self.body))
        #expect(self.files(directory, "new") == [id])
        #expect(self.files(directory, "tmp").isEmpty)
        let contents = try String(contentsOfFile: "\(directory)/new/\(id)", encoding: .utf8)
        #expect(contents.hasPrefix("Return-Path: <sender@x.test>\r\n") && contents.hasSuffix("\r\n" + self.body))
        #expect(store.count == 1)
    }

    @Test func concurrentDeliveriesAreAllStoredAndIndexed() async throws {
        let directory = try self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pool = NIOThreadPool(numberOfThreads: 8)
        pool.start()
        let store = try await MaildirStore.open(directory: directory, threadPool: pool)
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for number in 0..<300 {
                group.addTask { try await store.deliver(self.envelope, data: ByteBuffer(string: "Subject: \(number)\r\n\r\nx\r\n")) }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(ids).count == 300)
        #expect(self.files(directory, "new") == ids.sorted())
        #expect(self.files(directory, "tmp").isEmpty)
        #expect(store.count == 300 && Set(store.messages(limit: 300).map(\.id)) == Set(ids))

        let reopened = try await MaildirStore.open(directory: directory, threadPool: pool)
        #expect(reopened.count == 300)
        try await pool.shutdownGracefully()
    }

    @Test func concurrentDeliveriesRespectRetention() async throws {
        let directory = try self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try await MaildirStore.open(directory: directory, configuration: .init(retentionLimit: 20))
        try await withThrowingTaskGroup(of: String.self) { group in
            for number in 0..<120 {
                group.addTask { try await store.deliver(self.envelope, data: ByteBuffer(string: "Subject: \(number)\r\n\r\n")) }
            }
            try await group.waitForAll()
        }
        #expect(store.count == 20)
        #expect(self.files(directory, "new") == store.messages().map(\.id).sorted())
    }

    @Test func receivedDateMatchesDateFormatter() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        for seconds in [0.0, 951_782_400.5, 1_709_625_789.999, 1_735_689_599, 4_102_444_800] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(MaildirStore.rfc5322Date(date) == formatter.string(from: date))
        }
    }
}
