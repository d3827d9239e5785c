import Foundation
import KenshuSite
import Mustache

/// A step's mail as the inbox shows it (`templates/handbook/mail.mustache`), written as a page of
/// the built site so the camera shoots it like any screen. The body comes from the same mail
/// template the server sends, with `site.yaml`'s sample values; a step's target names a value
/// (`key`), and the line that shows it carries that name as its `data-step`.
struct MailView: Sendable {
    let site: URL

    init(content: Content, settings: HandbookSettings, site: URL) throws {
        self.site = site
        let mailNames = Set(content.procedures.flatMap(\.steps).compactMap { step -> String? in
            if case .mail(let name, _) = step.screen { return name } else { return nil }
        })
        var problems: [ContentError] = []
        for name in mailNames.sorted() {
            guard let sample = settings.mails[name] else {
                let step = content.procedures.flatMap(\.steps).first { if case .mail(name, _) = $0.screen { true } else { false } }
                problems.append(ContentError(step?.screen.location ?? SourceLocation(path: content.displayRoot + "/site.yaml"),
                                             "mail `\(name)` has no sample in site.yaml's handbook.mails.\(name)"))
                continue
            }
            let body = content.library.getTemplate(named: "mail/\(name)")?
                .render(content.textContext(sample.values), library: content.library) ?? ""
            for edition in content.configuration.editions {
                let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map { line -> [String: Any] in
                    let step = sample.values.first { !$0.value.isEmpty && line.contains($0.value) }?.key
                    return ["text": String(line), "step": step ?? "", "has_step": step != nil]
                }
                let context: [String: Any] = [
                    "from": sample.from, "to": sample.to, "subject": sample.subject, "date": sample.date,
                    "lines": lines, "banner": settings.banner, "root": "../",
                ]
                guard let html = content.library.getTemplate(named: "handbook/mail")?.render(context, library: content.library) else {
                    problems.append(ContentError(SourceLocation(path: content.displayRoot + "/templates/handbook/mail.mustache"),
                                                 "the handbook's mail view is missing"))
                    break
                }
                let path = "\(edition.id)/_handbook-mail-\(name).html"
                try Data(html.utf8).write(to: site.appendingPathComponent(path))
            }
            // A target must name one of the sample's values: the line that shows it is boxed.
            for procedure in content.procedures {
                for step in procedure.steps {
                    guard case .mail(name, _) = step.screen else { continue }
                    for target in step.targets.values.joined() where sample.values[target.name] == nil {
                        problems.append(ContentError(target.location, "mail target `\(target.name)` is not a value of handbook.mails.\(name) (\(sample.values.keys.sorted().joined(separator: ", ")))"))
                    }
                }
            }
        }
        if !problems.isEmpty { throw HandbookError.content(problems) }
    }

    /// The page the camera opens for `mail` in `edition`.
    func url(edition: String, mail: String) -> URL {
        site.appendingPathComponent("\(edition)/_handbook-mail-\(mail).html")
    }
}
