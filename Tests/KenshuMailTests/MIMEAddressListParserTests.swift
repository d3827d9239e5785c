import Testing

@testable import KenshuMail

/// Address lists with quoted and encoded display names, groups and comments.
struct MIMEAddressListParserTests {
    @Test func parsesQuotedJapaneseName() {
        #expect(MailAddress.list(parsing: "\"名前\" <a@b.jp>") == [MailAddress(name: "名前", address: "a@b.jp")])
    }

    @Test func parsesEncodedISO2022JPName() {
        let list = MailAddress.list(parsing: "=?ISO-2022-JP?B?GyRCOzNFRBsoQiAbJEJCQE86GyhC?= <taro@example.jp>")
        #expect(list == [MailAddress(name: "山田 太郎", address: "taro@example.jp")])
    }

    @Test func keepsCommasInsideQuotes() {
        let list = MailAddress.list(parsing: "\"Doe, John\" <john@example.com>, jane@example.com")
        #expect(
            list == [
                MailAddress(name: "Doe, John", address: "john@example.com"),
                MailAddress(name: "", address: "jane@example.com"),
            ]
        )
    }

    @Test func flattensGroupsAndUsesCommentsAsNames() {
        let list = MailAddress.list(parsing: "Team: a@x.jp (Alice), Bob <b@x.jp>;, undisclosed-recipients:;")
        #expect(
            list == [
                MailAddress(name: "Alice", address: "a@x.jp"),
                MailAddress(name: "Bob", address: "b@x.jp"),
            ]
        )
    }

    @Test func joinsUnquotedAtomsIntoName() {
        let list = MailAddress.list(parsing: "Kenshu Support Team <support@kenshu.example>")
        #expect(list == [MailAddress(name: "Kenshu Support Team", address: "support@kenshu.example")])
    }
}
