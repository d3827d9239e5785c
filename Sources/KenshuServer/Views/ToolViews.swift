import Foundation
import Mustache

/// The tool's own pages — the inbox, the trainer console and their error pages — rendered from the
/// Mustache templates in `Templates/` (package resources) inside one shared `layout.mustache`.
///
/// The templates are read once. Mustache renders a missing template or partial as nothing, so
/// loading checks every template the code names and every partial a template names, and throws;
/// `shared` turns that into a stop at start-up rather than a blank page at the first request.
/// `{{x}}` escapes `& < > " '`, so view models hold plain text.
struct ToolViews: Sendable {
    /// The templates, by file name without `.mustache`. Each must exist for the views to load.
    enum Template: String, CaseIterable, Sendable {
        case layout
        case error
        case mailHeader = "mail-header"
        case mailList = "mail-list"
        case mailMessage = "mail-message"
        case mailDeleteAll = "mail-delete-all"
        case mailError = "mail-error"
        case trainerConsole = "trainer-console"
        case trainerRefusal = "trainer-refusal"
        case trainerJoin = "trainer-join"
        case trainerClass = "trainer-class"
        case trainerCards = "trainer-cards"
        case mailboxList = "mailbox-list"
        case mailboxMessage = "mailbox-message"
        case mailboxMissing = "mailbox-missing"
        case studyPage = "study-page"
        case studyTaskBar = "study-taskbar"
        case facilitatorConsole = "facilitator-console"
        case facilitatorParticipant = "facilitator-participant"
    }

    /// Why the templates could not be loaded; the description names the file.
    enum LoadError: Error, CustomStringConvertible {
        case unreadable(URL, any Error)
        case unparsable(file: String, line: Int, column: Int, any Error)
        case missing([String], in: URL)
        case unknownPartial(String, file: String)

        var description: String {
            switch self {
            case .unreadable(let url, let error):
                "the page templates at \(url.path) cannot be read: \(error)"
            case .unparsable(let file, let line, let column, let error):
                "page template \(file).mustache, line \(line), column \(column): \(error)"
            case .missing(let names, let directory):
                "page templates missing from \(directory.path): \(names.map { "\($0).mustache" }.joined(separator: ", "))"
            case .unknownPartial(let name, let file):
                "page template \(file).mustache uses {{> \(name)}} or {{< \(name)}}, and there is no \(name).mustache"
            }
        }
    }

    private let library: MustacheLibrary

    /// Reads every `*.mustache` of `directory` and checks that nothing the code or a template
    /// names is missing.
    init(directory: URL) throws {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "mustache" }
        } catch {
            throw LoadError.unreadable(directory, error)
        }
        var library = MustacheLibrary()
        var sources: [String: String] = [:]
        for file in files {
            let name = file.deletingPathExtension().lastPathComponent
            let text: String
            do { text = try String(contentsOf: file, encoding: .utf8) } catch { throw LoadError.unreadable(file, error) }
            do {
                try library.register(text, named: name)
            } catch let error as MustacheTemplate.ParserError {
                throw LoadError.unparsable(file: name, line: error.context.lineNumber, column: error.context.columnNumber, error.error)
            }
            sources[name] = text
        }
        let missing = Template.allCases.map(\.rawValue).filter { sources[$0] == nil }
        guard missing.isEmpty else { throw LoadError.missing(missing, in: directory) }
        for (file, text) in sources.sorted(by: { $0.key < $1.key }) {
            if let unknown = Self.partialNames(in: text).first(where: { sources[$0] == nil }) {
                throw LoadError.unknownPartial(unknown, file: file)
            }
        }
        self.library = library
    }

    /// The names of `{{> name}}` and `{{< name}}` in a template's text (dynamic `*name`s aside).
    static func partialNames(in text: String) -> [String] {
        text.matches(of: /\{\{\s*[<>]\s*([^*}\s][^}\s]*)\s*\}\}/).map { String($0.output.1) }
    }

    /// `template` rendered with `view`; the page templates inherit `layout`, which reads `view.layout`.
    func render(_ template: Template, _ view: some ToolViewModel) -> String {
        guard let html = library.render(view, withTemplate: template.rawValue) else {
            // Unreachable: `init` checked that every `Template` is registered.
            preconditionFailure("page template \(template.rawValue).mustache is not loaded")
        }
        return html
    }
}

extension ToolViews {
    /// The templates shipped with the program: `Templates/` copied into KenshuServer's resource
    /// bundle. When it is not there, loading fails naming the place it looked.
    static var bundledDirectory: URL {
        Bundle.module.url(forResource: "Templates", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("Templates", isDirectory: true)
    }

    /// The shipped templates, read once on first use. The routes touch it when they are added, so a
    /// broken or incomplete install stops `kenshu serve`/`kenshu mail` at start-up with the reason.
    static let shared: ToolViews = {
        do {
            return try ToolViews(directory: bundledDirectory)
        } catch {
            fatalError("Kenshu cannot start: \(error)")
        }
    }()
}
