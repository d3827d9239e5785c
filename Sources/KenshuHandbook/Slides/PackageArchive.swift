import Foundation
import ZIPFoundation

/// Writes package parts as a zip whose bytes depend only on the parts and the given date.
enum PackageArchive {
    /// Entries are written in `parts` order, all with `modificationDate` (stored as UTC DOS time)
    /// and the same permissions, so two runs give identical bytes. The archive is built next to
    /// `destination` and moved over it at the end, so a failure never leaves half a deck behind.
    static func write(_ parts: [PackagePart], to destination: URL, modificationDate: Date) throws {
        let fileManager = FileManager.default
        let folder = destination.deletingLastPathComponent()
        try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).\(getpid()).partial")
        try? fileManager.removeItem(at: temporary)
        defer { try? fileManager.removeItem(at: temporary) }

        let archive = try Archive(url: temporary, accessMode: .create)
        for part in parts {
            let data = part.data
            try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(data.count),
                                 modificationDate: modificationDate, permissions: 0o644,
                                 compressionMethod: part.shouldCompress ? .deflate : .none) { position, size in
                let start = data.startIndex + Int(position)
                return data.subdata(in: start..<min(start + size, data.endIndex))
            }
        }
        // rename(2) replaces an existing deck atomically (FileManager.replaceItemAt fails on Linux).
        guard rename(temporary.path, destination.path) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }
}
