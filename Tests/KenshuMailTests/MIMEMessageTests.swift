import Foundation
import Testing

@testable import KenshuMail

/// Whole messages built from real bytes, as stored by the sink.
struct MIMEMessageTests {
    /// Turns a fixture written with LF line ends into CRLF wire bytes.
    private func wire(_ text: String) -> [UInt8] {
        Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }

    @Test func parsesUTF8PlainMailWithJapaneseSubject() {
        let message = MIMEMessage(
            parsing: wire(
                """
                From: =?UTF-8?B?44Kx44Oz44K344Ol?= <noreply@kenshu.example>
                To: user@example.jp
                Subject: =?UTF-8?B?44OR44K544Ov44O844OJ5YaN55m76Yyy?=
                Date: Mon, 23 Nov 2026 16:30:05 +0900
                Message-ID: <abc.123@kenshu.example>
                MIME-Version: 1.0
                Content-Type: text/plain; charset=UTF-8
                Content-Transfer-Encoding: 8bit

                認証キー: 123456
                よろしくお願いします。

                """
            )
        )
        #expect(message.subject == "パスワード再登録")
        #expect(message.header("subject") == "パスワード再登録")
        #expect(message.from == [MailAddress(name: "ケンシュ", address: "noreply@kenshu.example")])
        #expect(message.to == [MailAddress(name: "", address: "user@example.jp")])
        #expect(message.messageID == "abc.123@kenshu.example")
        #expect(message.date == Date(timeIntervalSince1970: 1_795_419_005))
        #expect(message.text == "認証キー: 123456\nよろしくお願いします。\n")
        #expect(message.html == nil)
        #expect(message.snippet == "認証キー: 123456 よろしくお願いします。")
        #expect(message.headers.count == 8)
        #expect(message.attachments.isEmpty)
    }

    @Test func parsesISO2022JPMailWithSplitSubject() {
        let message = MIMEMessage(
            parsing: wire(
                """
                From: =?ISO-2022-JP?B?GyRCOzNFRBsoQiAbJEJCQE86GyhC?= <taro@example.jp>
                Subject: =?ISO-2022-JP?B?GyRCJVElOSU=?=
                 =?ISO-2022-JP?B?byE8JUk6RkVQTz8/PTl+PHVJVURMQ04bKEI=?=
                Content-Type: text/plain; charset=ISO-2022-JP
                Content-Transfer-Encoding: 7bit

                \u{1B}$B;3EDMM\u{1B}(B

                \u{1B}$BG'>Z%-!<\u{1B}(B: 483920

                \u{1B}$B$3$N%a!<%k$OAw?.@lMQ$G$9!#\u{1B}(B

                """
            )
        )
        #expect(message.subject == "パスワード再登録申込受付通知")
        #expect(message.from.first?.name == "山田 太郎")
        #expect(message.text == "山田様\n\n認証キー: 483920\n\nこのメールは送信専用です。\n")
    }

    @Test func decodesShiftJISAndEUCJPBodies() {
        var shiftJIS = wire("Subject: sjis\nContent-Type: text/plain; charset=Shift_JIS\n\n")
        shiftJIS += [0x8B, 0x81, 0x90, 0x6C, 0x82, 0xCC, 0x82, 0xB2, 0x88, 0xC4, 0x93, 0xE0, 0x82, 0xC5, 0x82, 0xB7, 0x81, 0x42]
        #expect(MIMEMessage(parsing: shiftJIS).text == "求人のご案内です。")

        var extendedUnixCode = wire("Subject: euc\nContent-Type: text/plain; charset=euc-jp\n\n")
        extendedUnixCode += [
            0xB1, 0xFE, 0xCA, 0xE7, 0xA4, 0xAC, 0xB4, 0xB0, 0xCE, 0xBB, 0xA4, 0xB7, 0xA4, 0xDE, 0xA4, 0xB7,
            0xA4, 0xBF, 0xA1, 0xA3,
        ]
        #expect(MIMEMessage(parsing: extendedUnixCode).text == "応募が完了しました。")
    }

