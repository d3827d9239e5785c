import Testing

@testable import KenshuMail

/// base64 and quoted-printable decoding of sloppy real-world input.
struct MIMETransferEncodingTests {
    @Test func base64ToleratesLineBreaksAndMissingPadding() {
        let encoded = Array("5pel5pys\r\n6Kqe".utf8)
        #expect(MIMETransferEncoding.decodeBase64(encoded) == Array("日本語".utf8))
        #expect(MIMETransferEncoding.decodeBase64(Array("YWI".utf8)) == Array("ab".utf8))
        #expect(MIMETransferEncoding.decodeBase64(Array("YQ==YWI=".utf8)) == Array("aab".utf8))
    }

    @Test func quotedPrintableHandlesSoftBreaksAndLowercaseHex() {
        let encoded = Array("caf=c3=A9 au =\r\nlait=20=\nend \r\nnext=ZZ=".utf8)
        let decoded = String(decoding: MIMETransferEncoding.decodeQuotedPrintable(encoded), as: UTF8.self)
        #expect(decoded == "café au lait end\r\nnext=ZZ")
    }

    @Test func unknownEncodingPassesThrough() {
        let bytes: [UInt8] = [0x00, 0xFF, 0x41]
        #expect(MIMETransferEncoding.decode(bytes[...], encoding: "x-uuencode") == bytes)
    }
}
