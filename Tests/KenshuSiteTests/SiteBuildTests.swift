import Foundation
import Testing
@testable import KenshuSite

struct SiteBuildTests {
    @Test func buildsEveryEditionPageAndGallery() throws {
        let site = try TemporaryContent()
        defer { site.remove() }
        let summary = try SiteBuilder(content: site.content, displayRoot: "Content", output: site.output).build()
        // 2 editions × (index + 2 job pages) + 2 galleries
        #expect(summary.pages == 8)
        let index = try #require(site.read("a/index.html"))
        #expect(index.contains("<h1>トップ</h1>"))
        #expect(index.contains("全2件"))
        // sorted by received, newest first; dates in the manual's format
        let first = try #require(index.range(of: "介護福祉士 2021年9月21日"))
        let second = try #require(index.range(of: "調理補助 2021年9月10日"))
        #expect(first.lowerBound < second.lowerBound)
        #expect(index.contains("<h1>見出し</h1>"))  // Markdown through cmark
        #expect(index.contains("<footer>版A</footer>"))  // partial
        #expect(site.read("a/jobs/001.html")?.contains(#"<a href="../index.html">"#) == true)  // relative root
        #expect(site.read("index.html")?.contains(#"href="a/index.html""#) == true)
        #expect(site.read("index-b.html")?.contains(#"href="b/index.html""#) == true)
    }

    @Test func editionsFilterFixtureItems() throws {
        var files = TemporaryContent.minimal
        files["fixtures/jobs.yaml"]! = files["fixtures/jobs.yaml"]!.replacingOccurrences(of: "lists: []", with: "lists: [featured]")
        let site = try TemporaryContent(files: files)
        defer { site.remove() }
        _ = try SiteBuilder(content: site.content, output: site.output).build()
        #expect(site.read("a/index.html")?.contains("全2件") == true)
        #expect(site.read("b/index.html")?.contains("全3件") == true)
        #expect(site.read("a/jobs/003.html") == nil)
        #expect(site.read("b/jobs/003.html") != nil)
    }

    @Test func twoBuildsAreByteIdentical() throws {
        let first = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-det-\(UUID().uuidString)")
        let second = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-det-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: first); try? FileManager.default.removeItem(at: second) }
        _ = try SiteBuilder(content: Repository.content, displayRoot: "Content", output: first).build()
        _ = try SiteBuilder(content: Repository.content, displayRoot: "Content", output: second).build()
        let files = OutputWriter(output: first).existingFiles()
        #expect(files == OutputWriter(output: second).existingFiles())
        #expect(files.count > 50)
        for file in files {
            #expect(FileManager.default.contents(atPath: first.appendingPathComponent(file).path)
                    == FileManager.default.contents(atPath: second.appendingPathComponent(file).path), "\(file) differs")
        }
    }

    /// `kenshu handbook` writes into Output/handbook/ (and, while it runs, a staging folder
    /// beside it): neither a full build nor the dev server's updates touch them.
    @Test func theHandbookAndARunInProgressSurviveBuilds() throws {
        let site = try TemporaryContent()
        defer { site.remove() }
        let builder = SiteBuilder(content: site.content, output: site.output)
        _ = try builder.build()
        let handbook = site.output.appendingPathComponent("handbook/index.html")
        let running = site.output.appendingPathComponent(".handbook.staging-42/v2/3.3-pc-01.png")
        for file in [handbook, running] {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("kept".utf8).write(to: file)
        }
        _ = try builder.build()
        _ = try OutputWriter(output: site.output).synchronize(try builder.renderAll())
        for file in [handbook, running] {
            #expect(FileManager.default.contents(atPath: file.path) == Data("kept".utf8), "\(file.path)")
        }
        #expect(OutputWriter(output: site.output).existingFiles().allSatisfy { !$0.contains("handbook") })
        // A folder that only starts like it is the site's own.
        #expect(!OutputWriter.isKept("handbooks") && !OutputWriter.isKept(".handbookx") && OutputWriter.isKept("handbook"))
    }

    @Test func synchronizeWritesOnlyWhatChanged() throws {
        let site = try TemporaryContent()
        defer { site.remove() }
        let builder = SiteBuilder(content: site.content, output: site.output)
        let writer = OutputWriter(output: site.output)
        let firstChanges = try writer.synchronize(try builder.renderAll())
        #expect(firstChanges.count == 8)
        #expect(try writer.synchronize(try builder.renderAll()).isEmpty)
        try site.write("templates/job.mustache", "<h1>{{job.title}}!</h1>\n")
        let changed = try writer.synchronize(try builder.renderAll())
        #expect(Set(changed) == ["a/jobs/001.html", "a/jobs/002.html", "b/jobs/001.html", "b/jobs/002.html"])
        // a page no longer built is removed
        try site.write("fixtures/jobs.yaml", "[]\n")
        let removed = try writer.synchronize(try builder.renderAll())
        #expect(removed.contains("a/jobs/001.html"))
        #expect(site.read("a/jobs/001.html") == nil)
    }

    @Test func incrementalRenderTouchesOnlyWhatAChangeCanAffect() throws {
        let site = try TemporaryContent()
        defer { site.remove() }
        let builder = SiteBuilder(content: site.content, output: site.output)
        let full = try builder.render()
        #expect(full.rendered == 8)

        try site.write("pages/index.md", "---\ntemplate: page\ntitle: 新しいトップ\nflow: main\n---\n")
        let pageOnly = try builder.render(reusing: full, changed: ["pages/index.md"])
        #expect(pageOnly.rendered == 4)  // index in both editions + both galleries
        #expect(String(decoding: pageOnly.files["a/index.html"]!, as: UTF8.self).contains("新しいトップ"))
        #expect(pageOnly.files["a/jobs/001.html"] == full.files["a/jobs/001.html"])

        try site.write("assets/site.css", "body{}")
        let assetOnly = try builder.render(reusing: pageOnly, changed: ["assets/site.css"])
        #expect(assetOnly.rendered == 0)
        #expect(assetOnly.files["assets/site.css"] == Data("body{}".utf8))

        try site.write("templates/job.mustache", "<h2>{{job.title}}</h2>\n")
        let everything = try builder.render(reusing: assetOnly, changed: ["templates/job.mustache"])
        #expect(everything.rendered == 8)
        #expect(everything.files == (try builder.render()).files)
    }
}
