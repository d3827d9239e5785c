import Foundation
import KenshuSite
import Testing
@testable import KenshuHandbook

/// The handbook's picture of a mail shows the same body the server sends, `site.rules` included.
struct MailViewTests {
    @Test func theMailPrintsTheKeysLifetimeFromTheRules() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let content = try ContentLoader(root: repository.appendingPathComponent("Content"), displayRoot: "Content").load()
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-mailview-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: site) }
        for edition in content.configuration.editions {
            try FileManager.default.createDirectory(at: site.appendingPathComponent(edition.id), withIntermediateDirectories: true)
        }
        let view = try MailView(content: content, settings: try HandbookSettings(content: content), site: site)
        let html = try String(contentsOf: view.url(edition: "v2", mail: "password-reset"), encoding: .utf8)
        #expect(html.contains("この認証キーは、このメールの配信から50分間（2021年09月21日 10時50分まで）有効です。"))
    }
}
