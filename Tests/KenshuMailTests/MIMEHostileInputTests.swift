import Foundation
import Testing

@testable import KenshuMail

/// Garbage and hostile input must neither crash nor take long.
struct MIMEHostileInputTests {
    /// Fails the test when parsing takes longer than `limit` seconds.
    private func expectFast(_ limit: Double, _ bytes: [UInt8]) -> MIMEMessage {
        let start = Date()
        let message = MIMEMessage(parsing: bytes)
        #expect(Date().timeIntervalSince(start) < limit)
        return message
    }

    @Test func randomBytesDoNotCrash() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let bytes = (0..<4_096).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = expectFast(2, bytes)
        }
        _ = expectFast(1, [])
    }

    @Test func megabyteHeaderLineStaysFast() {
        let words = "Subject: " + String(repeating: "=?UTF-8?B?", count: 100_000) + "\r\n"
        let unterminated = "X-Long: =?UTF-8?Q?" + String(repeating: "a=?b?Q?", count: 150_000) + "\r\n"
        let to = "To: " + String(repeating: "<\"(", count: 300_000) + "\r\n"
        let message = expectFast(10, Array((words + unterminated + to + "\r\nbody").utf8))
        #expect(!message.subject.isEmpty)
        #expect(message.header("X-Long")?.count == 1_050_000 + 10)
        #expect(message.text == "body")
    }

    @Test func tenThousandNestedBoundariesAreCut() {
        var text = ""
        for level in 0..<10_000 {
            text += "Content-Type: multipart/mixed; boundary=\"b\(level)\"\r\n\r\n--b\(level)\r\n"
        }
        text += "Content-Type: text/plain\r\n\r\ndeep\r\n"
        let message = expectFast(20, Array(text.utf8))
        #expect(message.text == nil)
        #expect(message.attachments.count <= MIMEPartParser.maximumPartCount)
    }

    @Test func partCountIsBounded() {
        var text = "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
        for index in 0..<5_000 {
            text += "--b\r\nContent-Type: application/octet-stream; name=f\(index)\r\n\r\nx\r\n"
        }
        text += "--b--\r\n"
        let message = expectFast(20, Array(text.utf8))
        #expect(message.attachments.count == MIMEPartParser.maximumPartCount - 1)
    }

    @Test func truncatedEncodingsDoNotCrash() {
        let text = """
            Content-Type: text/plain; charset=ISO-2022-JP\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            =1B$B$3=\r
            =
            """
        _ = expectFast(2, Array(text.utf8))
        let base64 = "Content-Type: text/plain; charset=utf-16\r\nContent-Transfer-Encoding: base64\r\n\r\n2D3=="
        _ = expectFast(2, Array(base64.utf8))
    }
}
