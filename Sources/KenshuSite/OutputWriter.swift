import Foundation

/// Writes the site so that a reader of `Output/` never sees half a build.
///
/// A full build goes to a fresh folder beside `Output/`, which then takes its place (two
/// renames); a failed build deletes its folder and leaves `Output/` as it was. The dev server
/// instead updates `Output/` in place, file by file (each through a temporary file and a
/// rename), and touches only what changed.
public struct OutputWriter: Sendable {
    public var output: URL

    public init(output: URL) {
        self.output = output.standardizedFileURL
    }

    /// A new, empty staging folder next to `Output/`: same file system, so the swap is a rename.
    public func makeStaging() throws -> URL {
        let parent = output.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = parent.appendingPathComponent(".\(output.lastPathComponent).staging-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
        return staging
    }

    /// Folders of `Output/` that other commands write and a site build keeps as they are:
    /// `kenshu handbook` writes the training material into `Output/handbook/`.
    public static let keptFolders = ["handbook"]

    /// Whether a top-level entry of `Output/` is another command's: a kept folder, or the
    /// `.handbook.staging-…` / `.handbook.old-…` folder of a run in progress beside it (which the
    /// dev server must not empty while the handbook is being written).
    static func isKept(_ name: String) -> Bool {
        keptFolders.contains { name == $0 || name.hasPrefix(".\($0).") }
    }

    /// Replaces `Output/` by `staging`, carrying the kept folders over.
    public func commit(staging: URL) throws {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: output.path) {
            let kept = ((try? fileManager.contentsOfDirectory(atPath: output.path)) ?? []).filter(Self.isKept)
            for name in kept {
                try fileManager.moveItem(at: output.appendingPathComponent(name), to: staging.appendingPathComponent(name))
            }
            let retired = output.deletingLastPathComponent()
                .appendingPathComponent(".\(output.lastPathComponent).old-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            try fileManager.moveItem(at: output, to: retired)
            do {
                try fileManager.moveItem(at: staging, to: output)
            } catch {
                try? fileManager.moveItem(at: retired, to: output)
                for name in kept {
                    try? fileManager.moveItem(at: staging.appendingPathComponent(name), to: output.appendingPathComponent(name))
                }
                throw error
            }
            try? fileManager.removeItem(at: retired)
        } else {
            try fileManager.moveItem(at: staging, to: output)
        }
    }

    public func discard(staging: URL) {
        try? FileManager.default.removeItem(at: staging)
    }

    /// Makes `Output/` hold exactly `files` (path → bytes), writing only files whose bytes
    /// differ and removing files no longer built. Returns the paths written or removed.
    @discardableResult
    public func synchronize(_ files: [String: Data]) throws -> [String] {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: output, withIntermediateDirectories: true)
        var changed: [String] = []
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            let url = output.appendingPathComponent(path)
            if fileManager.contents(atPath: url.path) == data { continue }
            try Self.writeAtomically(data, to: url)
            changed.append(path)
        }
        for path in existingFiles() where files[path] == nil {
            try fileManager.removeItem(at: output.appendingPathComponent(path))
            changed.append(path)
        }
        return changed
    }

    /// Every regular file under `Output/`, relative to it.
    func existingFiles() -> [String] {
        guard let enumerator = FileManager.default.enumerator(at: output, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        let prefix = output.path + "/"
        var files: [String] = []
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(prefix) else { continue }
            let relative = String(path.dropFirst(prefix.count))
            if let top = relative.split(separator: "/").first, relative.contains("/"), Self.isKept(String(top)) { continue }
            files.append(relative)
        }
        return files.sorted()
    }

    /// Temporary file in the same folder, then rename: a reader sees the old or the new file.
    static func writeAtomically(_ data: Data, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        try data.write(to: temporary)
        if rename(temporary.path, url.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path, NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)])
        }
    }
}
