import KenshuMail
import NIOCore
import Testing

struct SMTPSessionTests {
    private struct Failure: Error {}

    /// Feeds each line and returns the reply codes, with -1 for `.deliver` and 0 for `.close`.
    private func codes(_ session: inout SMTPSession, _ lines: [String]) -> [Int] {
        lines.flatMap { self.codes(session.receive(.line(ByteBuffer(string: $0)))) }
    }

    private func codes(_ actions: [SMTPSession.Action]) -> [Int] {
        actions.map { action in
            switch action {
            case .reply(let reply): return reply.code
            case .deliver: return -1
            case .close: return 0
            }
        }
    }

    private func replies(_ actions: [SMTPSession.Action]) -> [SMTPReply] {
        actions.compactMap { action in
            if case .reply(let reply) = action { return reply }
            return nil
        }
    }

    @Test func greetsWithHostname() {
        let session = SMTPSession(configuration: .init(hostname: "mail.test"))
        #expect(self.replies(session.start()) == [SMTPReply(code: 220, "mail.test Kenshu SMTP sink ready")])
    }

    @Test func ehloAdvertisesExtensions() {
        var session = SMTPSession(configuration: .init(hostname: "mail.test", maximumMessageSize: 1234))
        let reply = self.replies(session.receive(.line(ByteBuffer(string: "ehlo client.test"))))
        #expect(reply.first?.lines == ["mail.test Hello client.test", "PIPELINING", "SIZE 1234", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "HELP"])
        #expect(reply.first?.encoded.hasPrefix("250-mail.test Hello client.test\r\n250-PIPELINING\r\n") == true)
        #expect(reply.first?.encoded.hasSuffix("250 HELP\r\n") == true)
    }

    @Test func fullTransactionDeliversDotUnstuffedData() {
        var session = SMTPSession(clientAddress: "127.0.0.1")
        #expect(self.codes(&session, ["HELO c", "MAIL FROM:<a@x.test> BODY=8BITMIME SMTPUTF8", "RCPT TO:<b@y.test>", "rcpt to: <c@y.test>", "DATA"]) == [250, 250, 250, 250, 354])
        for line in ["Subject: hi", "", "..leading dot", ""] {
            #expect(session.receive(.line(ByteBuffer(string: line))).isEmpty)
        }
        let actions = session.receive(.line(ByteBuffer(string: ".")))
        let expected = MailEnvelope(mailFrom: "a@x.test", recipients: ["b@y.test", "c@y.test"], clientName: "c", clientAddress: "127.0.0.1")
        #expect(actions == [.deliver(expected, ByteBuffer(string: "Subject: hi\r\n\r\n.leading dot\r\n\r\n"))])
        #expect(session.isDelivering)
        let finished = self.replies(session.deliveryFinished(.success("abc")))
        #expect(finished == [SMTPReply(code: 250, "2.0.0 Ok: queued as abc")])
        #expect(self.codes(&session, ["MAIL FROM:<>"]) == [250])
    }

    @Test func enhancedStatusCodesOnReplies() {
        var session = SMTPSession()
        _ = session.receive(.line(ByteBuffer(string: "EHLO c")))
        #expect(self.replies(session.receive(.line(ByteBuffer(string: "MAIL FROM:<a@b>")))) == [SMTPReply(code: 250, "2.1.0 Ok")])
        #expect(self.replies(session.receive(.line(ByteBuffer(string: "RCPT TO:<a@b>")))) == [SMTPReply(code: 250, "2.1.5 Ok")])
    }

    @Test func badSequenceIs503() {
        var session = SMTPSession()
        #expect(self.codes(&session, ["MAIL FROM:<a@b>", "RCPT TO:<a@b>", "DATA"]) == [503, 503, 503])
        #expect(self.codes(&session, ["EHLO c", "RCPT TO:<a@b>", "DATA", "MAIL FROM:<a@b>", "DATA", "MAIL FROM:<a@b>"]) == [250, 503, 503, 250, 503, 503])
        let reply = self.replies(session.receive(.line(ByteBuffer(string: "MAIL FROM:<a@b>"))))
        #expect(reply.first?.lines.first?.hasPrefix("5.5.1") == true)
    }

    @Test func unknownCommandIs500AndSyntaxErrorIs501() {
        var session = SMTPSession()
        #expect(self.codes(&session, ["FROB", "", "EHLO", "MAIL FROM:a@b", "HELO c", "MAIL TO:<a@b>", "MAIL FROM:<a@b>", "RCPT TO:<>", "DATA now"]) == [500, 500, 501, 501, 250, 501, 250, 501, 501])
        #expect(self.replies(session.receive(.line(ByteBuffer(string: "XYZZY")))).first?.lines == ["5.5.2 Command unrecognized"])
        #expect(self.codes(&session, ["RSET", "MAIL FROM:<a@b> SIZE=abc", "MAIL FROM:<a@b> FOO=1"]) == [250, 501, 555])
    }

