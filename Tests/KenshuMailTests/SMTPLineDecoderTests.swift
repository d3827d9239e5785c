import KenshuMail
import NIOCore
import NIOEmbedded
import Testing

struct SMTPLineDecoderTests {
    /// Feeds `bytes` to `decoder` as the channel handler would and collects every output.
    private func decode(_ chunks: [ByteBuffer], decoder: inout SMTPLineDecoder, maximumBuffered: inout Int) -> [SMTPLineDecoder.Output] {
        var buffer = ByteBuffer()
        var outputs: [SMTPLineDecoder.Output] = []
        for var chunk in chunks {
            buffer.writeBuffer(&chunk)
            while let output = decoder.nextLine(in: &buffer) {
                outputs.append(output)
            }
            buffer.discardReadBytes()
            maximumBuffered = max(maximumBuffered, buffer.readableBytes)
        }
        return outputs
    }

    private func lines(_ outputs: [SMTPLineDecoder.Output]) -> [String] {
        outputs.map { output in
            switch output {
            case .line(let bytes): return String(buffer: bytes)
            case .tooLong: return "<too long>"
            }
        }
    }

    @Test func decodesByteByByte() {
        var decoder = SMTPLineDecoder()
        var maximumBuffered = 0
        let input = "EHLO client\r\nNOOP\nQUIT\r\n"
        let chunks = input.utf8.map { ByteBuffer(bytes: [$0]) }
        let outputs = self.decode(chunks, decoder: &decoder, maximumBuffered: &maximumBuffered)
        #expect(self.lines(outputs) == ["EHLO client", "NOOP", "QUIT"])
    }

    @Test func decodesManyLinesInOneBuffer() {
        var decoder = SMTPLineDecoder()
        var maximumBuffered = 0
        let input = (0..<200).map { "line \($0)\r\n" }.joined() + "partial"
        let outputs = self.decode([ByteBuffer(string: input)], decoder: &decoder, maximumBuffered: &maximumBuffered)
        #expect(self.lines(outputs) == (0..<200).map { "line \($0)" })
        #expect(maximumBuffered == "partial".utf8.count)
    }

    @Test func keepsEmptyLinesAndLoneDots() {
        var decoder = SMTPLineDecoder()
        var maximumBuffered = 0
        let outputs = self.decode([ByteBuffer(string: "\r\n.\r\n\n")], decoder: &decoder, maximumBuffered: &maximumBuffered)
        #expect(self.lines(outputs) == ["", ".", ""])
    }

    @Test func acceptsLineAtLimitAndRejectsOneOctetMore() {
        var decoder = SMTPLineDecoder(maximumLineLength: 1000)
        var maximumBuffered = 0
        let fits = String(repeating: "a", count: 998) + "\r\n"
        let tooLong = String(repeating: "b", count: 999) + "\r\n"
        let outputs = self.decode([ByteBuffer(string: fits + tooLong + "NOOP\r\n")], decoder: &decoder, maximumBuffered: &maximumBuffered)
        #expect(self.lines(outputs) == [String(repeating: "a", count: 998), "<too long>", "NOOP"])
    }

    @Test func discardsTenMebibyteLineWithBoundedMemory() {
        var decoder = SMTPLineDecoder(maximumLineLength: 1000)
        var maximumBuffered = 0
        let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)
        var chunks = Array(repeating: chunk, count: 10 * 16)
        chunks.append(ByteBuffer(string: "xxx\r\nQUIT\r\n"))
        let outputs = self.decode(chunks, decoder: &decoder, maximumBuffered: &maximumBuffered)
        #expect(self.lines(outputs) == ["<too long>", "QUIT"])
        #expect(maximumBuffered < 1000)
    }

    @Test func worksInsideAChannelPipeline() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPLineDecoder()))
        try channel.writeInbound(ByteBuffer(string: "HELO a\r\nNO"))
        try channel.writeInbound(ByteBuffer(string: "OP\r\n"))
        #expect(try channel.readInbound(as: SMTPLineDecoder.Output.self) == .line(ByteBuffer(string: "HELO a")))
        #expect(try channel.readInbound(as: SMTPLineDecoder.Output.self) == .line(ByteBuffer(string: "NOOP")))
        #expect(try channel.readInbound(as: SMTPLineDecoder.Output.self) == nil)
        #expect(try channel.finish().isClean)
    }
}
