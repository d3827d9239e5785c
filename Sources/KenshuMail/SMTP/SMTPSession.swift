import NIOCore

/// The SMTP server conversation of one connection as a pure state machine (RFC 5321 §4).
///
/// It performs no IO: the channel handler feeds it lines and events and carries out the
/// returned actions. Keeping it pure makes every reply code testable without a network.
///
/// Pipelining (RFC 2920): while a message is being stored, later lines are queued here and
/// answered only after the reply for that message, so replies always come out in order.
///
/// A text line over the limit inside DATA is remembered; reading continues to the final dot and
/// the message is then refused with `500 5.5.2 Line too long` rather than stored truncated.
public struct SMTPSession: Sendable {
    /// Limits and identity of the server.
    public struct Configuration: Sendable, Hashable {
        /// The host name used in the greeting and in `Received:`.
        public var hostname: String
        /// The largest accepted message in octets (after dot-unstuffing).
        public var maximumMessageSize: Int
        /// The most recipients accepted for one message (RFC 5321 §4.5.3.1.8 asks for at least 100).
        public var maximumRecipients: Int
        /// How long a connection may stay silent before it is closed with 421.
        public var idleTimeout: TimeAmount

        /// Creates a configuration; the defaults suit a local mail sink.
        public init(
            hostname: String = "localhost",
            maximumMessageSize: Int = 25 * 1024 * 1024,
            maximumRecipients: Int = 100,
            idleTimeout: TimeAmount = .seconds(300)
        ) {
            self.hostname = hostname
            self.maximumMessageSize = maximumMessageSize
            self.maximumRecipients = maximumRecipients
            self.idleTimeout = idleTimeout
        }
    }

    /// Something the handler must do, in the order returned.
    public enum Action: Sendable, Hashable {
        /// Send this reply.
        case reply(SMTPReply)
        /// Store this message, then call `deliveryFinished(_:)` with the outcome.
        case deliver(MailEnvelope, ByteBuffer)
        /// Close the connection after the replies before it have been written.
        case close
    }

    /// The longest command line in octets without CRLF (512 with it, §4.5.3.1.4).
    public static let maximumCommandLineLength = 510

    private enum State: Sendable {
        case awaitingHello
        case ready
        case awaitingRecipients(MailEnvelope)
        /// The text goes to `data`, kept outside the enum so that each line appends in place.
        case receivingData(MailEnvelope)
        case delivering
        case closed
    }

    /// The message body as it arrives, with the reasons it may have to be refused.
    private struct DataCollector: Sendable {
        var buffer = ByteBuffer()
        var exceedsSizeLimit = false
        var hadLineTooLong = false
    }

    /// The configuration this session enforces.
    public let configuration: Configuration
    private let clientAddress: String?
    private var clientName = ""
    private var state = State.awaitingHello
    /// The text of the message being received.
    private var data = DataCollector()
    /// Inputs that arrived while a message was being stored, answered after it.
    private var pendingInputs: [SMTPLineDecoder.Output] = []

    /// Creates the session for one new connection.
    public init(configuration: Configuration = Configuration(), clientAddress: String? = nil) {
        self.configuration = configuration
        self.clientAddress = clientAddress
    }

    /// Whether a `.deliver` is outstanding, during which input is queued.
    public var isDelivering: Bool {
        if case .delivering = self.state { return true }
        return false
    }

    /// Whether input arrived during the current delivery and waits to be answered after it.
    public var hasQueuedInput: Bool {
        !self.pendingInputs.isEmpty
    }

    /// Whether the session has ended and ignores further input.
    public var isClosed: Bool {
        if case .closed = self.state { return true }
        return false
    }

    /// The greeting sent as soon as the connection is accepted (§4.3.1).
    public func start() -> [Action] {
        [.reply(SMTPReply(code: 220, "\(self.configuration.hostname) Kenshu SMTP sink ready"))]
    }

    /// Feeds one decoded line or line-too-long event.
    public mutating func receive(_ input: SMTPLineDecoder.Output) -> [Action] {
        switch self.state {
        case .closed:
            return []
        case .delivering:
            self.pendingInputs.append(input)
            return []
        case .receivingData:
            return self.receiveText(input)
        case .awaitingHello, .ready, .awaitingRecipients:
            return self.receiveCommandLine(input)
        }
    }

    /// Reports the outcome of the last `.deliver` and answers any queued pipelined input.
    public mutating func deliveryFinished(_ result: Result<String, any Error>) -> [Action] {
        guard case .delivering = self.state else { return [] }
        self.state = .ready
        var actions: [Action]
        switch result {
        case .success(let identifier):
            actions = [.reply(SMTPReply(code: 250, "2.0.0 Ok: queued as \(identifier)"))]
        case .failure:
            actions = [.reply(SMTPReply(code: 451, "4.3.0 Local error in processing, message not stored"))]
        }
        while !self.pendingInputs.isEmpty, !self.isDelivering, !self.isClosed {
            let input = self.pendingInputs.removeFirst()
            actions += self.receive(input)
        }
        return actions
    }

    /// The connection was silent for too long (§4.5.3.2.7 suggests at least five minutes).
    public mutating func idleTimeoutElapsed() -> [Action] {
        switch self.state {
        case .closed, .delivering:
            return []
        default:
            self.state = .closed
            return [.reply(SMTPReply(code: 421, "4.4.2 \(self.configuration.hostname) Idle timeout, closing connection")), .close]
        }
    }

    // MARK: - Command mode

