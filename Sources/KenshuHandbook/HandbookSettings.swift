import Foundation
import KenshuSite

/// The handbook's own words and the mail samples, from `site.yaml`'s `handbook:` block:
/// ```yaml
/// handbook:
///   title: 求職者マイページ 操作手順書
///   mails:
///     password-reset:          # templates/mail/password-reset.mustache, as a step's `mail:`
///       mail: password_reset   # live.mails entry: from and subject
///       to: asu.yuki@example.jp
///       date: 2021年09月21日 10時00分
///       values: { email: asu.yuki@example.jp, key: K7N4Q2X9, expires: 2021年09月21日 10時50分 }
/// ```
struct HandbookSettings: Sendable {
    var title: String
    var siteTitle: String
    var banner: String
    var mails: [String: MailSample]

    struct MailSample: Sendable {
        var from: String
        var to: String
        var subject: String
        var date: String
        var values: [String: String]
    }

    init(content: Content) throws {
        let site = content.configuration.values
        func text(_ value: Any?) -> String? { (value as? ContentString)?.value ?? (value as? String) }
        guard let handbook = site["handbook"] as? [String: Any], let title = text(handbook["title"]) else {
            throw HandbookError.missingConfiguration("\(content.displayRoot)/site.yaml needs a `handbook:` block with `title:` (and `mails:` for mail steps)")
        }
        self.title = title
        siteTitle = text(site["title"]) ?? ""
        banner = text(site["banner"]) ?? ""
        let liveMails = ((site["live"] as? [String: Any])?["mails"] as? [String: Any]) ?? [:]
        var mails: [String: MailSample] = [:]
        for (name, value) in (handbook["mails"] as? [String: Any]) ?? [:] {
            guard let sample = value as? [String: Any], let mailName = text(sample["mail"]),
                  let live = liveMails[mailName] as? [String: Any], let from = text(live["from"]), let subject = text(live["subject"])
            else {
                throw HandbookError.missingConfiguration("\(content.displayRoot)/site.yaml: handbook.mails.\(name) needs `mail:` naming an entry of live.mails (with from and subject)")
            }
            let values = ((sample["values"] as? [String: Any]) ?? [:]).compactMapValues(text)
            mails[name] = MailSample(from: from, to: text(sample["to"]) ?? "", subject: subject,
                                     date: text(sample["date"]) ?? "", values: values)
        }
        self.mails = mails
    }
}