    @Test func tooLongCommandLineIs500AndSessionContinues() {
        var session = SMTPSession()
        #expect(self.replies(session.receive(.tooLong)) == [SMTPReply(code: 500, "5.5.2 Line too long")])
        let longCommand = "NOOP " + String(repeating: "a", count: 510)
        #expect(self.codes(&session, [longCommand, "NOOP"]) == [500, 250])
    }

    @Test func declaredSizeOverLimitIs552() {
        var session = SMTPSession(configuration: .init(maximumMessageSize: 100))
        #expect(self.codes(&session, ["EHLO c", "MAIL FROM:<a@b> SIZE=101"]) == [250, 552])
        #expect(self.codes(&session, ["MAIL FROM:<a@b> SIZE=100"]) == [250])
    }

    @Test func messageOverLimitIs552() {
        var session = SMTPSession(configuration: .init(maximumMessageSize: 100))
        _ = self.codes(&session, ["EHLO c", "MAIL FROM:<a@b>", "RCPT TO:<c@d>", "DATA"])
        for _ in 0..<10 { _ = session.receive(.line(ByteBuffer(string: String(repeating: "z", count: 50)))) }
        #expect(self.replies(session.receive(.line(ByteBuffer(string: ".")))) == [SMTPReply(code: 552, "5.3.4 Message size exceeds fixed limit")])
        #expect(self.codes(&session, ["RCPT TO:<c@d>", "NOOP"]) == [503, 250])
    }

    @Test func tooLongTextLineRefusesMessageAfterFinalDot() {
        var session = SMTPSession()
        _ = self.codes(&session, ["EHLO c", "MAIL FROM:<a@b>", "RCPT TO:<c@d>", "DATA"])
        #expect(session.receive(.line(ByteBuffer(string: "before"))).isEmpty)
        #expect(session.receive(.tooLong).isEmpty)
        #expect(session.receive(.line(ByteBuffer(string: "after"))).isEmpty)
        let reply = self.replies(session.receive(.line(ByteBuffer(string: "."))))
        #expect(reply.first?.code == 500)
        #expect(reply.first?.lines.first?.hasPrefix("5.5.2 Line too long") == true)
        #expect(self.codes(&session, ["MAIL FROM:<a@b>"]) == [250])
    }

    @Test func moreThanMaximumRecipientsIs452() {
        var session = SMTPSession()
        _ = self.codes(&session, ["EHLO c", "MAIL FROM:<a@b>"])
        let accepted = self.codes(&session, (0..<100).map { "RCPT TO:<r\($0)@d>" })
        #expect(accepted == Array(repeating: 250, count: 100))
        #expect(self.replies(session.receive(.line(ByteBuffer(string: "RCPT TO:<late@d>")))) == [SMTPReply(code: 452, "4.5.3 Error: too many recipients")])
        #expect(self.codes(&session, ["DATA"]) == [354])
    }

    @Test func vrfyNoopRsetHelpQuit() {
        var session = SMTPSession(configuration: .init(hostname: "h"))
        #expect(self.codes(&session, ["VRFY someone", "NOOP", "RSET", "HELP"]) == [252, 250, 250, 214])
        #expect(self.replies(session.receive(.line(ByteBuffer(string: "VRFY x")))).first?.lines == ["2.5.0 Cannot VRFY user, but will accept message"])
        #expect(session.receive(.line(ByteBuffer(string: "QUIT"))) == [.reply(SMTPReply(code: 221, "2.0.0 h closing connection")), .close])
        #expect(session.isClosed)
        #expect(session.receive(.line(ByteBuffer(string: "NOOP"))).isEmpty)
    }

    @Test func rsetAbortsTransaction() {
        var session = SMTPSession()
        #expect(self.codes(&session, ["EHLO c", "MAIL FROM:<a@b>", "RCPT TO:<c@d>", "RSET", "DATA", "MAIL FROM:<a@b>"]) == [250, 250, 250, 250, 503, 250])
    }

    @Test func idleTimeoutIs421AndClose() {
        var session = SMTPSession(configuration: .init(hostname: "h"))
        #expect(session.idleTimeoutElapsed() == [.reply(SMTPReply(code: 421, "4.4.2 h Idle timeout, closing connection")), .close])
        #expect(session.isClosed)
    }

    @Test func failedDeliveryIs451() {
        var session = SMTPSession()
        _ = self.codes(&session, ["EHLO c", "MAIL FROM:<a@b>", "RCPT TO:<c@d>", "DATA", "."])
        #expect(self.codes(session.deliveryFinished(.failure(Failure()))) == [451])
    }

    @Test func pipelinedInputDuringDeliveryIsAnsweredAfterIt() {
        var session = SMTPSession()
        #expect(self.codes(&session, ["EHLO c", "MAIL FROM:<a@b>", "RCPT TO:<c@d>", "DATA", "body", "."]) == [250, 250, 250, 354, -1])
        #expect(self.codes(&session, ["MAIL FROM:<e@f>", "RCPT TO:<g@h>", "DATA", "second", ".", "QUIT"]) == [])
        #expect(self.codes(session.deliveryFinished(.success("one"))) == [250, 250, 250, 354, -1])
        #expect(self.codes(session.deliveryFinished(.success("two"))) == [250, 221, 0])
    }
}
