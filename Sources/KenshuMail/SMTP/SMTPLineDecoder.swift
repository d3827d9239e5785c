import NIOCore

import Glibc

/// Splits the SMTP byte stream into lines (RFC 5321 §2.3.8) with bounded memory.
///
/// Lines end in CRLF; a bare LF is accepted too because real clients send it. The terminator is
/// not part of the emitted line. A line longer than `maximumLineLength` (terminator included) is
/// never buffered: its bytes are dropped as they stream in and a single `.tooLong` is emitted once
/// its end arrives, so a hostile 10 MiB line costs at most `maximumLineLength` bytes of memory.
///
/// It is a single-step decoder, so it runs either as a `ByteToMessageHandler` in a pipeline (the
/// SMTP client) or inside a handler through `NIOSingleStepByteToMessageProcessor` (the server,
/// which hands each line straight to its session without a pipeline hop per line).
///
/// One fixed limit serves both modes: it defaults to the text-line limit of 1000 octets, and
/// `SMTPSession` rejects command lines over the 512-octet command limit itself.
public struct SMTPLineDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = Output

    /// What the decoder emits for each line.
    public enum Output: Sendable, Hashable {
        /// A complete line without its CRLF or LF terminator.
        case line(ByteBuffer)
        /// A line that exceeded the limit; its bytes were discarded.
        case tooLong
    }

    /// The longest accepted line in octets, terminator included.
    public let maximumLineLength: Int

    /// Whether the bytes currently arriving belong to an over-long line being discarded.
    private var isDiscardingLine = false

    /// Creates a decoder; the default is the RFC 5321 §4.5.3.1.6 text-line limit.
    public init(maximumLineLength: Int = 1000) {
        self.maximumLineLength = max(maximumLineLength, 3)
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> Output? {
        self.nextLine(in: &buffer)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> Output? {
        if let output = self.nextLine(in: &buffer) {
            return output
        }
        // An unterminated trailing fragment is not a line: a dropped connection delivers nothing.
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return nil
    }

    /// Takes the next line out of `buffer`, or returns nil when more bytes are needed.
    ///
    /// After this returns nil, `buffer` holds fewer than `maximumLineLength` unread bytes: either
    /// the start of a line that may still fit, or nothing at all while a long line is discarded.
    public mutating func nextLine(in buffer: inout ByteBuffer) -> Output? {
        let newlineOffset = Self.firstNewline(in: buffer)
        if self.isDiscardingLine {
            guard let newlineOffset else {
                buffer.moveReaderIndex(to: buffer.writerIndex)
                return nil
            }
            buffer.moveReaderIndex(to: newlineOffset + 1)
            self.isDiscardingLine = false
            return .tooLong
        }
        guard let newlineOffset else {
            if buffer.readableBytes >= self.maximumLineLength {
                buffer.moveReaderIndex(to: buffer.writerIndex)
                self.isDiscardingLine = true
            }
            return nil
        }
        let lengthWithTerminator = newlineOffset + 1 - buffer.readerIndex
        guard lengthWithTerminator <= self.maximumLineLength else {
            buffer.moveReaderIndex(to: newlineOffset + 1)
            return .tooLong
        }
        var contentLength = lengthWithTerminator - 1
        if contentLength > 0, buffer.getInteger(at: newlineOffset - 1, as: UInt8.self) == UInt8(ascii: "\r") {
            contentLength -= 1
        }
        let line = buffer.getSlice(at: buffer.readerIndex, length: contentLength) ?? ByteBuffer()
        buffer.moveReaderIndex(to: newlineOffset + 1)
        return .line(line)
    }

    /// The index of the first LF in `buffer`'s readable bytes, found with `memchr`: lines are
    /// searched byte by byte at every read, so this is the decoder's inner loop.
    private static func firstNewline(in buffer: ByteBuffer) -> Int? {
        buffer.withUnsafeReadableBytes { bytes -> Int? in
            guard let base = bytes.baseAddress, let found = memchr(base, Int32(UInt8(ascii: "\n")), bytes.count) else {
                return nil
            }
            return buffer.readerIndex + base.distance(to: UnsafeRawPointer(found))
        }
    }
}
