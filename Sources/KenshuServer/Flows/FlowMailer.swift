import Foundation
import KenshuMail
import KenshuSite
import Logging
import ServiceLifecycle

/// Sends the flows' mails (the 認証キー) over real SMTP: to the built-in sink, or to the relay
/// given by `--smtp-relay`. Subjects, senders and bodies come from site.yaml `live.mails` and
/// the templates it names.
///
/// A handler only queues the mail (`enqueue`), so the answer takes as long whether or not a mail
/// goes out (an unknown ID must not be told apart by timing); the mailer is a service of the
/// server's group that sends the queue in order and, on shutdown, sends what is still queued.
public final class FlowMailer: Service, Sendable {
    public let host: String
    public let port: Int
    let logger: Logger
    private let queue: AsyncStream<Mail>
    private let continuation: AsyncStream<Mail>.Continuation

    struct Mail: Sendable {
        var name: String
        var recipient: String
        var values: [String: String]
        var site: LiveSite
    }

    public init(host: String, port: Int, logger: Logger = Logger(label: "kenshu.mail")) {
        self.host = host
        self.port = port
        self.logger = logger
        (queue, continuation) = AsyncStream.makeStream(of: Mail.self)
    }

    /// A mail named in `live.mails` (e.g. `password_reset`) to `recipient`; `values` fill its template.
    func enqueue(_ name: String, to recipient: String, values: [String: String], site: LiveSite) {
        continuation.yield(Mail(name: name, recipient: recipient, values: values, site: site))
    }

    /// Sends the queue until the server shuts down, then what was queued before.
    public func run() async throws {
        await withGracefulShutdownHandler {
            for await mail in queue { await send(mail) }
        } onGracefulShutdown: { [continuation] in
            continuation.finish()
        }
    }

    /// Failing to send is logged for the trainer, never shown to the participant: the screen
    /// must look the same whether or not a mail went out.
    private func send(_ mail: Mail) async {
        guard let mails = mail.site.settings["mails"] as? [String: Any], let entry = mails[mail.name] as? [String: Any],
              let from = LiveValues.string(entry["from"]), let subject = LiveValues.string(entry["subject"]),
              let template = LiveValues.string(entry["template"]),
              let body = mail.site.renderText(template: template, values: mail.values) else {
            logger.error("site.yaml live.mails.\(mail.name) needs from, subject and template")
            return
        }
        let message = OutgoingMessage(from: from, to: mail.recipient, subject: subject, body: body)
        do {
            try await SMTPClient.send(from: from, to: [mail.recipient], message: message.rendered, host: host, port: port)
        } catch {
            logger.error("could not send \(mail.name) mail to \(mail.recipient) via \(host):\(port): \(error)")
        }
    }
}
