import Foundation
import Hummingbird
import KenshuMail

/// The Mailpit v1-compatible JSON API under `/api/v1`, so existing Mailpit clients and test
/// helpers work unchanged.
extension MailRoutes {
    /// The largest request body accepted by the JSON API; an id list for 5,000 messages fits easily.
    static let maximumRequestBody = 1 << 20

    /// Registers the `/api/v1` endpoints.
    static func addAPI(to router: Router<KenshuRequestContext>, store: MaildirStore) {
        router.get("/api/v1/messages") { request, _ in
            let start = max(0, request.uri.queryParameters.get("start", as: Int.self) ?? 0)
            let limit = clampedLimit(request.uri.queryParameters.get("limit", as: Int.self))
            let page = store.messages(start: start, limit: limit)
            return json(MessageListJSON(store: store, matching: store.count, start: start, page: await parsed(page, in: store)))
        }
        router.get("/api/v1/search") { request, _ in
            let search = MailSearch(parsing: request.uri.queryParameters.get("query").map { String($0) } ?? "")
            let start = max(0, request.uri.queryParameters.get("start", as: Int.self) ?? 0)
            let limit = clampedLimit(request.uri.queryParameters.get("limit", as: Int.self))
            let matching = await matchingMessages(store: store, search: search)
            let page = Array(matching.dropFirst(start).prefix(limit))
            return json(MessageListJSON(store: store, matching: matching.count, start: start, page: await parsed(page, in: store)))
        }
        router.get("/api/v1/message/:id") { _, context in
            guard let entry = resolve(context.parameters.get("id"), in: store),
                  let raw = try await store.rawMessage(id: entry.id)
            else { return notFound() }
            if !entry.isRead { try await store.setRead(true, ids: [entry.id]) }
            let message = MIMEMessage(parsing: Array(raw.readableBytesView))
            return json(MessageJSON(entry: entry, message: message))
        }
        router.get("/api/v1/message/:id/raw") { request, context in
            guard let entry = resolve(context.parameters.get("id"), in: store),
                  let raw = try await store.rawMessage(id: entry.id)
            else { return notFound() }
            var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
            if request.uri.queryParameters.get("download") == "1" {
                headers[.contentType] = "message/rfc822"
                headers[.contentDisposition] = contentDisposition(fileName: "\(entry.id).eml")
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: raw))
        }
        router.get("/api/v1/message/:id/headers") { _, context in
            guard let entry = resolve(context.parameters.get("id"), in: store),
                  let raw = try await store.rawMessage(id: entry.id)
            else { return notFound() }
            var grouped: [String: [String]] = [:]
            for header in MIMEMessage(parsing: Array(raw.readableBytesView)).headers {
                grouped[header.name, default: []].append(header.value)
            }
            return json(grouped)
        }
        router.get("/api/v1/message/:id/part/:part") { _, context in
            guard let entry = resolve(context.parameters.get("id"), in: store),
                  let partID = context.parameters.get("part"),
                  let raw = try await store.rawMessage(id: entry.id)
            else { return notFound() }
            let message = MIMEMessage(parsing: Array(raw.readableBytesView))
            guard let part = (message.attachments + message.inline).first(where: { $0.partID == partID }) else {
                return notFound()
            }
            let fileName = part.fileName.isEmpty ? "part-\(part.partID)" : part.fileName
            let headers: HTTPFields = [
                .contentType: part.contentType.isEmpty ? "application/octet-stream" : part.contentType,
                .contentDisposition: contentDisposition(fileName: fileName),
                .init("X-Content-Type-Options")!: "nosniff",
            ]
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: part.data)))
        }
        router.delete("/api/v1/messages") { request, _ in
            guard let body = try await decodeBody(IDListJSON.self, from: request) else { return badRequest() }
            let ids = body.IDs ?? []
            if ids.isEmpty { try await store.deleteAll() } else { try await store.delete(ids: ids) }
            return plain("ok")
        }
        router.put("/api/v1/messages") { request, _ in
            guard let body = try await decodeBody(ReadStateJSON.self, from: request) else { return badRequest() }
            let ids = body.IDs ?? []
            let targets = ids.isEmpty ? store.messages(start: 0, limit: max(store.count, 1)).map(\.id) : ids
            try await store.setRead(body.Read ?? false, ids: targets)
            return plain("ok")
        }
    }

    /// The page's messages with their bodies parsed: the list rows carry a snippet and an
    /// attachment count as Mailpit's do. Only one page (at most `clampedLimit`) is read.
    static func parsed(_ page: [MaildirStore.Message], in store: MaildirStore) async -> [(MaildirStore.Message, MIMEMessage?)] {
        var rows: [(MaildirStore.Message, MIMEMessage?)] = []
        for entry in page {
            let raw = try? await store.rawMessage(id: entry.id)
            rows.append((entry, raw.map { MIMEMessage(parsing: Array($0.readableBytesView)) }))
        }
        return rows
    }

    /// The index entry for a path id, where `latest` means the newest message as in Mailpit.
    static func resolve(_ id: String?, in store: MaildirStore) -> MaildirStore.Message? {
        guard let id else { return nil }
        if id == "latest" { return store.messages(start: 0, limit: 1).first }
        return store.message(id: id)
    }

    /// Mailpit's default page size is 50; the cap keeps one response bounded.
    static func clampedLimit(_ limit: Int?) -> Int {
        min(max(limit ?? 50, 1), 5000)
    }

    /// `attachment` with a plain ASCII `filename` and, for other names, an RFC 5987 `filename*`.
    static func contentDisposition(fileName: String) -> String {
        let ascii = String(fileName.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && scalar.value >= 0x20 && scalar != "\"" && scalar != "\\" && scalar.value != 0x7F
                ? Character(scalar) : "_"
        })
        if ascii == fileName { return "attachment; filename=\"\(ascii)\"" }
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(0x80)))
        allowed.insert(charactersIn: "!#$&+-.^_`|~")
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    /// Decodes a JSON body; an empty body decodes as `{}`, malformed JSON yields nil (→ 400).
    static func decodeBody<Body: Decodable>(_ type: Body.Type, from request: Request) async throws -> Body? {
        let buffer = try await request.body.collect(upTo: maximumRequestBody)
        let bytes = Data(buffer.readableBytesView)
        let isBlank = bytes.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        return try? JSONDecoder().decode(Body.self, from: isBlank ? Data("{}".utf8) : bytes)
    }

    /// A JSON response.
    static func json(_ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A plain-text response, as Mailpit sends for `ok` and errors.
    static func plain(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }

    /// Mailpit's 404 for an unknown message or part.
    static func notFound() -> Response { plain("Message not found", status: .notFound) }

    /// Mailpit's 400 for a body that is not the expected JSON.
    static func badRequest() -> Response { plain("Bad request: invalid JSON", status: .badRequest) }
}

