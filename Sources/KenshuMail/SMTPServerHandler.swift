import NIOCore

/// Connects one SMTP connection's channel to its `SMTPSession`.
///
/// It sits after `ByteToMessageHandler(SMTPLineDecoder())` and an `IdleStateHandler`, feeds the
/// session every line, writes its replies, and runs deliveries. While a delivery is in flight it
/// holds back further socket reads, so a client pipelining at full speed cannot queue unbounded
/// input; lines already decoded are queued inside the session and answered in order afterwards.
public final class SMTPServerHandler: ChannelDuplexHandler {
    public typealias InboundIn = SMTPLineDecoder.Output
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    /// Stores a message and completes with its id; it may complete on any event loop.
    public typealias Delivery = @Sendable (MailEnvelope, ByteBuffer, any EventLoop) -> EventLoopFuture<String>

    private let configuration: SMTPSession.Configuration
    private let delivery: Delivery
    private var session: SMTPSession
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
        let actions = self.session.receive(Self.unwrapInboundIn(data))
        self.perform(actions, context: context)
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idleEvent = event as? IdleStateHandler.IdleStateEvent, idleEvent == .read {
            self.perform(self.session.idleTimeoutElapsed(), context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    public func read(context: ChannelHandlerContext) {
        if self.session.isDelivering {
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
        var lastWrite: EventLoopFuture<Void>?
        for action in actions {
            switch action {
            case .reply(let reply):
                let promise = context.eventLoop.makePromise(of: Void.self)
                context.write(Self.wrapOutboundOut(ByteBuffer(string: reply.encoded)), promise: promise)
                lastWrite = promise.futureResult
            case .deliver(let envelope, let data):
                self.startDelivery(envelope, data: data, context: context)
            case .close:
                context.flush()
                let channel = context.channel
                if let lastWrite {
                    lastWrite.whenComplete { _ in channel.close(promise: nil) }
                } else {
                    channel.close(promise: nil)
                }
                return
            }
        }
        if lastWrite != nil {
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
