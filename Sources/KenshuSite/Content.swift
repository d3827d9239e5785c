import Foundation
import Mustache

/// Everything under `Content/`, loaded and checked for form (the first step of a build).
/// Nothing here knows HelloWork: the screens are data and templates.
public struct Content: @unchecked Sendable {
    public struct Template: Sendable {
        /// `login`, `partials/header`: the path under `templates/` without `.mustache`.
        public var name: String
        public var displayPath: String
        public var text: String
        public var parsed: MustacheTemplate
    }

    public struct Asset: Sendable {
        /// Path under `assets/`, also the path under `Output/assets/`.
        public var relativePath: String
        public var data: Data
    }

    /// The folder as the user named it (`Content`), for messages.
    public var displayRoot: String
    public var configuration: SiteConfiguration
    /// Fixture name (file name without extension) → its value.
    public var fixtures: [String: Any]
    /// Where each fixture came from, for messages.
    public var fixtureLocations: [String: SourceLocation]
    public var pages: [PageSource]
    public var templates: [String: Template]
    /// `manual/*.md` by name, rendered: the notes shown beside each screen in the gallery.
    public var manual: [String: RawHTML]
    /// `manual/procedures/*.md`, in handbook order: the manual's procedures step by step.
    public var procedures: [ManualProcedure]
    public var assets: [Asset]

    public var library: MustacheLibrary {
        MustacheLibrary(templates: templates.mapValues(\.parsed))
    }

    /// The data of a plain-text template (a mail body): its string values, and `site`, so the
    /// text can print `{{site.rules.key_minutes}}` like a page does.
    public func textContext(_ values: [String: String]) -> [String: Any] {
        var context: [String: Any] = values.mapValues { ContentString($0) }
        context["site"] = configuration.values
        return context
    }
}

/// Reads `Content/` into a `Content`: site.yaml, fixtures, pages, templates, manual, assets.
/// Every problem found is reported, each with its `file:line:col`.
public struct ContentLoader: Sendable {
    public var root: URL
    public var displayRoot: String

    public init(root: URL, displayRoot: String? = nil) {
        self.root = root.standardizedFileURL
        self.displayRoot = displayRoot ?? root.relativePath
    }

    /// Reads and validates (the build's steps `load` and `validate`).
    public func load() throws(ContentErrors) -> Content {
        let content = try read()
        try validate(content)
        return content
    }

    /// The build's `validate` step: the names one file uses exist in another.
    func validate(_ content: Content) throws(ContentErrors) {
        let problems = ContentValidator(content: content).problems()
        guard problems.isEmpty else { throw ContentErrors(problems) }
    }