// Wire shapes. Property names are Mailpit's JSON field names verbatim, so clients written for
// Mailpit decode these responses unchanged.
extension MailRoutes {
    /// `{"Name","Address"}`.
    struct AddressJSON: Encodable {
        var Name: String
        var Address: String

        init(_ address: MailAddress) {
            Name = address.name
            Address = address.address
        }

        static func list(_ addresses: [MailAddress]) -> [AddressJSON] { addresses.map(AddressJSON.init) }
    }

    /// One row of `/api/v1/messages` and `/api/v1/search`.
    struct MessageSummaryJSON: Encodable {
        var ID: String
        var MessageID: String
        var Read: Bool
        var From: AddressJSON
        var To: [AddressJSON]
        var Cc: [AddressJSON]
        var Bcc: [AddressJSON]
        var ReplyTo: [AddressJSON]
        var Subject: String
        var Created: String
        var Tags: [String]
        var Size: Int
        var Attachments: Int
        var Snippet: String

        init(entry: MaildirStore.Message, message: MIMEMessage?) {
            let summary = MIMEMessage.headers(parsing: Array(entry.headerBlock.readableBytesView))
            ID = entry.id
            MessageID = summary.messageID
            Read = entry.isRead
            From = AddressJSON(summary.from.first ?? MailAddress(name: "", address: entry.mailFrom))
            To = AddressJSON.list(summary.to)
            Cc = AddressJSON.list(summary.cc)
            Bcc = AddressJSON.list(summary.bcc)
            ReplyTo = AddressJSON.list(summary.replyTo)
            Subject = summary.subject
            Created = MailRoutes.rfc3339(entry.receivedAt)
            Tags = []
            Size = entry.size
            Attachments = message?.attachments.count ?? 0
            Snippet = message?.snippet ?? ""
        }
    }

