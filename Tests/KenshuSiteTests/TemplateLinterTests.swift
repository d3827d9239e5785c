import Foundation
import Mustache
import Testing
@testable import KenshuSite

struct TemplateLinterTests {
    func problems(_ template: String, _ context: [String: Any], partials: [String: String] = [:]) throws -> [String] {
        var templates: [String: Content.Template] = [:]
        for (name, text) in partials.merging(["t": template], uniquingKeysWith: { a, _ in a }) {
            templates[name] = Content.Template(name: name, displayPath: "\(name).mustache", text: text, parsed: try MustacheTemplate(string: text))
        }
        let linter = try TemplateLinter(templates: templates)
        return linter.problems(template: "t", context: context, page: "p").map(\.description)
    }

    @Test func resolvedNamesPass() throws {
        let context: [String: Any] = ["a": ["b": ContentString("x")], "list": [["n": 1], ["n": 2]], "flag": true, "none": ContentNull()]
        #expect(try problems("{{a.b}} {{#list}}{{n}}{{/list}} {{count(list)}} {{#flag}}{{a.b}}{{/flag}} {{none}}", context).isEmpty)
    }

    @Test func sectionsMayNameAbsentKeys() throws {
        #expect(try problems("{{#optional}}{{whatever}}{{/optional}}{{^optional}}ok{{/optional}}", [:]).isEmpty)
    }

    @Test func missingVariableIsReportedAtItsPosition() throws {
        let found = try problems("line1\n  {{a.c}}", ["a": ["b": 1]])
        #expect(found == ["t.mustache:2:3: `a.c` is not in the data: no `c`; fields there: b (rendering p)"])
    }

    @Test func everyListElementIsChecked() throws {
        let found = try problems("{{#list}}{{n}}{{/list}}", ["list": [["n": 1], ["m": 2]]])
        #expect(found.count == 1)
    }

    @Test func contextStackIsSearchedOutwards() throws {
        #expect(try problems("{{#list}}{{title}}{{/list}}", ["title": ContentString("t"), "list": [["n": 1]]]).isEmpty)
    }

    @Test func transformThatDoesNotApplyIsReported() throws {
        let found = try problems("{{count(name)}}", ["name": 5])
        #expect(found.first?.contains("cannot apply `count` to a number") == true)
    }

    @Test func escapedHTMLIsReported() throws {
        let found = try problems("{{html}}", ["html": RawHTML("<p>x</p>")])
        #expect(found.first?.contains("is HTML: write {{{html}}}") == true)
        #expect(try problems("{{{html}}}", ["html": RawHTML("<p>x</p>")]).isEmpty)
    }

    @Test func partialsAreFollowed() throws {
        let found = try problems("{{> p}}", [:], partials: ["p": "{{x}}"])
        #expect(found.first?.hasPrefix("p.mustache:1:1:") == true)
    }

    @Test func unbalancedSectionsAreSyntaxErrors() {
        #expect(throws: ContentError.self) { try TagParser(text: "{{#a}}x", path: "t").parse() }
        #expect(throws: ContentError.self) { try TagParser(text: "{{#a}}x{{/b}}", path: "t").parse() }
        #expect(throws: ContentError.self) { try TagParser(text: "{{=<% %>=}}", path: "t").parse() }
    }
}

struct ContentValueTests {
    @Test func japaneseDates() {
        #expect(ContentString("2021-09-21").transform("ja") as? String == "2021年9月21日")
        #expect(ContentString("2021-09-21 10:00").transform("ja") as? String == "2021年09月21日 10時00分")
        #expect(ContentString("2021-13-01").transform("ja") == nil)
        #expect(ContentString("明日").transform("ja") == nil)
        #expect(ContentString("abc").transform("uppercased") as? String == "ABC")
    }

