import Foundation
import KenshuMail
import NIOCore
import NIOPosix
import Testing

struct SMTPRoundTripTests {
    private func makeDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func clientMessageArrivesInStore() async throws {
        let directory = try self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try await MaildirStore.open(directory: directory)
        let server = try await SMTPServer.start(port: 0, store: store, group: MultiThreadedEventLoopGroup.singleton)
        #expect(server.port != 0)

        let message = "From: noreply@kenshu.test\nSubject: =?UTF-8?B?6KqN6Ki844Kt44O8?=\n\n認証キー: 123456\n.hidden dot\n"
        try await SMTPClient.send(from: "noreply@kenshu.test", to: ["user@example.test"], message: message, port: server.port)
        try await server.shutdown()

        #expect(store.count == 1)
        let stored = try #require(store.messages().first)
        #expect(stored.mailFrom == "noreply@kenshu.test")
        #expect(stored.recipients == ["user@example.test"])
        let raw = try #require(try await store.rawMessage(id: stored.id))
        let text = String(buffer: raw)
        #expect(text.hasSuffix("From: noreply@kenshu.test\r\nSubject: =?UTF-8?B?6KqN6Ki844Kt44O8?=\r\n\r\n認証キー: 123456\r\n.hidden dot\r\n"))
        #expect(text.contains("for <user@example.test>;"))
    }

    @Test func clientReportsRejection() async throws {
        let directory = try self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try await MaildirStore.open(directory: directory)
        let server = try await SMTPServer.start(
            port: 0,
            store: store,
            configuration: .init(maximumMessageSize: 16),
            group: MultiThreadedEventLoopGroup.singleton
        )
        await #expect(throws: SMTPClient.Failure.self) {
            try await SMTPClient.send(from: "a@b.test", to: ["c@d.test"], message: String(repeating: "x", count: 100), port: server.port)
        }
        try await server.shutdown()
        #expect(store.count == 0)
    }
}
