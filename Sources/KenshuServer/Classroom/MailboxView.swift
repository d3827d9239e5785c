import Foundation
import KenshuAccounts
import KenshuMail
import KenshuSite

/// site.yaml `live.mailbox`: which lines of a mail the phone mailbox boxes for copying.
struct MailboxSettings {
    /// Labels such as `認証キー`: a line `認証キー：K7N4Q2X9` shows its value large, selectable whole.
    var highlightLabels: [String]

    init(_ site: LiveSite) {
        let mailbox = site.settings["mailbox"] as? [String: Any]
        highlightLabels = (mailbox?["highlight"] as? [Any] ?? []).compactMap { LiveValues.string($0) }
    }
}

/// The phone mailbox's view models (`mailbox-*.mustache`), its stylesheet and its script.
enum MailboxView {
    static func layout(title: String, live: Bool = false) -> ToolLayout {
        ToolLayout(title: "\(title) — メール", inlineStyle: stylesheet, scripts: ["/mailbox/mailbox.js"], live: live ? "mailbox" : nil)
    }

    /// `11/30 22:51`: a phone list's short time, in Japan time.
    static func shortTime(_ date: Date) -> String {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: JapaneseDate.timeZone, from: date)
        return String(format: "%d/%d %02d:%02d", parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
    }

    static func sender(_ from: [MailAddress], fallback: String) -> String {
        guard let first = from.first else { return fallback }
        return first.name.isEmpty ? first.address : first.name
    }

    struct ListPage: ToolViewModel {
        struct Row: Sendable {
            var link: String
            var sender: String
            var subject: String
            var time: String
        }
        var layout = MailboxView.layout(title: "受信トレイ", live: true)
        var owner: String
        var rows: [Row]
        var isEmpty: Bool

        init(participant: Participant, messages: [MaildirStore.Message]) {
            owner = participant.email
            rows = messages.map { entry in
                let summary = MIMEMessage.headers(parsing: Array(entry.headerBlock.readableBytesView))
                return Row(link: "/mailbox/m/\(MailInboxView.urlComponent(entry.id))",
                           sender: MailboxView.sender(summary.from, fallback: entry.mailFrom),
                           subject: summary.subject.isEmpty ? "（件名なし）" : summary.subject,
                           time: MailboxView.shortTime(entry.receivedAt))
            }
            isEmpty = rows.isEmpty
        }
    }

    struct MessagePage: ToolViewModel {
        /// A line of the text; a highlighted one carries its label and value apart.
        struct Line: Sendable {
            var text: String
            var isHighlight: Bool
            var label: String
            var value: String
        }
        var layout = MailboxView.layout(title: "メール")
        var owner: String
        var subject: String
        var sender: String
        var senderAddress: String
        /// The sender has a display name, so the address follows it.
        var hasSenderName: Bool
        var time: String
        var lines: [Line]

        init(participant: Participant, entry: MaildirStore.Message, message: MIMEMessage, highlights: [String]) {
            owner = participant.email
            subject = message.subject.isEmpty ? "（件名なし）" : message.subject
            sender = MailboxView.sender(message.from, fallback: entry.mailFrom)
            senderAddress = message.from.first?.address ?? entry.mailFrom
            hasSenderName = sender != senderAddress
            time = JapaneseDate.manualMinute(message.date ?? entry.receivedAt)
            lines = (message.text ?? "").components(separatedBy: .newlines).map { text in
                for label in highlights where text.hasPrefix(label) {
                    let rest = text.dropFirst(label.count)
                    guard let separator = rest.first, separator == "：" || separator == ":" else { continue }
                    let value = rest.dropFirst().trimmingCharacters(in: .whitespaces)
                    if !value.isEmpty { return Line(text: text, isHighlight: true, label: label, value: value) }
                }
                return Line(text: text, isHighlight: false, label: "", value: "")
            }
        }
    }

    struct MissingPage: ToolViewModel {
        var layout = MailboxView.layout(title: "メールを開けません")
    }

    /// Reloads the list when the participant's mail arrives; copies a highlighted value. The
    /// Clipboard API needs a secure context, which a classroom's http:// address is not, so the
    /// value is also selectable as a whole (`user-select: all`) and copied by selection.
    static let script = #"""
    (function () {
      "use strict";
      if (document.body.dataset.live === "mailbox" && window.EventSource) {
        new EventSource("/mailbox/events").addEventListener("mail", function () { location.reload(); });
      }
      document.querySelectorAll("[data-copy]").forEach(function (button) {
        button.hidden = false;
        button.addEventListener("click", function () {
          var value = document.getElementById(button.getAttribute("data-copy"));
          var done = function () { button.textContent = "コピーしました"; };
          var range = document.createRange();
          range.selectNodeContents(value);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          if (navigator.clipboard && window.isSecureContext) {
            navigator.clipboard.writeText(value.textContent).then(done);
          } else if (document.execCommand && document.execCommand("copy")) {
            done();
          }
        });
      });
    })();
    """#

    /// A phone mail app at 390 px: one column, large touch targets, system colours.
    static let stylesheet: StaticString = """
        body { margin: 0; font-family: "Noto Sans CJK JP", system-ui, sans-serif; background: #f2f2f7; color: #111; }
        .mb-bar { position: sticky; top: 0; background: #fff; border-bottom: 1px solid #ccc; padding: 12px 16px; }
        .mb-bar h1 { font-size: 1.25rem; margin: 0; }
        .mb-owner { font-size: .8rem; color: #555; margin: 2px 0 0; word-break: break-all; }
        .mb-back { display: inline-block; padding: 8px 0; color: #0a58ca; text-decoration: none; font-size: 1rem; }
        .mb-list { list-style: none; margin: 0; padding: 0; background: #fff; }
        .mb-list li { border-bottom: 1px solid #ddd; }
        .mb-list a { display: block; padding: 12px 16px; color: inherit; text-decoration: none; min-height: 44px; }
        .mb-row { display: flex; justify-content: space-between; gap: 8px; }
        .mb-sender { font-weight: bold; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        .mb-time { color: #555; font-size: .85rem; white-space: nowrap; }
        .mb-subject { margin-top: 2px; }
        .mb-empty { padding: 24px 16px; color: #555; }
        .mb-mail { background: #fff; padding: 12px 16px 24px; }
        .mb-mail h2 { font-size: 1.2rem; margin: 8px 0; }
        .mb-from, .mb-date { color: #333; font-size: .9rem; margin: 2px 0; word-break: break-all; }
        .mb-text { margin-top: 16px; line-height: 1.7; word-break: break-all; }
        .mb-text p { margin: 0; min-height: 1.7em; }
        .mb-key { margin: 12px 0; padding: 12px; border: 3px solid #d00; border-radius: 8px; background: #fff7f7; }
        .mb-key-label { font-size: .9rem; font-weight: bold; }
        .mb-key-value { display: block; font: bold 1.8rem/1.3 ui-monospace, monospace; letter-spacing: .08em; user-select: all; -webkit-user-select: all; margin: 4px 0 8px; }
        .mb-copy { font-size: 1rem; padding: 10px 16px; min-height: 44px; border-radius: 8px; border: 1px solid #888; background: #fff; }
        """
}