    @Test func scalarsStayTextUnlessPlainlyNumbers() throws {
        let node = try #require(try YAMLContent.parse("a: 12\nb: 0600001\nc: 2021-09-21\nd: true\ne: ~\nf: \"12\"\ng: 13010-00999999", path: "x"))
        let value = try #require(try YAMLContent.value(of: node, path: "x") as? [String: Any])
        #expect(value["a"] as? Int == 12)
        #expect((value["b"] as? ContentString)?.value == "0600001")
        #expect((value["c"] as? ContentString)?.value == "2021-09-21")
        #expect(value["d"] as? Bool == true)
        #expect(value["e"] is ContentNull)
        #expect((value["f"] as? ContentString)?.value == "12")
        #expect((value["g"] as? ContentString)?.value == "13010-00999999")
    }

    @Test func markdownThroughCmark() {
        let html = Markdown.html(from: "# 見出し\n\n- 一\n- 二\n\n<div class=\"x\">raw</div>\n")
        #expect(html == "<h1>見出し</h1>\n<ul>\n<li>一</li>\n<li>二</li>\n</ul>\n<div class=\"x\">raw</div>\n")
    }
}

struct CollectionQueryTests {
    let fixtures: [String: Any] = [
        "jobs": [
            ["n": ContentString("a"), "d": ContentString("2021-01-02"), "lists": [ContentString("x")]],
            ["n": ContentString("b"), "d": ContentString("2021-03-01"), "lists": [ContentString("x"), ContentString("y")]],
            ["n": ContentString("c"), "d": ContentString("2021-02-01"), "lists": [ContentString("y")]],
        ] as [Any],
    ]

    func query(_ yaml: String) throws -> CollectionQuery {
        try CollectionQuery.parse(name: "q", node: try #require(try YAMLContent.parse(yaml, path: "s")), path: "s")
    }

    func numbers(_ value: Any) -> [String] {
        (value as? [Any] ?? []).compactMap { (($0 as? [String: Any])?["n"] as? ContentString)?.value }
    }

    @Test func whereMatchesListMembershipAndSorts() throws {
        #expect(numbers(try query("{from: jobs, where: {lists: x}, sort: -d}").evaluate(in: fixtures)) == ["b", "a"])
        #expect(numbers(try query("{from: jobs, sort: d}").evaluate(in: fixtures)) == ["a", "c", "b"])
    }

    @Test func singleAndTemplatedWhere() throws {
        let result = try query("{from: jobs, where: {n: \"{{wanted}}\"}, single: true}").evaluate(in: fixtures, context: ["wanted": ContentString("c")])
        #expect(((result as? [String: Any])?["n"] as? ContentString)?.value == "c")
        #expect(try query("{from: jobs, where: {n: z}, single: true}").evaluate(in: fixtures) is ContentNull)
    }

    @Test func unknownFixtureIsAnError() throws {
        #expect(throws: ContentError.self) { try query("{from: nope}").evaluate(in: fixtures) }
    }
}

struct QRCodeTests {
    @Test func encodesTheSeekerNumberAsVersion1() throws {
        let code = try QRCode(encoding: "70000-99999999")
        #expect(code.size == 21)  // 14 bytes fit version 1 at level M
        // the three finder patterns: a 7×7 dark ring in three corners
        for (x0, y0) in [(0, 0), (14, 0), (0, 14)] {
            for i in 0..<7 {
                #expect(code.modules[(y0) * 21 + x0 + i])
                #expect(code.modules[(y0 + 6) * 21 + x0 + i])
                #expect(code.modules[(y0 + i) * 21 + x0])
            }
            #expect(!code.modules[(y0 + 1) * 21 + x0 + 1])
        }
        let svg = code.svg()
        #expect(svg.hasPrefix(#"<svg class="qr""#))
        #expect(svg.contains(#"viewBox="0 0 29 29""#))
    }

    @Test func differentTextGivesDifferentModules() throws {
        #expect(try QRCode(encoding: "70000-99999999").modules != QRCode(encoding: "70000-99999998").modules)
    }
}
