import Foundation
import KenshuMail
import KenshuSite
import Logging

/// Sends the flows' mails (the 認証キー) over real SMTP: to the built-in sink, or to the relay
/// given by `--smtp-relay`. Subjects, senders and bodies come from site.yaml `live.mails` and
/// the templates it names.
public struct FlowMailer: Sendable {
    public var host: String
    public var port: Int
    let logger: Logger

    public init(host: String, port: Int, logger: Logger = Logger(label: "kenshu.mail")) {
        self.host = host
        self.port = port
        self.logger = logger
    }

    /// A mail named in `live.mails` (e.g. `password_reset`) to `recipient`; `values` fill its
    /// template. Failing to send is logged for the trainer, never shown to the participant: the
    /// screen must look the same whether or not a mail went out.
    @discardableResult
    func send(_ name: String, to recipient: String, values: [String: String], site: LiveSite) async -> Bool {
        guard let mails = site.settings["mails"] as? [String: Any], let mail = mails[name] as? [String: Any],
              let from = LiveValues.string(mail["from"]), let subject = LiveValues.string(mail["subject"]),
              let template = LiveValues.string(mail["template"]),
              let body = site.renderText(template: template, values: values) else {
            logger.error("site.yaml live.mails.\(name) needs from, subject and template")
            return false
        }
        let message = OutgoingMessage(from: from, to: recipient, subject: subject, body: body)
        do {
            try await SMTPClient.send(from: from, to: [recipient], message: message.rendered, host: host, port: port)
            return true
        } catch {
            logger.error("could not send \(name) mail to \(recipient) via \(host):\(port): \(error)")
            return false
        }
    }
}

/// Reading Content values (`ContentString`, `Int`, `Bool`) without caring which.
enum LiveValues {
    static func string(_ value: Any?) -> String? {
        switch value {
        case let text as ContentString: text.value
        case let text as String: text
        case let number as Int: String(number)
        default: nil
        }
    }

    static func bool(_ value: Any?) -> Bool { (value as? Bool) ?? false }

    static func int(_ value: Any?) -> Int? {
        switch value {
        case let number as Int: number
        case let text as ContentString: Int(text.value)
        default: nil
        }
    }

    static func dictionaries(_ value: Any?) -> [[String: Any]] {
        (value as? [Any])?.compactMap { $0 as? [String: Any] } ?? []
    }
}
