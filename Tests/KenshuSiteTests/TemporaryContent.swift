import Foundation

/// A Content folder written into a fresh temporary directory, for build tests.
struct TemporaryContent {
    let root: URL
    var content: URL { root.appendingPathComponent("Content") }
    var output: URL { root.appendingPathComponent("Output") }

    /// A small but complete site: one edition pair, a fixture list, a page per kind.
    static let minimal: [String: String] = [
        "site.yaml": """
        title: テストサイト
        editions:
          - id: a
            label: 版A
            flag: true
          - id: b
            label: 版B
        collections:
          featured:
            from: jobs
            where: { lists: featured }
            sort: -received
        gallery:
          template: gallery
          flows:
            - { id: main, title: メイン }
        """,
        "fixtures/jobs.yaml": """
        - number: "001"
          title: 介護福祉士
          received: 2021-09-21
          lists: [featured]
        - number: "002"
          title: 調理補助
          received: 2021-09-10
          lists: [featured]
        - number: "003"
          title: 事務
          received: 2021-10-01
          lists: []
          editions: [b]
        """,
        "templates/page.mustache": """
        <h1>{{page.title}}</h1>
        <p>全{{count(featured)}}件</p>
        {{#featured}}<li>{{title}} {{ja(received)}}</li>{{/featured}}
        {{{page.content}}}
        {{> partials/foot}}
        """,
        "templates/partials/foot.mustache": "<footer>{{edition.label}}</footer>\n",
        "templates/job.mustache": "<h1>{{job.title}}</h1><a href=\"{{root}}index.html\">top</a>\n",
        "templates/gallery.mustache": "{{#flows}}{{#screens}}<a href=\"{{href}}\">{{title}}</a>{{/screens}}{{/flows}}\n",
        "pages/index.md": """
        ---
        template: page
        title: トップ
        flow: main
        ---
        # 見出し

        本文です。
        """,
        "pages/jobs/detail.md": """
        ---
        template: job
        title: 求人
        each: featured
        as: job
        path: jobs/{{job.number}}.html
        ---
        """,
    ]

    init(files: [String: String] = TemporaryContent.minimal) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("kenshu-test-\(UUID().uuidString)")
        for (path, text) in files { try write(path, text) }
    }

    func write(_ path: String, _ text: String) throws {
        let url = content.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ outputPath: String) -> String? {
        FileManager.default.contents(atPath: output.appendingPathComponent(outputPath).path).map { String(decoding: $0, as: UTF8.self) }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// The repository's own Content/, for tests of the shipped site.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let content = root.appendingPathComponent("Content")
    static let output = root.appendingPathComponent("Output")
}
