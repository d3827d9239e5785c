import Foundation
import KenshuSite

/// Loads every study of a Content folder: `studies/*.yaml`, sorted by file name.
///
/// Like `ContentLoader`, it reports every broken file at once (the first problem of each),
/// so a facilitator fixes them in one round.
public struct StudyLoader: Sendable {
    /// The Content folder (the one holding `site.yaml` and `studies/`).
    public var root: URL
    /// How messages name the Content folder: `Content` → `Content/studies/chapter3.yaml:4:5`.
    public var displayRoot: String

    public init(root: URL, displayRoot: String? = nil) {
        self.root = root.standardizedFileURL
        self.displayRoot = displayRoot ?? root.relativePath
    }

    /// The folder inside the Content folder that holds studies.
    public static let folder = "studies"

    /// Every study; none when there is no `studies/` folder.
    public func load() throws(ContentErrors) -> [Study] {
        var studies: [Study] = []
        var errors: [ContentError] = []
        for file in files() {
            let display = displayRoot.isEmpty ? "\(Self.folder)/\(file)" : "\(displayRoot)/\(Self.folder)/\(file)"
            let url = root.appendingPathComponent(Self.folder).appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                errors.append(ContentError(SourceLocation(path: display), "cannot read file (missing or unreadable)"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                errors.append(ContentError(SourceLocation(path: display), "file is not UTF-8 text"))
                continue
            }
            do {
                let id = (file as NSString).deletingPathExtension
                studies.append(try Study.parse(text, id: id, displayPath: display))
            } catch {
                errors.append(error)
            }
        }
        guard errors.isEmpty else { throw ContentErrors(errors) }
        return studies
    }

    /// `*.yaml` and `*.yml` directly in `studies/`, sorted; hidden files and editor backups skipped.
    func files() -> [String] {
        let folder = root.appendingPathComponent(Self.folder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.filter { name in
            !name.hasPrefix(".") && !name.hasPrefix("#") && !name.hasSuffix("~")
                && (name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
        }.sorted()
    }
}
