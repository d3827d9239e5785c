import Foundation

/// `Output/handbook/` as a whole: read what an earlier run made, replace it in one step.
enum HandbookFolder {
    static func previousManifest(in folder: URL) -> HandbookManifest? {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("manifest.json").path) else { return nil }
        return try? JSONDecoder().decode(HandbookManifest.self, from: data)
    }

    /// Copies the pictures the manifest keeps from an earlier run (those this run did not take).
    static func carryOver(pictures manifest: HandbookManifest, from folder: URL, to staging: URL, except taken: Set<String>) throws {
        let steps = manifest.editions.flatMap(\.procedures).flatMap { $0.layouts.values.joined() }
        let images = steps.map(\.image) + steps.compactMap(\.plainImage)
        for image in Set(images).subtracting(taken) {
            let source = folder.appendingPathComponent(image), target = staging.appendingPathComponent(image)
            guard FileManager.default.fileExists(atPath: source.path) else { continue }
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source, to: target)
        }
    }

    /// Puts `staging` where `folder` was: renames, so a reader sees the old or the new handbook.
    static func replace(_ folder: URL, with staging: URL) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard fileManager.fileExists(atPath: folder.path) else {
            try fileManager.moveItem(at: staging, to: folder)
            return
        }
        let retired = folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent).old-\(getpid())")
        try? fileManager.removeItem(at: retired)
        try fileManager.moveItem(at: folder, to: retired)
        do {
            try fileManager.moveItem(at: staging, to: folder)
        } catch {
            try? fileManager.moveItem(at: retired, to: folder)
            throw error
        }
        try? fileManager.removeItem(at: retired)
    }
}
