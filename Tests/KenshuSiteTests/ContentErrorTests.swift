import Foundation
import Testing
@testable import KenshuSite

/// Every broken Content names `file:line:col`, and a failed build leaves Output/ as it was.
struct ContentErrorTests {
    /// Builds the minimal site, breaks one file, and returns the build's error messages after
    /// checking that the earlier Output/ is byte for byte untouched.
    func messages(breaking path: String, with text: String) throws -> [String] {
        let site = try TemporaryContent()
        defer { site.remove() }
        let builder = SiteBuilder(content: site.content, displayRoot: "Content", output: site.output)
        _ = try builder.build()
        let before = site.read("a/index.html")
        try site.write(path, text)
        do {
            _ = try builder.build()
            Issue.record("the build should have failed")
            return []
        } catch let errors as ContentErrors {
            #expect(site.read("a/index.html") == before)
            #expect(OutputWriter(output: site.output).existingFiles().count == 8)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.root.path).filter { $0.hasPrefix(".Output") }
            #expect(leftovers.isEmpty, "staging folders left behind: \(leftovers)")
            return errors.errors.map(\.description)
        }
    }

    @Test func badYAMLFixtureNamesLineAndColumn() throws {
        let messages = try messages(breaking: "fixtures/jobs.yaml", with: "- number: 1\n  title: [unclosed\n- number: 2\n")
        #expect(messages.count == 1)
        #expect(messages[0].hasPrefix("Content/fixtures/jobs.yaml:3:9: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 2)"), "\(messages)")
    }

    @Test func frontMatterErrorIsOnTheFileLine() throws {
        let messages = try messages(breaking: "pages/index.md", with: "---\ntemplate: page\ntitle: [トップ\n---\n本文\n")
        #expect(messages.count == 1)
        // YAML line 3 of the front matter is line 4 of the file
        #expect(messages[0].hasPrefix("Content/pages/index.md:4:"), "\(messages)")
    }

    @Test func unclosedFrontMatter() throws {
        let messages = try messages(breaking: "pages/index.md", with: "---\ntemplate: page\ntitle: x\n本文\n")
        #expect(messages == ["Content/pages/index.md:1:1: front matter is not closed: add a line `---` after the YAML"])
    }

    @Test func unknownTemplateSuggestsTheClosestName() throws {
        let messages = try messages(breaking: "pages/index.md", with: "---\ntitle: トップ\ntemplate: pgae\n---\n")
        #expect(messages == ["Content/pages/index.md:3:11: unknown template `pgae`; did you mean `page`?"])
    }

    @Test func missingFixtureFieldInTemplateNamesTheTag() throws {
        let messages = try messages(breaking: "templates/job.mustache", with: "<h1>{{job.title}}</h1>\n<p>{{job.salary}}</p>\n")
        #expect(messages.count == 1)
        #expect(messages[0].hasPrefix("Content/templates/job.mustache:2:4: `job.salary` is not in the data: no `salary`; fields there: lists, number, received, title (rendering Content/pages/jobs/detail.md (edition a))"), "\(messages)")
    }

    @Test func missingNameInPartialNamesThePartial() throws {
        let messages = try messages(breaking: "templates/partials/foot.mustache", with: "<footer>\n  {{edition.lable}}</footer>\n")
        #expect(messages.first?.hasPrefix("Content/templates/partials/foot.mustache:2:3: `edition.lable` is not in the data") == true, "\(messages)")
    }

    @Test func unknownPartial() throws {
        let messages = try messages(breaking: "templates/job.mustache", with: "{{> partials/nope}}\n")
        #expect(messages.first?.hasPrefix("Content/templates/job.mustache:1:1: unknown partial `partials/nope`") == true, "\(messages)")
    }

    @Test func templateSyntaxError() throws {
        let messages = try messages(breaking: "templates/job.mustache", with: "<h1>\n{{#job}}{{title}}\n")
        #expect(messages.count == 1)
        #expect(messages[0].hasPrefix("Content/templates/job.mustache:"), "\(messages)")
    }

    @Test func badRuleInSiteYAML() throws {
        let minimal = TemporaryContent.minimal["site.yaml"]!
        let line = minimal.split(separator: "\n", omittingEmptySubsequences: false).count + 3
        let messages = try messages(breaking: "site.yaml", with: minimal + "\nlive:\n  rules:\n    attempts_before_lock: 0\n")
        #expect(messages == ["Content/site.yaml:\(line):27: live.rules.attempts_before_lock must be a positive whole number, e.g. 5"])
    }

    @Test func unknownRulePlaceholderInAPage() throws {
        let messages = try messages(breaking: "pages/index.md", with: "---\ntemplate: page\ntitle: トップ\n---\nロックまで{{rules.attempts}}回\n")
        #expect(messages.count == 1)
        #expect(messages.first?.hasPrefix("Content/pages/index.md:5:6: unknown rule `{{rules.attempts}}`") == true, "\(messages)")
    }

    @Test func unknownCollectionAndEdition() throws {
        let messages = try messages(breaking: "pages/jobs/detail.md",
                                    with: "---\ntemplate: job\ntitle: 求人\neditions: [c]\neach: featurd\nas: job\npath: x/{{job.number}}.html\n---\n")
        #expect(messages.contains { $0.hasPrefix("Content/pages/jobs/detail.md:4:11: unknown edition `c`") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("Content/pages/jobs/detail.md:5:7: unknown collection `featurd`") }, "\(messages)")
    }

    @Test func unknownEditionInFixture() throws {
        let messages = try messages(breaking: "fixtures/jobs.yaml", with: "- number: \"1\"\n  title: t\n  editions: [z]\n")
        #expect(messages.first?.hasPrefix("Content/fixtures/jobs.yaml:3:14: unknown edition `z`") == true, "\(messages)")
    }

    @Test func unsafeGeneratedPathIsRefused() throws {
        let messages = try messages(breaking: "fixtures/jobs.yaml", with: "- number: ../../etc\n  title: t\n  received: 2021-01-01\n  lists: [featured]\n")
        #expect(messages.first?.contains("must be a relative path ending in .html") == true, "\(messages)")
    }

    @Test func twoPagesWritingOnePathAreRefused() throws {
        let messages = try messages(breaking: "pages/jobs/001.md", with: "---\ntemplate: job\ntitle: x\n---\n")
        #expect(messages.contains { $0.contains("writes a/jobs/001.html, as Content/pages/") }, "\(messages)")
    }

    @Test func checkWritesNothing() throws {
        let site = try TemporaryContent()
        defer { site.remove() }
        let summary = try SiteBuilder(content: site.content, output: site.output).check()
        #expect(summary.pages == 8)
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
    }
}
