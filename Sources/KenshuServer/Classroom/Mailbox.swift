import Foundation
import Hummingbird
import KenshuAccounts
import KenshuMail

/// `/mailbox`: a participant's own mails, as a phone's mail app shows them — the list newest
/// first (new mail appears without a reload), one mail with its 認証キー easy to copy.
///
/// Access is the participant's secret from their card (`/join/SECRET?to=mailbox` sets the
/// cookie). Without it, or with anyone else's, the answer is the same page that shows nothing;
/// no route lists participants, and a mail not addressed to this participant is "not found"
/// exactly like a mail that does not exist.
enum Mailbox {
    static func add(to router: Router<KenshuRequestContext>, store: MaildirStore, flows flowsSwitch: FlowsSwitch,
                    views: ToolViews) {
        router.get("/mailbox") { request, _ in
            guard let flows = flowsSwitch.flows, let participant = try await Classroom.participant(in: request, flows: flows) else {
                return missing(views)
            }
            let messages = store.messages(addressedTo: participant.email)
            return views.response(.mailboxList, MailboxView.ListPage(participant: participant, messages: messages),
                                  headers: SecurityHeaders.mailboxPage)
        }
        router.get("/mailbox/m/:id") { request, context in
            guard let flows = flowsSwitch.flows, let participant = try await Classroom.participant(in: request, flows: flows),
                  let id = context.parameters.get("id"), let entry = store.message(id: id),
                  entry.isAddressed(to: participant.email.lowercased()),
                  let raw = try await store.rawMessage(id: id) else {
                return missing(views)
            }
            let message = MIMEMessage(parsing: Array(raw.readableBytesView))
            let highlights = flows.table.site.map { MailboxSettings($0).highlightLabels } ?? []
            return views.response(.mailboxMessage,
                                  MailboxView.MessagePage(participant: participant, entry: entry, message: message, highlights: highlights),
                                  headers: SecurityHeaders.mailboxPage)
        }
        router.get("/mailbox/events") { request, _ in
            guard let flows = flowsSwitch.flows, let participant = try await Classroom.participant(in: request, flows: flows) else {
                return missing(views)
            }
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                            body: .init(asyncSequence: events(for: participant.email, store: store)))
        }
        router.get("/mailbox/mailbox.js") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache"],
                     body: .init(byteBuffer: ByteBuffer(string: MailboxView.script)))
        }
    }

    /// `mail` each time a mail for `recipient` arrives; nothing about anyone else's.
    static func events(for recipient: String, store: MaildirStore) -> AsyncStream<ByteBuffer> {
        let wanted = recipient.lowercased()
        let source = store.events()
        return AsyncStream { continuation in
            continuation.yield(ByteBuffer(string: ": kenshu mailbox\n\n"))
            let forward = Task {
                for await event in source {
                    if case .added(let id) = event, store.message(id: id)?.isAddressed(to: wanted) == true {
                        continuation.yield(ByteBuffer(string: "event: mail\ndata: \n\n"))
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in forward.cancel() }
        }
    }

    /// What a browser without a (valid) card sees: no list, no names, the same for every reason.
    static func missing(_ views: ToolViews) -> Response {
        views.response(.mailboxMissing, MailboxView.MissingPage(), status: .notFound, headers: SecurityHeaders.mailboxPage)
    }
}
