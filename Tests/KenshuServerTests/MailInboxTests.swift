import Foundation
import Hummingbird
import HummingbirdTesting
import KenshuMail
import Testing

@testable import KenshuServer

/// The server-rendered inbox: escaping, sandboxing, CSRF and the read/delete flows.
struct MailInboxTests {
    @Test func listEscapesSubjectsAndMarksUnread() async throws {
        let mailbox = try await MailTestMailbox.make()
        defer { mailbox.remove() }
        let utf8 = try await mailbox.deliver(MailTestMailbox.utf8Mail)
        try await mailbox.deliver(MailTestMailbox.hostileMail)
        try await mailbox.store.setRead(true, ids: [utf8])
        try await mailbox.application().test(.router) { client in
            try await client.execute(uri: "/mail", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let html = String(buffer: response.body)
                #expect(html.contains(#"<html lang="ja">"#))
                #expect(html.contains(#"<meta name="robots" content="noindex">"#))
                #expect(!html.contains("<script>alert(1)</script>"))
                #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
                #expect(!html.contains("<script>"))
                for column in ["差出人", "宛先", "件名", "受信日時", "サイズ"] { #expect(html.contains(column), "\(column)") }
                #expect(html.components(separatedBy: #"<tr class="unread">"#).count == 2)
                #expect(html.components(separatedBy: #"<tr class="read">"#).count == 2)
                #expect(html.contains("未読"))
                // Newest first: the hostile mail came second.
                let hostileAt = try #require(html.range(of: "&lt;script&gt;")).lowerBound
                let utf8At = try #require(html.range(of: "パスワード再登録")).lowerBound
                #expect(hostileAt < utf8At)
            }
            try await client.execute(uri: "/mail?q=subject%3A%E3%83%91%E3%82%B9", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("パスワード再登録"))
                #expect(!html.contains("alert(1)"))
                #expect(html.contains(#"value="subject:パス""#))
            }
            try await client.execute(uri: "/mail/inbox.css", method: .get) { response in
                #expect(response.headers[.contentType] == "text/css; charset=utf-8")
            }
            try await client.execute(uri: "/mail/inbox.js", method: .get) { response in
                #expect(String(buffer: response.body).contains(#"kenshuEvents.on("mail-added""#))
            }
        }
    }

    @Test func messagePageSandboxesHTMLAndMarksRead() async throws {
        let mailbox = try await MailTestMailbox.make()
        defer { mailbox.remove() }
        let id = try await mailbox.deliver(MailTestMailbox.hostileMail)
        try await mailbox.application().test(.router) { client in
            try await client.execute(uri: "/mail/\(id)", method: .get) { response in
                #expect(response.status == .ok)
                let policy = try #require(response.headers[.contentSecurityPolicy])
                #expect(policy.contains("default-src 'none'"))
                #expect(!policy.contains("https:"))
                let html = String(buffer: response.body)
                #expect(html.contains(#"<html lang="ja">"#))
                #expect(html.contains(#"<iframe class="mail-html" title="HTML 本文" sandbox="" "#))
                #expect(!html.contains("allow-scripts"))
                #expect(!html.contains("allow-same-origin"))
                #expect(html.contains("srcdoc=\"&lt;meta http-equiv=&quot;Content-Security-Policy&quot; content=&quot;default-src &#39;none&#39;; img-src data: cid:; style-src &#39;unsafe-inline&#39;&quot;&gt;&lt;p onclick="))
                #expect(!html.contains("<p onclick"))
                #expect(html.contains("/api/v1/message/\(id)/part/2"))
                #expect(html.contains("/api/v1/message/\(id)/raw?download=1"))
                #expect(html.contains("履歴.txt"))
                #expect(html.contains(#"<form method="post" action="/mail/\#(id)/delete">"#))
            }
            try await client.execute(uri: "/mail/missing", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
        #expect(mailbox.store.message(id: id)?.isRead == true)
    }

    @Test func deleteFormsRequireSameOrigin() async throws {
        let mailbox = try await MailTestMailbox.make()
        defer { mailbox.remove() }
        let first = try await mailbox.deliver(MailTestMailbox.utf8Mail)
        try await mailbox.deliver(MailTestMailbox.iso2022JPMail)
        try await mailbox.application().test(.router) { client in
            try await client.execute(uri: "/mail/\(first)/delete", method: .post) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/mail/\(first)/delete", method: .post,
                                     headers: [.origin: "http://evil.example"]) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/mail/delete-all", method: .post,
                                     headers: [MailInbox.secFetchSite!: "cross-site"],
                                     body: ByteBuffer(string: "confirm=yes")) { response in
                #expect(response.status == .forbidden)
            }
            #expect(mailbox.store.count == 2)
            try await client.execute(uri: "/mail/\(first)/delete", method: .post,
                                     headers: [.origin: "http://localhost"]) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/mail")
            }
            #expect(mailbox.store.count == 1)
            try await client.execute(uri: "/mail/delete-all", method: .post,
                                     headers: [MailInbox.secFetchSite!: "same-origin"]) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/mail/delete-all")
            }
            #expect(mailbox.store.count == 1)
            try await client.execute(uri: "/mail/delete-all", method: .get) { response in
                #expect(String(buffer: response.body).contains(#"name="confirm" value="yes""#))
            }
            try await client.execute(uri: "/mail/delete-all", method: .post,
                                     headers: [MailInbox.secFetchSite!: "same-origin"],
                                     body: ByteBuffer(string: "confirm=yes")) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/mail")
            }
            #expect(mailbox.store.count == 0)
        }
    }

    @Test func serverSentEventsNameTheNewMessage() {
        // On the browser's one stream, beside the site's events: prefixed with `mail-`.
        #expect(BrowserEvents.serverSentEvent(.added("abc")) == "event: mail-added\ndata: abc\n\n")
        #expect(BrowserEvents.serverSentEvent(.changed) == "event: mail-changed\ndata: \n\n")
    }
}
