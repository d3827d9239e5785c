import Foundation
import Hummingbird
import HummingbirdTesting
import KenshuMail
import Testing

@testable import KenshuServer

/// A real Maildir in a temporary directory with the fixture mails both test suites use.
struct MailTestMailbox {
    let directory: String
    let store: MaildirStore

    /// A UTF-8 mail with a B-encoded Japanese subject.
    static let utf8Mail = """
        From: =?UTF-8?B?44Kx44Oz44K344Ol?= <noreply@kenshu.example>\r
        To: user@example.jp\r
        Subject: =?UTF-8?B?44OR44K544Ov44O844OJ5YaN55m76Yyy?=\r
        Date: Mon, 23 Nov 2026 16:30:05 +0900\r
        Message-ID: <abc.123@kenshu.example>\r
        MIME-Version: 1.0\r
        Content-Type: text/plain; charset=UTF-8\r
        Content-Transfer-Encoding: 8bit\r
        \r
        認証キー: 123456\r
        よろしくお願いします。\r

        """

    /// An ISO-2022-JP mail with a split B-encoded subject.
    static let iso2022JPMail = """
        From: =?ISO-2022-JP?B?GyRCOzNFRBsoQiAbJEJCQE86GyhC?= <taro@example.jp>\r
        To: hanako@example.jp\r
        Subject: =?ISO-2022-JP?B?GyRCJVElOSU=?=\r
         =?ISO-2022-JP?B?byE8JUk6RkVQTz8/PTl+PHVJVURMQ04bKEI=?=\r
        Content-Type: text/plain; charset=ISO-2022-JP\r
        Content-Transfer-Encoding: 7bit\r
        \r
        \u{1B}$B;3EDMM\u{1B}(B\r
        \r
        \u{1B}$BG'>Z%-!<\u{1B}(B: 483920\r

        """

    /// A multipart mail with HTML, a hostile subject and a Japanese-named attachment.
    static let hostileMail = """
        From: Attacker <evil@example.com>\r
        To: victim@example.jp\r
        Subject: <script>alert(1)</script>\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary="b1"\r
        \r
        --b1\r
        Content-Type: text/html; charset=UTF-8\r
        \r
        <p onclick="x()">Hello <img src="https://tracker.example/p.gif"></p>\r
        --b1\r
        Content-Type: text/plain; name="=?UTF-8?B?5bGl5q20LnR4dA==?="\r
        Content-Disposition: attachment; filename="=?UTF-8?B?5bGl5q20LnR4dA==?="\r
        \r
        resume\r
        --b1--\r

        """

    /// Opens a fresh store.
    static func make() async throws -> MailTestMailbox {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mail-web-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return MailTestMailbox(directory: directory, store: try await MaildirStore.open(directory: directory))
    }

    /// Delivers `mail` and returns its id.
    @discardableResult
    func deliver(_ mail: String, from sender: String = "sender@x.test", to recipients: [String] = ["rcpt@y.test"]) async throws -> String {
        try await store.deliver(MailEnvelope(mailFrom: sender, recipients: recipients), data: ByteBuffer(string: mail))
    }

    /// An application serving only the mail routes.
    func application() -> some ApplicationProtocol {
        let router = Router(context: KenshuRequestContext.self)
        MailRoutes.add(to: router, store: store)
        return Application(router: router)
    }

    /// Removes the temporary Maildir.
    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Request and response shapes of the Mailpit-compatible API.
struct MailAPITests {
    private func object(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
    }