    @Test func decodesQuotedPrintableWithSoftBreaks() {
        let message = MIMEMessage(
            parsing: wire(
                """
                Subject: qp
                Content-Type: text/plain; charset="utf-8"
                Content-Transfer-Encoding: Quoted-Printable

                =E8=AA=8D=E8=A8=BC=e3=82=ad=E3=83=BC: 12=
                3456
                a=3Db

                """
            )
        )
        #expect(message.text == "認証キー: 123456\na=b\n")
    }

    @Test func parsesMultipartAlternative() {
        let message = MIMEMessage(
            parsing: wire(
                """
                Subject: alt
                Content-Type: multipart/alternative; boundary="b1"

                This is a preamble.
                --b1
                Content-Type: text/plain; charset=utf-8

                Hello
                --b1
                Content-Type: text/html; charset=utf-8

                <html><head><style>p{}</style></head><body><p>Hello&nbsp;<b>world</b></p></body></html>
                --b1--
                epilogue
                """
            )
        )
        #expect(message.text == "Hello")
        #expect(message.html == "<html><head><style>p{}</style></head><body><p>Hello&nbsp;<b>world</b></p></body></html>")
        #expect(message.snippet == "Hello")
        #expect(message.attachments.isEmpty)
    }

    @Test func snippetFallsBackToStrippedHTML() {
        let message = MIMEMessage(
            parsing: wire(
                """
                Content-Type: text/html; charset=utf-8

                <html><head><title>T</title><style>p{}</style></head><body><p>Hello&nbsp;<b>world</b> &amp; you</p></body></html>
                """
            )
        )
        #expect(message.snippet == "Hello world & you")
    }

    @Test func parsesNestedMixedRelatedAlternativeWithAttachments() {
        let message = MIMEMessage(
            parsing: wire(
                """
                From: Kenshu <noreply@kenshu.example>
                To: "Doe, John" <john@example.com>, jane@example.com
                Cc: Team: a@x.jp;
                Subject: =?UTF-8?B?5pel5pys6Kqe?=
                Content-Type: multipart/mixed; boundary="outer"

                --outer
                Content-Type: multipart/related; boundary=related

                --related
                Content-Type: multipart/alternative; boundary="alt"

                --alt
                Content-Type: text/plain; charset=ISO-2022-JP
                Content-Transfer-Encoding: 7bit

                \u{1B}$BG'>Z%-!<\u{1B}(B
                --alt
                Content-Type: text/html; charset=UTF-8
                Content-Transfer-Encoding: base64

                PHA+6KqN6Ki844Kt44O8PC9wPg==
                --alt--
                --related
                Content-Type: image/png
                Content-ID: <logo@kenshu>
                Content-Disposition: inline
                Content-Transfer-Encoding: base64

                AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJw==
                --related--
                --outer
                Content-Type: text/plain; charset=UTF-8
                Content-Disposition: attachment;
                 filename*=UTF-8''%E5%B1%A5%E6%AD%B4%E6%9B%B8.txt

                resume
                --outer
                Content-Type: application/pdf; name="=?UTF-8?B?6KuL5rGC5pu4LnBkZg==?="
                Content-Disposition: attachment; filename="=?UTF-8?B?6KuL5rGC5pu4LnBkZg==?="
                Content-Transfer-Encoding: base64

                JVBERi0xLjQK
                --outer--

                """
            )
        )
        #expect(message.subject == "日本語")
        #expect(message.to.map(\.name) == ["Doe, John", ""])
        #expect(message.cc == [MailAddress(name: "", address: "a@x.jp")])
        #expect(message.text == "認証キー")
        #expect(message.html == "<p>認証キー</p>")
        #expect(message.inline.count == 1)
        #expect(message.inline.first?.partID == "1.2")
        #expect(message.inline.first?.contentID == "logo@kenshu")
        #expect(message.inline.first?.data == Array(0..<40))
        #expect(message.attachments.map(\.fileName) == ["履歴書.txt", "請求書.pdf"])
        #expect(message.attachments.map(\.partID) == ["2", "3"])
        #expect(message.attachments.map(\.contentType) == ["text/plain", "application/pdf"])
        #expect(message.attachments.first?.data == Array("resume".utf8))
        #expect(message.attachments.last?.data == Array("%PDF-1.4\n".utf8))
        #expect(message.attachments.last?.size == 9)
    }

