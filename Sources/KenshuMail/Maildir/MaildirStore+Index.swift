import Foundation
import NIOCore

extension MaildirStore {
    /// What the store keeps in memory about one stored message: small, so 5,000 fit comfortably.
    ///
    /// The header block lets the web inbox show subject, sender and recipients without
    /// re-reading the file; it is capped (16 KiB by default) so one hostile header cannot grow
    /// the index.
    public struct Message: Sendable, Hashable {
        /// The stable, URL-safe id, derived from the Maildir unique name.
        public var id: String
        /// When the message was received.
        public var receivedAt: Date
        /// The size of the stored file in octets, trace headers included.
        public var size: Int
        /// The envelope sender (`Return-Path`); empty for the null sender.
        public var mailFrom: String
        /// The envelope recipients (`Delivered-To`).
        public var recipients: [String]
        /// Whether the Maildir `S` (seen) flag is set.
        public var isRead: Bool
        /// The raw header block of the stored file, up to the cap, without the blank line.
        public var headerBlock: ByteBuffer
        /// The file's path relative to the Maildir root, e.g. `new/<unique>` or `cur/<unique>:2,S`.
        var relativePath: String

        /// Whether the envelope names `recipient` (already lowercased).
        public func isAddressed(to recipient: String) -> Bool {
            recipients.contains { $0.lowercased() == recipient }
        }
    }

    /// The in-memory index, ordered oldest first so retention removes from the front.
    struct Index: Sendable {
        private(set) var ordered: [Message] = []

        var count: Int { self.ordered.count }
        var unreadCount: Int { self.ordered.reduce(0) { $0 + ($1.isRead ? 0 : 1) } }

        func message(id: String) -> Message? {
            self.ordered.first(where: { $0.id == id })
        }

        /// Inserts in (receivedAt, id) order; a new delivery normally lands at the end.
        mutating func insert(_ message: Message) {
            var position = self.ordered.endIndex
            while position > self.ordered.startIndex, Self.precedes(message, self.ordered[position - 1]) {
                position -= 1
            }
            self.ordered.insert(message, at: position)
        }

        mutating func replace(_ message: Message) {
            if let position = self.ordered.firstIndex(where: { $0.id == message.id }) {
                self.ordered[position] = message
            }
        }

        mutating func remove(ids: Set<String>) -> [Message] {
            let removed = self.ordered.filter { ids.contains($0.id) }
            self.ordered.removeAll { ids.contains($0.id) }
            return removed
        }

        /// Removes and returns the oldest messages beyond `limit`.
        mutating func prune(toAtMost limit: Int) -> [Message] {
            let excess = self.ordered.count - max(limit, 0)
            guard excess > 0 else { return [] }
            let removed = Array(self.ordered.prefix(excess))
            self.ordered.removeFirst(excess)
            return removed
        }

        static func precedes(_ left: Message, _ right: Message) -> Bool {
            (left.receivedAt, left.id) < (right.receivedAt, right.id)
        }
    }

    /// Splits a Maildir file name into its unique part and whether the seen flag is set.
    static func parseFileName(_ name: String) -> (unique: Substring, isRead: Bool) {
        guard let colon = name.firstIndex(of: ":") else { return (name[...], false) }
        let info = name[name.index(after: colon)...]
        let isRead = info.hasPrefix("2,") && info.dropFirst(2).contains("S")
        return (name[..<colon], isRead)
    }

    /// The URL-safe id for a unique name: the name itself when already safe, else its hex form.
    static func identifier(forUniqueName unique: Substring) -> String {
        let isURLSafe = !unique.isEmpty && unique.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
        if isURLSafe { return String(unique) }
        return "x" + unique.utf8.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    /// The receive time encoded in a unique name of the form `<seconds>.M<microseconds>…`.
    static func receivedDate(fromUniqueName unique: Substring) -> Date? {
        let parts = unique.split(separator: ".", maxSplits: 2)
        guard parts.count >= 2, let seconds = Int(parts[0]) else { return nil }
        let micros = parts[1].dropFirst().prefix(while: { $0.isNumber })
        guard parts[1].first == "M", let microseconds = Int(micros) else {
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds) + TimeInterval(microseconds) / 1_000_000)
    }

    /// The header block of `prefix` (the file's first bytes): everything before the first blank line.
    static func headerBlock(of prefix: ByteBuffer) -> ByteBuffer {
        var block = ByteBuffer()
        Self.appendHeaderBlock(of: prefix, to: &block)
        return block
    }

    /// Appends `prefix` up to its first blank line to `block`, a header block so far (empty, or
    /// header lines ending in a line break), then trims the line break that ends the last line.
    static func appendHeaderBlock(of prefix: ByteBuffer, to block: inout ByteBuffer) {
        let view = prefix.readableBytesView
        var previousWasNewline = block.readableBytesView.last == UInt8(ascii: "\n")
        var index = view.startIndex
        while index < view.endIndex {
            let byte = view[index]
            if byte == UInt8(ascii: "\n") {
                if previousWasNewline { break }
                previousWasNewline = true
            } else if byte != UInt8(ascii: "\r") {
                previousWasNewline = false
            }
            index += 1
        }
        block.writeBytes(view[view.startIndex..<index])
        while let last = block.readableBytesView.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") {
            block.moveWriterIndex(to: block.writerIndex - 1)
        }
    }

    /// Reads the envelope back from the trace headers the store prepended at delivery.
    static func envelope(fromHeaderBlock block: ByteBuffer) -> (mailFrom: String, recipients: [String]) {
        let text = String(decoding: block.readableBytesView, as: UTF8.self)
        var mailFrom = ""
        var recipients: [String] = []
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let trimmedLine = line.hasSuffix("\r") ? line.dropLast() : line
            if trimmedLine.lowercased().hasPrefix("return-path:") {
                mailFrom = String(trimmedLine.dropFirst("return-path:".count))
                    .trimmingCharacters(in: CharacterSet(charactersIn: " <>"))
            } else if trimmedLine.lowercased().hasPrefix("delivered-to:") {
                recipients.append(String(trimmedLine.dropFirst("delivered-to:".count)).trimmingCharacters(in: .whitespaces))
            } else {
                break
            }
        }
        return (mailFrom, recipients)
    }
}