    @Test func listIsNewestFirstWithMailpitShape() async throws {
        let mailbox = try await MailTestMailbox.make()
        defer { mailbox.remove() }
        let first = try await mailbox.deliver(MailTestMailbox.utf8Mail)
        let second = try await mailbox.deliver(MailTestMailbox.iso2022JPMail)
        try await mailbox.application().test(.router) { client in
            try await client.execute(uri: "/api/v1/messages", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let body = try object(response.body)
                #expect(body["total"] as? Int == 2)
                #expect(body["unread"] as? Int == 2)
                #expect(body["count"] as? Int == 2)
                #expect(body["messages_count"] as? Int == 2)
                #expect(body["start"] as? Int == 0)
                #expect((body["tags"] as? [Any])?.isEmpty == true)
                let messages = try #require(body["messages"] as? [[String: Any]])
                #expect(messages.map { $0["ID"] as? String } == [second, first])
                let row = messages[1]
                #expect(row["Subject"] as? String == "パスワード再登録")
                #expect(row["MessageID"] as? String == "abc.123@kenshu.example")
                #expect(row["Read"] as? Bool == false)
                let from = try #require(row["From"] as? [String: Any])
                #expect(from["Name"] as? String == "ケンシュ")
                #expect(from["Address"] as? String == "noreply@kenshu.example")
                #expect((row["To"] as? [[String: Any]])?.first?["Address"] as? String == "user@example.jp")
                for key in ["Cc", "Bcc", "ReplyTo", "Tags"] { #expect(row[key] is [Any], "\(key)") }
                #expect((row["Size"] as? Int ?? 0) > 0)
                #expect(row["Attachments"] as? Int == 0)
                #expect(row["Snippet"] as? String == "認証キー: 123456 よろしくお願いします。")
                let created = try #require(row["Created"] as? String)
                #expect(ISO8601DateFormatter.withFractions.date(from: created) != nil)
            }
            try await client.execute(uri: "/api/v1/messages?start=1&limit=1", method: .get) { response in
                let body = try object(response.body)
                #expect(body["count"] as? Int == 1)
                #expect(body["start"] as? Int == 1)
                #expect((body["messages"] as? [[String: Any]])?.first?["ID"] as? String == first)
            }
        }
    }

    @Test func japaneseMailsComeBackExactlyAndAreMarkedRead() async throws {
        let mailbox = try await MailTestMailbox.make()
        defer { mailbox.remove() }
        let utf8 = try await mailbox.deliver(MailTestMailbox.utf8Mail)
        let iso = try await mailbox.deliver(MailTestMailbox.iso2022JPMail, from: "taro@example.jp")
        try await mailbox.application().test(.router) { client in
            try await client.execute(uri: "/api/v1/message/\(utf8)", method: .get) { response in
                #expect(response.status == .ok)
                let body = try object(response.body)
                #expect(body["ID"] as? String == utf8)
                #expect(body["Subject"] as? String == "パスワード再登録")
                #expect(body["Text"] as? String == "認証キー: 123456\nよろしくお願いします。\n")
                #expect(body["HTML"] as? String == "")
                #expect(body["ReturnPath"] as? String == "sender@x.test")
                #expect(body["Date"] as? String == "2026-11-23T07:30:05.000Z")
                #expect((body["Attachments"] as? [Any])?.isEmpty == true)
                #expect((body["Inline"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: "/api/v1/message/latest", method: .get) { response in
                let body = try object(response.body)
                #expect(body["ID"] as? String == iso)
                #expect(body["Subject"] as? String == "パスワード再登録申込受付通知")
                #expect(body["Text"] as? String == "山田様\n\n認証キー: 483920\n")
                #expect((body["From"] as? [String: Any])?["Name"] as? String == "山田 太郎")
                #expect(body["ReturnPath"] as? String == "taro@example.jp")
            }
        }
        #expect(mailbox.store.unreadCount == 0)
    }

    @Test func rawHeadersAndPartDownloads() async throws {
        let mailbox = try await MailTestMailbox.make()
        defer { mailbox.remove() }
        let id = try await mailbox.deliver(MailTestMailbox.hostileMail)
        let stored = try #require(try await mailbox.store.rawMessage(id: id))
        try await mailbox.application().test(.router) { client in
            try await client.execute(uri: "/api/v1/message/\(id)/raw", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                #expect(response.body == stored)
            }
            try await client.execute(uri: "/api/v1/message/\(id)/raw?download=1", method: .get) { response in
                #expect(response.headers[.contentDisposition] == "attachment; filename=\"\(id).eml\"")
            }
            try await client.execute(uri: "/api/v1/message/\(id)/headers", method: .get) { response in
                let headers = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: [String]])
                #expect(headers["Subject"] == ["<script>alert(1)</script>"])
                #expect(headers["Delivered-To"] == ["rcpt@y.test"])
            }
            try await client.execute(uri: "/api/v1/message/\(id)", method: .get) { response in
                let body = try object(response.body)
                let attachments = try #require(body["Attachments"] as? [[String: Any]])
                #expect(attachments.count == 1)
                #expect(attachments.first?["FileName"] as? String == "履歴.txt")
                #expect(attachments.first?["PartID"] as? String == "2")
                #expect(attachments.first?["Size"] as? Int == 6)
                #expect((body["HTML"] as? String)?.contains("tracker.example") == true)
            }
            try await client.execute(uri: "/api/v1/message/\(id)/part/2", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "resume")
                #expect(response.headers[.contentDisposition] == "attachment; filename=\"__.txt\"; filename*=UTF-8''%E5%B1%A5%E6%AD%B4.txt")
            }
            try await client.execute(uri: "/api/v1/message/\(id)/part/9", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func searchFiltersByPrefixesAndFreeText() async throws {
        let mailbox = try await MailTestMailbox.make()
        defer { mailbox.remove() }
        let utf8 = try await mailbox.deliver(MailTestMailbox.utf8Mail)
        let iso = try await mailbox.deliver(MailTestMailbox.iso2022JPMail)
        let hostile = try await mailbox.deliver(MailTestMailbox.hostileMail)
        try await mailbox.store.setRead(true, ids: [iso])
        let cases: [(String, [String])] = [
            ("to:USER@example.jp", [utf8]),
            ("from:taro", [iso]),
            ("from:山田", [iso]),
            ("subject:申込", [iso]),
            ("subject:\"パスワード 再登録\"", []),
            ("パスワード", [iso, utf8]),
            ("パスワード is:unread", [utf8]),
            ("is:read", [iso]),
            ("123456", [utf8]),
            ("\"alert(1)\" from:evil", [hostile]),
            ("", [hostile, iso, utf8]),
        ]
        try await mailbox.application().test(.router) { client in
            for (query, expected) in cases {
                let encoded = query.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")) ?? ""
                try await client.execute(uri: "/api/v1/search?query=\(encoded)", method: .get) { response in
                    let body = try object(response.body)
                    let ids = (body["messages"] as? [[String: Any]] ?? []).compactMap { $0["ID"] as? String }
                    #expect(ids == expected, "\(query)")
                    #expect(body["messages_count"] as? Int == expected.count, "\(query)")
                    #expect(body["total"] as? Int == 3, "\(query)")
                }
            }
        }
    }

    @Test func putSetsReadStateAndDeleteRemoves() async throws {
        let mailbox = try await MailTestMailbox.make()
        defer { mailbox.remove() }
        let first = try await mailbox.deliver(MailTestMailbox.utf8Mail)
        let second = try await mailbox.deliver(MailTestMailbox.iso2022JPMail)
        let third = try await mailbox.deliver(MailTestMailbox.hostileMail)
        try await mailbox.application().test(.router) { client in
            try await client.execute(uri: "/api/v1/messages", method: .put,
                                     body: ByteBuffer(string: #"{"IDs":["\#(first)"],"Read":true}"#)) { response in
                #expect(response.status == .ok)
            }
            #expect(mailbox.store.message(id: first)?.isRead == true)
            #expect(mailbox.store.unreadCount == 2)
            try await client.execute(uri: "/api/v1/messages", method: .put, body: ByteBuffer(string: #"{"Read":true}"#)) { _ in }
            #expect(mailbox.store.unreadCount == 0)
            try await client.execute(uri: "/api/v1/messages", method: .put, body: ByteBuffer(string: #"{"Read":false"#)) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/v1/messages", method: .delete,
                                     body: ByteBuffer(string: #"{"IDs":["\#(second)"]}"#)) { response in
                #expect(response.status == .ok)
            }
            #expect(mailbox.store.count == 2)
            #expect(mailbox.store.message(id: second) == nil)
            #expect(mailbox.store.message(id: third) != nil)
            try await client.execute(uri: "/api/v1/messages", method: .delete) { response in
                #expect(response.status == .ok)
            }
            #expect(mailbox.store.count == 0)
            try await client.execute(uri: "/api/v1/message/\(first)", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            }
            try await client.execute(uri: "/api/v1/message/latest", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/message/nope/raw", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}

extension ISO8601DateFormatter {
    /// The RFC 3339 reader the tests check `Created` against.
    static var withFractions: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