    /// The build's `load` step: every file read and parsed, each problem at its `file:line:col`.
    func read() throws(ContentErrors) -> Content {
        var errors: [ContentError] = []
        func attempt<T>(_ body: () throws(ContentError) -> T) -> T? {
            do { return try body() } catch { errors.append(error); return nil }
        }

        let siteText = attempt { () throws(ContentError) in try read("site.yaml") }
        let configuration = siteText.flatMap { text in
            attempt { () throws(ContentError) in try SiteConfiguration.parse(text, path: display("site.yaml")) }
        }
        // For the `{{rules.…}}` of pages and the manual; the manual's when site.yaml failed, so
        // their other errors are still reported.
        let rules = configuration?.liveRules ?? .manual

        var fixtures: [String: Any] = [:]
        var fixtureLocations: [String: SourceLocation] = [:]
        for file in files(in: "fixtures", extensions: ["yaml", "yml", "json"]) {
            let name = (file as NSString).deletingPathExtension.replacingOccurrences(of: "/", with: "_")
            let path = display("fixtures/\(file)")
            if let existing = fixtureLocations[name] {
                errors.append(ContentError(SourceLocation(path: path), "fixture `\(name)` is defined twice (also \(existing))"))
                continue
            }
            guard let value = attempt({ () throws(ContentError) -> Any in
                let text = try read("fixtures/\(file)")
                guard let node = try YAMLContent.parse(text, path: path) else { return ContentNull() }
                if let editions = configuration?.editions.map(\.id) {
                    try EditionFilter.checkEditionNames(in: node, known: editions, path: path)
                }
                return try YAMLContent.value(of: node, path: path)
            }) else { continue }
            fixtures[name] = value
            fixtureLocations[name] = SourceLocation(path: path)
        }

        var templates: [String: Content.Template] = [:]
        for file in files(in: "templates", extensions: ["mustache"]) {
            let name = String(file.dropLast(".mustache".count))
            let path = display("templates/\(file)")
            guard let text = attempt({ () throws(ContentError) in try read("templates/\(file)") }) else { continue }
            do {
                let parsed = try MustacheTemplate(string: text)
                templates[name] = Content.Template(name: name, displayPath: path, text: text, parsed: parsed)
            } catch let error as MustacheTemplate.ParserError {
                errors.append(ContentError(SourceLocation(path: path, line: error.context.lineNumber, column: error.context.columnNumber),
                                           "template syntax error: \(error.error)"))
            } catch {
                errors.append(ContentError(SourceLocation(path: path), "template syntax error: \(error)"))
            }
        }

        var pages: [PageSource] = []
        for file in files(in: "pages", extensions: ["md"]) {
            guard let page = attempt({ () throws(ContentError) in
                try PageSource.parse(try read("pages/\(file)"), relativePath: file, displayPath: display("pages/\(file)"), rules: rules)
            }) else { continue }
            pages.append(page)
        }

        var manual: [String: RawHTML] = [:]
        for file in files(in: "manual", extensions: ["md"]) where !file.hasPrefix("procedures/") {
            let path = display("manual/\(file)")
            guard let text = attempt({ () throws(ContentError) in
                try rules.fill(try read("manual/\(file)"), at: SourceLocation(path: path, line: 1, column: 1))
            }) else { continue }
            manual[String(file.dropLast(3))] = RawHTML(Markdown.html(from: text))
        }

        var procedures: [ManualProcedure] = []
        for file in files(in: "manual/procedures", extensions: ["md"]) {
            guard let editions = configuration?.editions.map(\.id) else { break }
            let path = display("manual/procedures/\(file)")
            guard let procedure = attempt({ () throws(ContentError) in
                try ManualProcedure.parse(try read("manual/procedures/\(file)"), id: String(file.dropLast(3)),
                                          displayPath: path, editions: editions, rules: rules)
            }) else { continue }
            procedures.append(procedure)
        }
        procedures.sort { ($0.order, $0.id) < ($1.order, $1.id) }

        var assets: [Content.Asset] = []
        for file in files(in: "assets", extensions: nil) {
            guard let data = FileManager.default.contents(atPath: root.appendingPathComponent("assets/\(file)").path) else {
                errors.append(ContentError(SourceLocation(path: display("assets/\(file)")), "cannot read file"))
                continue
            }
            assets.append(Content.Asset(relativePath: file, data: data))
        }

        guard let configuration, errors.isEmpty else {
            throw ContentErrors(errors)
        }
        let content = Content(displayRoot: displayRoot, configuration: configuration, fixtures: fixtures,
                              fixtureLocations: fixtureLocations, pages: pages, templates: templates,
                              manual: manual, procedures: procedures, assets: assets)
        return content
    }

    func display(_ relative: String) -> String {
        displayRoot.isEmpty ? relative : "\(displayRoot)/\(relative)"
    }

    private func read(_ relative: String) throws(ContentError) -> String {
        let url = root.appendingPathComponent(relative)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ContentError(SourceLocation(path: display(relative)), "cannot read file (missing or unreadable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ContentError(SourceLocation(path: display(relative)), "file is not UTF-8 text")
        }
        return text
    }

    /// Files under a Content folder, relative to it, sorted (builds must not depend on the
    /// order the file system lists them in). Hidden files and editor backups are skipped.
    func files(in folder: String, extensions: Set<String>?) -> [String] {
        let base = root.appendingPathComponent(folder)
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey],
                                                              options: [.skipsHiddenFiles]) else { return [] }
        var found: [String] = []
        let prefix = base.standardizedFileURL.path + "/"
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let name = url.lastPathComponent
            if name.hasSuffix("~") || name.hasPrefix("#") { continue }
            if let extensions, !extensions.contains(url.pathExtension) { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(prefix) else { continue }
            found.append(String(path.dropFirst(prefix.count)))
        }
        return found.sorted()
    }
}
