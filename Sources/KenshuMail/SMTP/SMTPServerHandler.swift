import NIOCore

/// Connects one SMTP connection's channel to its `SMTPSession`.
///
/// It sits after an `IdleStateHandler`, splits the bytes it reads into lines with an
/// `SMTPLineDecoder`, feeds the session every line, writes its replies, and runs deliveries. The
/// decoder runs inside this handler (`NIOSingleStepByteToMessageProcessor`) rather than as a
/// `ByteToMessageHandler` in front of it: a 4 KiB message is some sixty lines, and passing each
/// through the pipeline as a type-erased message cost more than parsing it. Input that arrives while a
/// delivery is in flight is queued inside the session and answered in order afterwards; once any
/// is queued, further socket reads are held back until the delivery ends, so a client pipelining
/// at full speed cannot queue unbounded input. A client that waits for the reply (the usual case)
/// never has its reads paused, which would cost two `epoll_ctl` calls per message.
public final class SMTPServerHandler: ChannelDuplexHandler {
    public typealias InboundIn = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    /// Stores a message and completes with its id; it may complete on any event loop.
    public typealias Delivery = @Sendable (MailEnvelope, ByteBuffer, any EventLoop) -> EventLoopFuture<String>

    private let configuration: SMTPSession.Configuration
    private let delivery: Delivery
    private var session: SMTPSession
    private let lines = NIOSingleStepByteToMessageProcessor(SMTPLineDecoder())
    /// Whether a `read` from the pipeline was held back during a delivery.
    private var isReadHeld = false

    /// Creates the handler for one connection.
    public init(configuration: SMTPSession.Configuration, delivery: @escaping Delivery) {
        self.configuration = configuration
        self.delivery = delivery
        self.session = SMTPSession(configuration: configuration)
    }

    public func channelActive(context: ChannelHandlerContext) {
        self.session = SMTPSession(configuration: self.configuration, clientAddress: context.remoteAddress?.ipAddress)
        self.perform(self.session.start(), context: context)
        context.fireChannelActive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        do {
            try self.lines.process(buffer: Self.unwrapInboundIn(data)) { line in
                self.perform(self.session.receive(line), context: context)
            }
        } catch {
            // The line decoder bounds its buffer itself and never throws; close if that changes.
            context.close(promise: nil)
        }
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idleEvent = event as? IdleStateHandler.IdleStateEvent, idleEvent == .read {
            self.perform(self.session.idleTimeoutElapsed(), context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    public func read(context: ChannelHandlerContext) {
        if self.session.isDelivering, self.session.hasQueuedInput {
            self.isReadHeld = true
        } else {
            context.read()
        }
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Carries out the session's actions in order; replies are flushed together at the end.
    private func perform(_ actions: [SMTPSession.Action], context: ChannelHandlerContext) {
        guard !actions.isEmpty else { return }
        var hasWritten = false
        var lastWrite: EventLoopPromise<Void>?
        // Only a reply followed by a close (always the last action) needs its completion observed.
        let closes = actions.last == .close
        for action in actions {
            switch action {
            case .reply(let reply):
                var buffer = context.channel.allocator.buffer(capacity: 64)
                reply.write(into: &buffer)
                lastWrite = closes ? context.eventLoop.makePromise(of: Void.self) : nil
                context.write(Self.wrapOutboundOut(buffer), promise: lastWrite)
                hasWritten = true
            case .deliver(let envelope, let data):
                self.startDelivery(envelope, data: data, context: context)
            case .close:
                context.flush()
                let channel = context.channel
                if let lastWrite {
                    lastWrite.futureResult.whenComplete { _ in channel.close(promise: nil) }
                } else {
                    channel.close(promise: nil)
                }
                return
            }
        }
        if hasWritten {
            context.flush()
        }
    }

    private func startDelivery(_ envelope: MailEnvelope, data: ByteBuffer, context: ChannelHandlerContext) {
        self.delivery(envelope, data, context.eventLoop)
            .hop(to: context.eventLoop)
            .assumeIsolated()
            .whenComplete { result in
                let actions = self.session.deliveryFinished(result)
                self.perform(actions, context: context)
                if self.isReadHeld, !self.session.isDelivering {
                    self.isReadHeld = false
                    context.read()
                }
            }
    }
}
