import Foundation
import Testing
@testable import KenshuSite

/// The shipped Content/: the values the manual shows come out of the fixtures.
@Suite(.serialized) struct ShippedSiteTests {
    /// The shipped site, built once; a build error fails every test that reads it, with the error.
    static let build = Result { try SiteBuilder(content: Repository.content, displayRoot: "Content", output: Repository.output).renderAll() }
    static var files: [String: Data] { (try? build.get()) ?? [:] }

    func page(_ path: String) throws -> String {
        let files = try Self.build.get()
        return String(decoding: try #require(files[path], "\(path) was not built"), as: UTF8.self)
    }

    /// What a page would fetch from elsewhere: `src`/`srcset` values, and `<link href>`, that name
    /// another host (`http:`, `https:` or `//`).
    static func remoteResources(in html: String) -> [String] {
        var found: [String] = []
        for attribute in [" src=\"", " srcset=\"", " href=\""] {
            var rest = html[...]
            while let hit = rest.range(of: attribute) {
                let value = rest[hit.upperBound...].prefix { $0 != "\"" }
                let tag = rest[..<hit.lowerBound].components(separatedBy: "<").last ?? ""
                let loads = attribute != " href=\"" || tag.hasPrefix("link")
                if loads, value.hasPrefix("http:") || value.hasPrefix("https:") || value.hasPrefix("//") { found.append(String(value)) }
                rest = rest[hit.upperBound...]
            }
        }
        return found
    }

    @Test func everyScreenOfTheMissionIsBuiltInBothEditions() throws {
        let screens = ["index.html", "login.html", "password-reset.html", "password-reset-key.html", "password-reset-done.html",
                       "reregister.html", "reregister-key.html", "reregister-done.html", "locked.html", "home.html",
                       "jobs/request.html", "jobs/applied.html", "outside.html", "link-auth.html", "link-mismatch.html",
                       "mynaportal/login.html", "mynaportal/index.html", "mynaportal/connections.html", "mynaportal/consent.html",
                       "mynaportal/connected.html", "mynaportal/connections-linked.html", "mynaportal/unlink.html", "mynaportal/unlinked.html"]
        for edition in ["v1", "v2"] {
            for screen in screens {
                let html = try page("\(edition)/\(screen)")
                #expect(html.contains(#"<html lang="ja">"#))
                #expect(html.contains(#"<meta name="robots" content="noindex, nofollow">"#))
                #expect(html.contains("訓練用の模擬画面"))
                #expect(Self.remoteResources(in: html).isEmpty, "\(screen) loads a remote resource")
            }
        }
        _ = try page("v2/jobs/online.html")
        _ = try page("v2/reception-slip.html")
        #expect(Self.files["v1/jobs/online.html"] == nil)
        #expect(Self.files["v1/reception-slip.html"] == nil)
    }

    @Test func homeValuesComeFromFixtures() throws {
        for edition in ["v1", "v2"] {
            let home = try page("\(edition)/home.html")
            #expect(home.contains("前回のログイン日時: 2021年09月21日 10時00分"))
            #expect(home.contains("全2件中最新の求人を表示しています。"))
            #expect(home.contains("明日 勇気様"))
            #expect(home.contains("利用安定所名: 飯田橋公共職業安定所"))
            #expect(home.contains("<strong>2件</strong>"))
            #expect(home.contains("求職公開状況: <strong>公開中</strong>"))
            #expect(home.contains("13010-00999999"))
            #expect(home.contains("U・Iターン歓迎"))
        }
        let v1 = try page("v1/home.html"), v2 = try page("v2/home.html")
        #expect(v1.contains(#"<svg class="qr""#))
        #expect(v1.contains("70000-99999999"))
        #expect(!v1.contains("オンラインハローワーク紹介対象求人"))
        #expect(!v1.contains("ハローワーク受付票を表示"))
        #expect(v2.contains("オンラインハローワーク紹介対象求人"))
        #expect(v2.contains("全1件中最新の求人を表示しています。"))
        #expect(v2.contains("書類選考なし"))
        #expect(v2.contains("求人数: 3名"))
        #expect(v2.contains("ハローワーク受付票を表示"))
        #expect(try page("v2/reception-slip.html").contains(#"<svg class="qr""#))
    }

    @Test func everyJobHasADetailPageAndEveryListIsComplete() throws {
        for number in ["13010-00999999", "13010-00888888"] {
            #expect(try page("v1/jobs/\(number).html").contains(number))
        }
        #expect(try page("v2/jobs/13010-09999999.html").contains("13010-09999999"))
        #expect(Self.files["v1/jobs/13010-09999999.html"] == nil)
        let requests = try page("v1/jobs/request.html")
        #expect(requests.contains("全2件中 1〜2件"))
        #expect(requests.contains("13010-00888888"))
    }

    @Test func aRemoteResourceOfAnySchemeIsFound() {
        #expect(Self.remoteResources(in: #"<img src="https://cdn.example/x.png"><a href="https://example.jp/">a</a>"#) == ["https://cdn.example/x.png"])
        #expect(Self.remoteResources(in: #"<link rel="stylesheet" href="//fonts.example/css">"#) == ["//fonts.example/css"])
        #expect(Self.remoteResources(in: #"<script src="../assets/kenshu.js"></script>"#).isEmpty)
    }

    @Test func committedOutputIsWhatTheBuildMakes() throws {
        for (path, data) in try Self.build.get() {
            #expect(FileManager.default.contents(atPath: Repository.output.appendingPathComponent(path).path) == data,
                    "Output/\(path) is stale: run `make output` and commit")
        }
        let committed = OutputWriter(output: Repository.output).existingFiles()
        #expect(Set(committed) == Set(Self.files.keys), "Output/ has files the build does not make")
    }
}
