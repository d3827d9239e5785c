import Foundation
import KenshuSite
import Testing
@testable import KenshuStudies

/// A broken study stops the site build like any Content error: at its file:line:col, in the
/// lint step, with Output/ untouched.
struct StudyCheckTests {
    @Test func aBrokenStudyStopsTheBuildAndWritesNothing() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-studycheck-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("Content"), output = root.appendingPathComponent("Output")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Repository.content, to: content)
        var builder = SiteBuilder(content: content, displayRoot: "Content", output: output)
        builder.checks = [StudyCheck()]
        _ = try builder.build()
        let before = try Data(contentsOf: output.appendingPathComponent("v2/login.html"))

        let study = content.appendingPathComponent("studies/chapter3.yaml")
        let text = try String(contentsOf: study, encoding: .utf8)
        let broken = text.replacingOccurrences(of: "    page: v2/index.html", with: "    page: v2/indx.html")
        #expect(broken != text)
        try Data(broken.utf8).write(to: study)
        do {
            _ = try builder.build()
            Issue.record("the build should have failed")
        } catch let errors as ContentErrors {
            #expect(errors.step == .lint)
            #expect(errors.errors.map(\.description).contains { $0.hasPrefix("Content/studies/chapter3.yaml:") && $0.contains("`v2/indx.html` is not a served page; did you mean `v2/index.html`?") })
        }
        #expect(try Data(contentsOf: output.appendingPathComponent("v2/login.html")) == before)
    }
}
