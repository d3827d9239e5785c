import KenshuMail
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing

struct SMTPServerHandlerTests {
    /// Records deliveries; when `promises` is set, deliveries stay pending until completed by the test.
    private final class DeliveryRecorder: Sendable {
        let delivered = NIOLockedValueBox<[(MailEnvelope, ByteBuffer)]>([])
        let pending = NIOLockedValueBox<[EventLoopPromise<String>]>([])
        let holdsDeliveries: Bool

        init(holdsDeliveries: Bool = false) {
            self.holdsDeliveries = holdsDeliveries
        }

        func deliver(_ envelope: MailEnvelope, _ data: ByteBuffer, _ eventLoop: any EventLoop) -> EventLoopFuture<String> {
            let number = self.delivered.withLockedValue { delivered in
                delivered.append((envelope, data))
                return delivered.count
            }
            guard self.holdsDeliveries else { return eventLoop.makeSucceededFuture("id\(number)") }
            let promise = eventLoop.makePromise(of: String.self)
            self.pending.withLockedValue { $0.append(promise) }
            return promise.futureResult
        }
    }

    private func makeChannel(
        recorder: DeliveryRecorder,
        configuration: SMTPSession.Configuration = .init(hostname: "sink.test")
    ) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            SMTPServerHandler(configuration: configuration) { recorder.deliver($0, $1, $2) }
        )
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
        return channel
    }

    /// Everything the handler wrote so far, as text.
    private func written(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
            text += String(buffer: buffer)
        }
        return text
    }

    /// The reply codes at the start of every final reply line.
    private func codes(_ text: String) -> [Int] {
        text.split(separator: "\r\n").compactMap { line in
            line.dropFirst(3).first == " " ? Int(line.prefix(3)) : nil
        }
    }

    @Test func greetsOnConnect() throws {
        let channel = try self.makeChannel(recorder: DeliveryRecorder())
        #expect(try self.written(channel) == "220 sink.test Kenshu SMTP sink ready\r\n")
        _ = try channel.finish()
    }

    @Test func pipelinedTransactionAnsweredInOrder() throws {
        let recorder = DeliveryRecorder()
        let channel = try self.makeChannel(recorder: recorder)
        _ = try self.written(channel)
        let input = "EHLO c\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\nSubject: t\r\n\r\n..dot\r\n.\r\nNOOP\r\nQUIT\r\n"
        try channel.writeInbound(ByteBuffer(string: input))
        let output = try self.written(channel)
        #expect(self.codes(output) == [250, 250, 250, 354, 250, 250, 221])
        #expect(output.contains("250 2.0.0 Ok: queued as id1\r\n"))
        let delivered = recorder.delivered.withLockedValue { $0 }
        #expect(delivered.count == 1)
        #expect(delivered.first?.0 == MailEnvelope(mailFrom: "a@x.test", recipients: ["b@y.test"], clientName: "c", clientAddress: "127.0.0.1"))
        #expect(delivered.first.map { String(buffer: $0.1) } == "Subject: t\r\n\r\n.dot\r\n")
        #expect(!channel.isActive)
    }

    @Test func queuesInputUntilDeliveryReplyHasGoneOut() throws {
        let recorder = DeliveryRecorder(holdsDeliveries: true)
        let channel = try self.makeChannel(recorder: recorder)
        _ = try self.written(channel)
        try channel.writeInbound(ByteBuffer(string: "HELO c\r\nMAIL FROM:<>\r\nRCPT TO:<b@y>\r\nDATA\r\nhello\r\n.\r\nNOOP\r\nRSET\r\n"))
        #expect(self.codes(try self.written(channel)) == [250, 250, 250, 354])
        try channel.writeInbound(ByteBuffer(string: "VRFY x\r\n"))
        #expect(try self.written(channel) == "")
        recorder.pending.withLockedValue { $0.first }?.succeed("stored")
        let output = try self.written(channel)
        #expect(self.codes(output) == [250, 250, 250, 252])
        #expect(output.hasPrefix("250 2.0.0 Ok: queued as stored\r\n"))
        _ = try channel.finish()
    }

    /// Counts the `read` requests that reach the socket, i.e. pass the SMTP handler.
    private final class ReadCounter: ChannelOutboundHandler, Sendable {
        typealias OutboundIn = ByteBuffer
        let reads = NIOLockedValueBox(0)

        func read(context: ChannelHandlerContext) {
            self.reads.withLockedValue { $0 += 1 }
            context.read()
        }
    }

    @Test func readsPauseOnlyOnceInputQueuesBehindADelivery() throws {
        let recorder = DeliveryRecorder(holdsDeliveries: true)
        let counter = ReadCounter()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(counter)
        try channel.pipeline.syncOperations.addHandler(
            SMTPServerHandler(configuration: .init(hostname: "sink.test")) { recorder.deliver($0, $1, $2) }
        )
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
        func reads() -> Int { counter.reads.withLockedValue { $0 } }
        try channel.writeInbound(ByteBuffer(string: "HELO c\r\nMAIL FROM:<>\r\nRCPT TO:<b@y>\r\nDATA\r\nhello\r\n.\r\n"))
        #expect(recorder.pending.withLockedValue { $0.count } == 1)

        // Storing, nothing queued: the client is waiting for the reply, reading goes on.
        let before = reads()
        channel.read()
        #expect(reads() == before + 1)

        // A pipelining client sends on: its input is queued and reading pauses.
        try channel.writeInbound(ByteBuffer(string: "NOOP\r\n"))
        channel.read()
        #expect(reads() == before + 1)

        // The delivery ends: the queued input is answered and the held read goes through.
        recorder.pending.withLockedValue { $0.first }?.succeed("stored")
        #expect(reads() == before + 2)
        #expect(self.codes(try self.written(channel)) == [220, 250, 250, 250, 354, 250, 250])
        _ = try channel.finish()
    }

    @Test func errorRepliesAndConnectionSurvives() throws {
        let recorder = DeliveryRecorder()
        let channel = try self.makeChannel(recorder: recorder, configuration: .init(hostname: "h", maximumMessageSize: 10))
        _ = try self.written(channel)
        try channel.writeInbound(ByteBuffer(string: "DATA\r\nBOGUS\r\nMAIL FROM:\r\nHELO c\r\nMAIL FROM:<a@b> SIZE=11\r\n"))
        #expect(self.codes(try self.written(channel)) == [503, 500, 501, 250, 552])
        try channel.writeInbound(ByteBuffer(string: "MAIL FROM:<a@b>\r\n"))
        try channel.writeInbound(ByteBuffer(string: (0...100).map { "RCPT TO:<r\($0)@d>\r\n" }.joined()))
        let recipientCodes = self.codes(try self.written(channel))
        #expect(recipientCodes.last == 452)
        #expect(recipientCodes.dropLast().allSatisfy { $0 == 250 })
        try channel.writeInbound(ByteBuffer(string: "DATA\r\nthis line is too big\r\n.\r\n"))
        #expect(self.codes(try self.written(channel)) == [354, 552])
        #expect(recorder.delivered.withLockedValue { $0.isEmpty })
        #expect(channel.isActive)
        _ = try channel.finish()
    }

    @Test func tooLongLineThenNormalCommandWorks() throws {
        let channel = try self.makeChannel(recorder: DeliveryRecorder())
        _ = try self.written(channel)
        let chunk = ByteBuffer(repeating: UInt8(ascii: "A"), count: 4096)
        for _ in 0..<64 { try channel.writeInbound(chunk) }
        #expect(try self.written(channel) == "")
        try channel.writeInbound(ByteBuffer(string: "\r\nNOOP\r\n"))
        #expect(try self.written(channel) == "500 5.5.2 Line too long\r\n250 2.0.0 Ok\r\n")
        #expect(channel.isActive)
        _ = try channel.finish()
    }

    @Test func droppedConnectionMidDataDeliversNothing() throws {
        let recorder = DeliveryRecorder()
        let channel = try self.makeChannel(recorder: recorder)
        try channel.writeInbound(ByteBuffer(string: "HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\npartial body\r\n"))
        _ = try channel.finish()
        #expect(recorder.delivered.withLockedValue { $0.isEmpty })
    }

    @Test func idleTimeoutClosesWith421() throws {
        let channel = try self.makeChannel(recorder: DeliveryRecorder())
        _ = try self.written(channel)
        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.read)
        #expect(try self.written(channel) == "421 4.4.2 sink.test Idle timeout, closing connection\r\n")
        #expect(!channel.isActive)
    }
}
