import ArgumentParser
import Foundation
import KenshuServer
import KenshuSite
import KenshuStudies

/// `kenshu study`: the usability studies' log outside the server — the offline HTML report,
/// the export (`attempts.csv`, `events.json`) and the import of an `events.json`.
struct StudyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "study",
        abstract: "Usability studies: write the offline report, export the log, import an events.json.",
        subcommands: [Report.self, Export.self, Import.self]
    )

    /// Prints `kenshu study: <message>` to standard error and exits 1.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("kenshu study: error: \(message)\n".utf8))
        Foundation.exit(1)
    }

    /// The store of an existing data directory (the report and the export never create one).
    static func existingStore(_ data: String) -> StudyStore {
        let file = URL(fileURLWithPath: data).appendingPathComponent(StudyStore.fileName)
        guard FileManager.default.fileExists(atPath: file.path) else {
            fail("no study log at \(file.path) (--data must be the data directory `kenshu serve` used)")
        }
        do { return try StudyStore(dataDirectory: URL(fileURLWithPath: data)) } catch {
            fail("cannot open \(file.path): \(error)")
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Writes a study's report as one self-contained HTML file (no script, nothing fetched).")

        @Option(help: "The built site (its pages are pictured under the click maps).")
        var site: String = "Output"

        @Flag(inversion: .prefixedNo, help: "Picture each clicked page under its click map (Chromium; a few seconds).")
        var screens = true

        @Option(help: "The Content folder (its studies/ define the tasks).")
        var content: String = "Content"

        @Option(help: "The data directory holding studies.sqlite.")
        var data: String

        @Option(help: "The HTML file to write.")
        var output: String

        @Option(help: "The study's id (its file name in Content/studies/); default: the only, else the first.")
        var study: String?

        func run() async throws {
            let studies: [Study]
            do {
                studies = try StudyLoader(root: URL(fileURLWithPath: content), displayRoot: content).load()
            } catch {
                reportAndExit(error)
            }
            guard !studies.isEmpty else { StudyCommand.fail("no studies in \(content)/\(StudyLoader.folder)/") }
            let chosen: Study
            if let study {
                guard let found = studies.first(where: { $0.id == study }) else {
                    StudyCommand.fail("no study \(study) in \(content)/\(StudyLoader.folder)/ (there are: \(studies.map(\.id).joined(separator: ", ")))")
                }
                chosen = found
            } else {
                chosen = studies[0]
            }
            let store = StudyCommand.existingStore(data)
            do {
                let report = StudyReport(study: chosen, events: try store.events(), participants: try store.participants())
                var backdrops: [ClickBackdrop] = []
                if screens {
                    do {
                        // Kept in the data directory: the next report pictures only pages that changed.
                        backdrops = try await ClickMapScreens.shoot(report.clickMaps, output: URL(fileURLWithPath: site),
                                                                    cache: URL(fileURLWithPath: data).appendingPathComponent("screens"))
                    } catch {
                        // The numbers do not need the pictures: say so and write the report.
                        FileHandle.standardError.write(Data("kenshu study: warning: the click maps are drawn without the pages (\(error)); --no-screens skips them\n".utf8))
                    }
                }
                let html = try StudyReportPage.render(report, backdrops: backdrops)
                let url = URL(fileURLWithPath: output)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(html.utf8).write(to: url, options: .atomic)
                print("wrote the report of \(chosen.id) (\(report.participants.count) participants, \(report.attempts.count) attempts\(backdrops.isEmpty ? "" : ", \(backdrops.count) pages pictured")) to \(output)")
            } catch {
                StudyCommand.fail("\(error)")
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Writes attempts.csv and events.json of every study in the data directory into a folder.")

        @Option(help: "The data directory holding studies.sqlite.")
        var data: String

        @Option(help: "The folder to write attempts.csv and events.json into.")
        var output: String

        @Option(help: "The Content folder (its studies/ classify the attempts for attempts.csv).")
        var content: String = "Content"

        func run() throws {
            let studies: [Study]
            do {
                studies = try StudyLoader(root: URL(fileURLWithPath: content), displayRoot: content).load()
            } catch {
                reportAndExit(error)
            }
            let store = StudyCommand.existingStore(data)
            do {
                let events = try store.events(), participants = try store.participants()
                let attempts = studies.flatMap { StudyReport(study: $0, events: events, participants: participants).attempts }
                    .sorted { ($0.startedAt, $0.participant, $0.attempt) < ($1.startedAt, $1.participant, $1.attempt) }
                let folder = URL(fileURLWithPath: output)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try Data(AttemptsCSV.render(attempts).utf8).write(to: folder.appendingPathComponent("attempts.csv"), options: .atomic)
                try EventArchive.export(store).write(to: folder.appendingPathComponent("events.json"), options: .atomic)
                print("wrote attempts.csv (\(attempts.count) attempts) and events.json (\(events.count) events) to \(output)")
            } catch {
                StudyCommand.fail("\(error)")
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Loads an events.json into an empty data directory (refused when it already holds events).")

        @Option(help: "The data directory to load into (created when missing).")
        var data: String

        @Argument(help: "The events.json to load.")
        var file: String

        func run() throws {
            guard let json = FileManager.default.contents(atPath: file) else {
                StudyCommand.fail("cannot read \(file) (missing or unreadable)")
            }
            do {
                let store = try StudyStore(dataDirectory: URL(fileURLWithPath: data))
                try EventArchive.importArchive(json, into: store)
                print("imported \(try store.events().count) events of \(try store.participants().count) participants into \(data)")
            } catch StudyError.storeNotEmpty {
                StudyCommand.fail("\(data)/\(StudyStore.fileName) already holds events; import into an empty data directory")
            } catch {
                StudyCommand.fail("\(error)")
            }
        }
    }
}