    @Test func toleratesMissingFinalBoundaryAndBareLF() {
        let bytes = Array(
            """
            Content-Type: multipart/mixed; boundary=x

            --x
            Content-Type: text/plain

            first
            --x
            Content-Type: application/octet-stream; name=data.bin

            tail without closing delimiter
            """.utf8
        )
        let message = MIMEMessage(parsing: bytes)
        #expect(message.text == "first")
        #expect(message.attachments.map(\.fileName) == ["data.bin"])
        #expect(message.attachments.first?.data == Array("tail without closing delimiter".utf8))
    }

    @Test func unknownCharsetKeepsGoing() {
        var bytes = wire(
            """
            Subject: =?x-unknown-cs?Q?caf=E9?= ok
            Content-Type: multipart/alternative; boundary=b

            --b
            Content-Type: text/plain; charset=x-unknown-cs

            """
        )
        bytes += wire("\n") + [0x41, 0xE9, 0x42]
        bytes += wire("\n--b\nContent-Type: text/html; charset=utf-8\n\n<p>still here</p>\n--b--\n")
        let message = MIMEMessage(parsing: bytes)
        #expect(message.subject == "caf\u{FFFD} ok")
        #expect(message.text == "A\u{FFFD}B")
        #expect(message.html == "<p>still here</p>")
    }

    @Test func headerSummaryReadsOnlyHeaders() {
        let summary = MIMEMessage.headers(
            parsing: wire(
                """
                From: a@b.jp
                Subject: =?UTF-8?Q?=E6=97=A5=E6=9C=AC?=
                Message-ID: <id@x>

                body is not read
                """
            )
        )
        #expect(summary.subject == "日本")
        #expect(summary.from == [MailAddress(name: "", address: "a@b.jp")])
        #expect(summary.messageID == "id@x")
        #expect(summary.date == nil)
    }

    /// Bytes produced by python3's `email` package (`EmailMessage`, `policy=email.policy.SMTP`).
    @Test func parsesMailGeneratedByPythonEmailPackage() {
        let bytes = Array(
            ("Subject: =?utf-8?b?44CQ44Kx44Oz44K344Ol44CR44OR44K544Ov44O844OJ5YaN55m76Yyy?=\r\n"
                + " =?utf-8?b?55Sz6L685Y+X5LuY6YCa55+l44Gu44GK55+l44KJ44Gb44CB6ZW344GE5Lu25ZCN?=\r\n"
                + " =?utf-8?b?44Gn44KC5q2j44GX44GP5oqY44KK6L+U44GV44KM44KL44GL56K66KqN?=\r\n"
                + "From: =?utf-8?b?44Kx44Oz44K344Ol5LqL5YuZ5bGA?= <noreply@kenshu.example>\r\n"
                + "To: =?utf-8?b?5bGx55SwIOWkqumDjg==?= <taro@example.jp>\r\n"
                + "Content-Type: text/plain; charset=\"iso-2022-jp\"\r\n"
                + "Content-Transfer-Encoding: 7bit\r\nMIME-Version: 1.0\r\n\r\n"
                + "\u{1B}$B;3EDMM\u{1B}(B\r\n\r\n\u{1B}$BG'>Z%-!<\u{1B}(B: 483920\r\n").utf8
        )
        let message = MIMEMessage(parsing: bytes)
        #expect(message.subject == "【ケンシュ】パスワード再登録申込受付通知のお知らせ、長い件名でも正しく折り返されるか確認")
        #expect(message.from == [MailAddress(name: "ケンシュ事務局", address: "noreply@kenshu.example")])
        #expect(message.to == [MailAddress(name: "山田 太郎", address: "taro@example.jp")])
        #expect(message.text == "山田様\n\n認証キー: 483920\n")
    }
}