    private mutating func receiveCommandLine(_ input: SMTPLineDecoder.Output) -> [Action] {
        guard case .line(let bytes) = input, bytes.readableBytes <= Self.maximumCommandLineLength else {
            return [.reply(SMTPReply(code: 500, "5.5.2 Line too long"))]
        }
        let command: SMTPCommand
        do {
            command = try SMTPCommand.parse(bytes)
        } catch {
            switch error {
            case .unrecognizedCommand:
                return [.reply(SMTPReply(code: 500, "5.5.2 Command unrecognized"))]
            case .syntax(let reason):
                return [.reply(SMTPReply(code: 501, "5.5.4 Syntax error: \(reason)"))]
            case .unsupportedParameter(let parameter):
                return [.reply(SMTPReply(code: 555, "5.5.4 Unsupported parameter \(parameter)"))]
            }
        }
        return self.execute(command)
    }

    private mutating func execute(_ command: SMTPCommand) -> [Action] {
        let hostname = self.configuration.hostname
        switch (command, self.state) {
        case (.helo(let name), _):
            self.clientName = name
            self.state = .ready
            return [.reply(SMTPReply(code: 250, "\(hostname) Hello \(name)"))]
        case (.ehlo(let name), _):
            self.clientName = name
            self.state = .ready
            return [
                .reply(
                    SMTPReply(
                        code: 250,
                        lines: [
                            "\(hostname) Hello \(name)",
                            "PIPELINING",
                            "SIZE \(self.configuration.maximumMessageSize)",
                            "8BITMIME",
                            "SMTPUTF8",
                            "ENHANCEDSTATUSCODES",
                            "HELP",
                        ]
                    )
                )
            ]
        case (.mail(let reversePath, let declaredSize), .ready):
            if let declaredSize, declaredSize > self.configuration.maximumMessageSize {
                return [.reply(SMTPReply(code: 552, "5.3.4 Message size exceeds fixed limit"))]
            }
            self.state = .awaitingRecipients(
                MailEnvelope(mailFrom: reversePath, recipients: [], clientName: self.clientName, clientAddress: self.clientAddress)
            )
            return [.reply(SMTPReply(code: 250, "2.1.0 Ok"))]
        case (.mail, .awaitingRecipients):
            return [.reply(SMTPReply(code: 503, "5.5.1 Error: nested MAIL command"))]
        case (.mail, _):
            return [.reply(SMTPReply(code: 503, "5.5.1 Error: send HELO/EHLO first"))]
        case (.rcpt(let forwardPath), .awaitingRecipients(var envelope)):
            guard envelope.recipients.count < self.configuration.maximumRecipients else {
                return [.reply(SMTPReply(code: 452, "4.5.3 Error: too many recipients"))]
            }
            envelope.recipients.append(forwardPath)
            self.state = .awaitingRecipients(envelope)
            return [.reply(SMTPReply(code: 250, "2.1.5 Ok"))]
        case (.rcpt, _):
            return [.reply(SMTPReply(code: 503, "5.5.1 Error: need MAIL command"))]
        case (.data, .awaitingRecipients(let envelope)) where !envelope.recipients.isEmpty:
            self.data = DataCollector()
            self.state = .receivingData(envelope)
            return [.reply(SMTPReply(code: 354, "End data with <CR><LF>.<CR><LF>"))]
        case (.data, .awaitingRecipients):
            return [.reply(SMTPReply(code: 503, "5.5.1 Error: need RCPT command"))]
        case (.data, _):
            return [.reply(SMTPReply(code: 503, "5.5.1 Error: need MAIL command"))]
        case (.rset, _):
            if case .awaitingRecipients = self.state { self.state = .ready }
            return [.reply(SMTPReply(code: 250, "2.0.0 Ok"))]
        case (.noop, _):
            return [.reply(SMTPReply(code: 250, "2.0.0 Ok"))]
        case (.vrfy, _):
            return [.reply(SMTPReply(code: 252, "2.5.0 Cannot VRFY user, but will accept message"))]
        case (.help, _):
            return [.reply(SMTPReply(code: 214, "2.0.0 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP"))]
        case (.quit, _):
            self.state = .closed
            return [.reply(SMTPReply(code: 221, "2.0.0 \(hostname) closing connection")), .close]
        }
    }

    // MARK: - DATA mode

    private mutating func receiveText(_ input: SMTPLineDecoder.Output) -> [Action] {
        guard case .line(var line) = input else {
            self.data.hadLineTooLong = true
            return []
        }
        if line.readableBytes == 1, line.getInteger(at: line.readerIndex, as: UInt8.self) == UInt8(ascii: ".") {
            return self.finishData()
        }
        // Dot-unstuffing (§4.5.2): a leading dot was doubled by the client.
        if line.getInteger(at: line.readerIndex, as: UInt8.self) == UInt8(ascii: ".") {
            line.moveReaderIndex(forwardBy: 1)
        }
        if self.data.buffer.readableBytes + line.readableBytes + 2 > self.configuration.maximumMessageSize {
            self.data.exceedsSizeLimit = true
        }
        if !self.data.exceedsSizeLimit, !self.data.hadLineTooLong {
            self.data.buffer.writeBuffer(&line)
            self.data.buffer.writeStaticString("\r\n")
        }
        return []
    }

    private mutating func finishData() -> [Action] {
        guard case .receivingData(let envelope) = self.state else { return [] }
        let collector = self.data
        self.data = DataCollector()
        if collector.hadLineTooLong {
            self.state = .ready
            return [.reply(SMTPReply(code: 500, "5.5.2 Line too long, message not stored"))]
        }
        if collector.exceedsSizeLimit {
            self.state = .ready
            return [.reply(SMTPReply(code: 552, "5.3.4 Message size exceeds fixed limit"))]
        }
        self.state = .delivering
        return [.deliver(envelope, collector.buffer)]
    }
}
