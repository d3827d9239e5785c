import Foundation
import Testing
@testable import KenshuStudies

/// `attempts.csv` and `events.json`: quoting, the JSON form, and an import that reproduces the report.
struct ExportTests {
    @Test func csvQuotesAsRFC4180() {
        var table = CSVTable(header: ["a", "b"])
        table.rows = [["plain", "with,comma"], ["with \"quote\"", "two\nlines"], ["日本語", ""]]
        #expect(table.text == "a,b\r\nplain,\"with,comma\"\r\n\"with \"\"quote\"\"\",\"two\nlines\"\r\n日本語,\r\n")
        #expect(CSVReader.parse(table.text) == [["a", "b"], ["plain", "with,comma"], ["with \"quote\"", "two\nlines"], ["日本語", ""]])
    }

    @Test func attemptsCSVHasOneRowPerAttempt() throws {
        var log = OutcomeClassifierTests.directLogin()
        log.add(.outcomeOverridden(outcome: .indirectSuccess, reason: "画面を行き来した, \"本人談\""))
        var running = EventLog(participant: "P01", attempt: "P01-forgot-password-1", at: log.now + 1_000)
        running.start("forgot-password")
        let shifted = running.events.map { event in
            var event = event
            event.seq += log.events.count
            return event
        }
        let report = StudyReport(study: try StudyReportTests.shippedStudy(), events: log.events + shifted)
        let text = AttemptsCSV.render(report)
        let rows = CSVReader.parse(text)
        #expect(text.hasPrefix("participant,task,outcome,seconds,misclicks,errors,seq,"))
        #expect(rows.count == 3)
        let header = rows[0]
        let first = Dictionary(uniqueKeysWithValues: zip(header, rows[1]))
        #expect(first["participant"] == "P01")
        #expect(first["task"] == "login")
        #expect(first["outcome"] == "indirect_success")
        #expect(first["automatic_outcome"] == "direct_success")
        #expect(first["override_reason"] == "画面を行き来した, \"本人談\"")
        #expect(first["seconds"] == "19.000")
        #expect(first["misclicks"] == "1")
        #expect(first["errors"] == "1")
        #expect(first["error_kinds"] == "login_failed=1")
        #expect(first["seq"] == "6")
        #expect(first["path"] == "v2/index.html > v2/login.html > v2/home.html")
        let second = Dictionary(uniqueKeysWithValues: zip(header, rows[2]))
        #expect(second["outcome"] == "in_progress" && second["seconds"] == "" && second["seq"] == "")
    }

    @Test func theJSONFormIsFlatAndStable() throws {
        let event = StudyEvent(seq: 3, milliseconds: 1_746_093_602_500, participant: "P01", attempt: "P01-login-1",
                               kind: .formSubmitted(form: "login", fields: [.init(name: "password", valid: false)]))
        #expect(try event.jsonLine() == #"{"attempt":"P01-login-1","fields":[{"name":"password","valid":false}],"form":"login","participant":"P01","seq":3,"time":"2025-05-01T10:00:02.500Z","type":"form_submitted"}"#)
        // What a hand-edited file adds (a typed value) is not carried in.
        let edited = #"{"participant":"P01","seq":4,"time":"2025-05-01T10:00:03Z","type":"key_mismatch","value":"K7N4Q2X9"}"#
        let read = try StudyEvent.decode(jsonLine: edited)
        #expect(read.kind == .keyMismatch)
        #expect(try !read.jsonLine().contains("K7N4Q2X9"))
        #expect(throws: (any Error).self) { try StudyEvent.decode(jsonLine: #"{"participant":"P01","seq":1,"time":"2025-05-01T10:00:03Z","type":"seq_answer","answer":9}"#) }
        #expect(throws: (any Error).self) { try StudyEvent.decode(jsonLine: #"{"participant":"P01","seq":1,"time":"2025-05-01T10:00:03Z","type":"typed"}"#) }
    }

