/// A place in a Content file, as editors and compilers name it: `path:line:column`.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// Path relative to the directory the build was started from (e.g. `Content/pages/login.md`).
    public var path: String
    /// 1-based line, or nil when the format gives none.
    public var line: Int?
    /// 1-based column, or nil when the format gives none.
    public var column: Int?

    public init(path: String, line: Int? = nil, column: Int? = nil) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String {
        switch (line, column) {
        case let (line?, column?): "\(path):\(line):\(column)"
        case let (line?, nil): "\(path):\(line)"
        default: path
        }
    }

    /// The same file, `lines` further down (front matter starts one line into a page).
    func shifted(lines: Int) -> SourceLocation {
        SourceLocation(path: path, line: line.map { $0 + lines }, column: column)
    }
}

/// Why a build stopped. Every case names the file, and the line where the format gives one,
/// so the message can be pasted into an editor's "go to" box.
public struct ContentError: Error, Sendable, CustomStringConvertible, Equatable {
    public var location: SourceLocation
    public var message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}

/// Several errors found in one pass: the build reports all of them, not just the first.
public struct ContentErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ContentError]
    /// The build step that found them (`SiteBuilder`'s list), when a build ran.
    public var step: BuildStep?

    public init(_ errors: [ContentError]) {
        self.errors = errors.sorted { $0.description < $1.description }
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