    /// The body of `/api/v1/messages` and `/api/v1/search`.
    struct MessageListJSON: Encodable {
        var total: Int
        var unread: Int
        var count: Int
        var messages_count: Int
        var start: Int
        var tags: [String]
        var messages: [MessageSummaryJSON]

        init(store: MaildirStore, matching: Int, start: Int, page: [(MaildirStore.Message, MIMEMessage?)]) {
            total = store.count
            unread = store.unreadCount
            count = page.count
            messages_count = matching
            self.start = start
            tags = []
            messages = page.map { MessageSummaryJSON(entry: $0.0, message: $0.1) }
        }
    }

    /// `{"PartID","FileName","ContentType","ContentID","Size"}`.
    struct AttachmentJSON: Encodable {
        var PartID: String
        var FileName: String
        var ContentType: String
        var ContentID: String
        var Size: Int

        init(_ attachment: MIMEAttachment) {
            PartID = attachment.partID
            FileName = attachment.fileName
            ContentType = attachment.contentType
            ContentID = attachment.contentID
            Size = attachment.size
        }
    }

    /// The body of `/api/v1/message/{ID}`.
    struct MessageJSON: Encodable {
        var ID: String
        var MessageID: String
        var From: AddressJSON
        var To: [AddressJSON]
        var Cc: [AddressJSON]
        var Bcc: [AddressJSON]
        var ReplyTo: [AddressJSON]
        var ReturnPath: String
        var Subject: String
        var Date: String
        var Tags: [String]
        var Text: String
        var HTML: String
        var Size: Int
        var Inline: [AttachmentJSON]
        var Attachments: [AttachmentJSON]

        init(entry: MaildirStore.Message, message: MIMEMessage) {
            ID = entry.id
            MessageID = message.messageID
            From = AddressJSON(message.from.first ?? MailAddress(name: "", address: entry.mailFrom))
            To = AddressJSON.list(message.to)
            Cc = AddressJSON.list(message.cc)
            Bcc = AddressJSON.list(message.bcc)
            ReplyTo = AddressJSON.list(message.replyTo)
            ReturnPath = entry.mailFrom
            Subject = message.subject
            Date = MailRoutes.rfc3339(message.date ?? entry.receivedAt)
            Tags = []
            Text = message.text ?? ""
            HTML = message.html ?? ""
            Size = entry.size
            Inline = message.inline.map(AttachmentJSON.init)
            Attachments = message.attachments.map(AttachmentJSON.init)
        }
    }

    /// `DELETE /api/v1/messages` body.
    struct IDListJSON: Decodable {
        var IDs: [String]?
    }

    /// `PUT /api/v1/messages` body.
    struct ReadStateJSON: Decodable {
        var IDs: [String]?
        var Read: Bool?
    }

    /// RFC 3339 with milliseconds in UTC, as Mailpit writes `Created` and `Date`.
    static func rfc3339(_ date: Foundation.Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
