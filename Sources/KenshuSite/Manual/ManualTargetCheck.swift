import Foundation

/// The build step that ties the manual to the screens: every step's screen is a page of each
/// edition the step is in, and every element it boxes (`targets`, `open`, `callouts`) is named by a
/// `data-step` attribute in the templates and present on that page in that edition. Whether a
/// target is visible at its layout's width needs a browser: `kenshu handbook` checks that.
struct ManualTargetCheck {
    let content: Content

    /// `files`: the rendered site, path under Output/ → bytes.
    func problems(files: [String: Data]) -> [ContentError] {
        let named = Self.namesInTemplates(content.templates.values.map(\.text))
        var namesOnPage: [String: Set<String>] = [:]
        func names(on path: String) -> Set<String>? {
            if let known = namesOnPage[path] { return known }
            guard let data = files[path] else { return nil }
            let found = Self.dataStepNames(in: String(decoding: data, as: UTF8.self))
            namesOnPage[path] = found
            return found
        }
        var problems: [ContentError] = []
        var reported = Set<String>()
        func report(_ location: SourceLocation, _ message: String) {
            if reported.insert("\(location) \(message)").inserted { problems.append(ContentError(location, message)) }
        }
        let editions = content.configuration.editions.map(\.id)
        for procedure in content.procedures {
            for step in procedure.steps {
                for edition in editions where procedure.editions.contains(edition) && step.editions.contains(edition) {
                    if step.text.text(for: edition) == nil {
                        report(step.location, "this step has no `text` for edition \(edition)")
                    }
                    switch step.screen {
                    case .mail(let name, let location):
                        if content.templates["mail/\(name)"] == nil {
                            report(location, "there is no mail template \(content.displayRoot)/templates/mail/\(name).mustache")
                        }
                    case .page(let page, let location):
                        let path = "\(edition)/\(page)"
                        guard let present = names(on: path) else {
                            report(location, "there is no page \(page) in edition \(edition) (Output/\(path))")
                            continue
                        }
                        for layout in ManualLayout.allCases where step.layouts.contains(layout) {
                            let targets = (step.targets[layout] ?? []) + step.open
                                + step.callouts.filter { $0.applies(edition: edition, layout: layout) }.compactMap { $0.target[layout] }
                            for target in targets {
                                if !named.contains(target.name) {
                                    report(target.location, "unknown target `\(target.name)`: no template has data-step=\"\(target.name)\"")
                                } else if !present.contains(target.name) {
                                    report(target.location, "target `\(target.name)` is not on \(page) in edition \(edition) (no element with data-step=\"\(target.name)\")")
                                }
                            }
                        }
                    }
                }
            }
        }
        return problems
    }

    /// The `data-step` names an HTML text carries (an attribute may hold several, space-separated).
    static func dataStepNames(in html: String) -> Set<String> {
        var names = Set<String>()
        var rest = html[...]
        while let start = rest.range(of: "data-step=\"") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            for name in rest[..<end].split(separator: " ") where !name.contains("{{") { names.insert(String(name)) }
            rest = rest[end...]
        }
        return names
    }

    static func namesInTemplates(_ texts: [String]) -> Set<String> {
        texts.reduce(into: Set<String>()) { $0.formUnion(dataStepNames(in: $1)) }
    }
}