    @Test func everyKindRoundTrips() throws {
        let kinds: [StudyEvent.Kind] = [
            .taskStarted(study: "chapter3", task: "login"), .taskEnded(by: .participant), .taskEnded(by: .facilitator),
            .taskEnded(by: .timeLimit), .gaveUp, .pageView(path: "v2/login.html"),
            .click(.init(element: "p.lead", x: 1, y: 2, viewportWidth: 390, viewportHeight: 844, interactive: false, page: "v2/login.html")),
            .click(.init(element: "a", x: 1, y: 2, viewportWidth: 1280, viewportHeight: 900, interactive: true)),
            .formSubmitted(form: "password-reset", fields: [.init(name: "key", valid: false), .init(name: "new_password", valid: true)]),
            .loginFailed, .accountLocked, .keyMismatch, .keyExpired, .policyError(field: "new_password"), .passwordResetCompleted,
            .signedIn(path: "v2/home.html"), .signedOut, .mynaLinked, .mynaUnlinked, .note(tag: .bug, text: "改行\nと\"引用\""),
            .assisted, .seqAnswer(7), .susAnswers([1, 2, 3, 4, 5, 5, 4, 3, 2, 1]),
            .outcomeOverridden(outcome: .failed(.timeLimit), reason: "理由"),
        ]
        for (index, kind) in kinds.enumerated() {
            let event = StudyEvent(seq: index + 1, milliseconds: EventLog.base + Int64(index), participant: "P01",
                                   attempt: index.isMultiple(of: 2) ? "P01-login-1" : nil, kind: kind,
                                   client: index == 6 ? ClientStamp(stream: "s", number: 1) : nil)
            #expect(try StudyEvent.decode(jsonLine: try event.jsonLine()) == event)
        }
    }

    @Test func importingTheJSONReproducesTheReport() throws {
        let study = try StudyReportTests.shippedStudy()
        let generated = GeneratedStudy(study: study, participants: 6, seed: 7)
        let source = try StudyStore()
        _ = try source.append(generated.events)
        try source.deleteParticipant("P03")
        try source.createParticipant(at: Date(timeIntervalSince1970: 1_746_100_000))
        let before = StudyReport(study: study, events: try source.events(), participants: try source.participants())
        #expect(before.participants == ["P01", "P02", "P04", "P05", "P06", "P07"])

        let json = try EventArchive.export(source)
        #expect(String(decoding: json, as: UTF8.self).hasPrefix("{\"schema\": 1,"))
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let target = try StudyStore(dataDirectory: folder.url)
        try EventArchive.importArchive(json, into: target)
        let after = StudyReport(study: study, events: try target.events(), participants: try target.participants())
        #expect(after == before)
        #expect(AttemptsCSV.render(after) == AttemptsCSV.render(before))
        #expect(try EventArchive.export(target) == json)
        // Numbering goes on after the imported pseudonyms.
        #expect(try target.createParticipant().id == "P08")
        // Not into a store that has a log already.
        #expect(throws: StudyError.storeNotEmpty) { try EventArchive.importArchive(json, into: target) }
    }

    @Test func archivesOfAnotherSchemaAreRefused() throws {
        let store = try StudyStore()
        #expect(throws: StudyError.unsupportedSchema(2)) {
            try EventArchive.importArchive(Data(#"{"schema": 2, "events": []}"#.utf8), into: store)
        }
        #expect(throws: StudyError.self) { try EventArchive.importArchive(Data("not json".utf8), into: store) }
        // Without `participants`, they come from the events.
        var log = EventLog(participant: "P05")
        log.start("login")
        let lines = try log.events.map { try $0.jsonLine() }.joined(separator: ",")
        try EventArchive.importArchive(Data(#"{"schema": 1, "events": [\#(lines)]}"#.utf8), into: store)
        #expect(try store.participants().map(\.id) == ["P05"])
    }
}

/// An RFC 4180 reader, to check what the writer wrote.
enum CSVReader {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var characters = Array(text)[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\r\n" || c == "\n" {
                row.append(field); rows.append(row); row = []; field = ""
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
