import NIOCore
import NIOPosix

/// A minimal SMTP client for tests and tools: one message per connection, no TLS, no AUTH.
public enum SMTPClient {
    /// Why sending failed.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// The server answered a command with a 4xx or 5xx reply.
        case rejected(command: String, reply: SMTPReply)
        /// The server closed the connection before replying.
        case connectionClosed
        /// The server sent something that is not an SMTP reply.
        case malformedReply(String)

        public var description: String {
            switch self {
            case .rejected(let command, let reply):
                return "SMTP server rejected \(command): \(reply.code) \(reply.lines.joined(separator: " / "))"
            case .connectionClosed:
                return "SMTP server closed the connection"
            case .malformedReply(let line):
                return "SMTP server sent a malformed reply: \(line)"
            }
        }
    }

    /// Sends one message over a real TCP connection: EHLO, MAIL, RCPT for each recipient,
    /// DATA with dot-stuffing and CRLF line endings, then QUIT.
    public static func send(
        from sender: String,
        to recipients: [String],
        data: ByteBuffer,
        host: String = "127.0.0.1",
        port: Int,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws {
        let channel = try await ClientBootstrap(group: group).connect(host: host, port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                return try NIOAsyncChannel<SMTPLineDecoder.Output, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
        try await channel.executeThenClose { inbound, outbound in
            var replies = inbound.makeAsyncIterator()
            try await Self.expect(reply: &replies, command: "connection greeting")
            let steps = ["EHLO localhost", "MAIL FROM:<\(sender)>"] + recipients.map { "RCPT TO:<\($0)>" } + ["DATA"]
            for step in steps {
                try await outbound.write(ByteBuffer(string: step + "\r\n"))
                try await Self.expect(reply: &replies, command: step)
            }
            try await outbound.write(Self.dotStuffed(data))
            try await Self.expect(reply: &replies, command: "message data")
            try await outbound.write(ByteBuffer(string: "QUIT\r\n"))
            try await Self.expect(reply: &replies, command: "QUIT")
        }
    }

    /// Sends a message given as text; see `send(from:to:data:host:port:group:)`.
    public static func send(
        from sender: String,
        to recipients: [String],
        message: String,
        host: String = "127.0.0.1",
        port: Int,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws {
        try await Self.send(from: sender, to: recipients, data: ByteBuffer(string: message), host: host, port: port, group: group)
    }

    /// The DATA payload: every line CRLF-terminated, leading dots doubled, then the final `.`.
    public static func dotStuffed(_ data: ByteBuffer) -> ByteBuffer {
        var result = ByteBuffer()
        result.reserveCapacity(data.readableBytes + data.readableBytes / 32 + 8)
        var lines = data.readableBytesView.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for var line in lines {
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.first == UInt8(ascii: ".") { result.writeStaticString(".") }
            result.writeBytes(line)
            result.writeStaticString("\r\n")
        }
        result.writeStaticString(".\r\n")
        return result
    }

    /// Reads one (possibly multi-line) reply and throws unless it is 2xx or 3xx.
    private static func expect(
        reply replies: inout NIOAsyncChannelInboundStream<SMTPLineDecoder.Output>.AsyncIterator,
        command: String
    ) async throws {
        var lines: [String] = []
        while true {
            guard let output = try await replies.next() else { throw Failure.connectionClosed }
            guard case .line(let bytes) = output else { throw Failure.malformedReply("line too long") }
            let line = String(decoding: bytes.readableBytesView, as: UTF8.self)
            let codeText = line.prefix(3)
            guard codeText.count == 3, let code = Int(codeText) else { throw Failure.malformedReply(line) }
            let separator = line.dropFirst(3).first
            lines.append(String(line.dropFirst(4)))
            if separator == "-" { continue }
            let reply = SMTPReply(code: code, lines: lines)
            if reply.isFailure { throw Failure.rejected(command: command, reply: reply) }
            return
        }
    }
}
