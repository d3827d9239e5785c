import ArgumentParser
import Foundation
import KenshuServer
import KenshuSite
import Logging

@main
struct Kenshu: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kenshu",
        abstract: "Builds and serves an offline, clickable training replica of a web service.",
        subcommands: [Build.self, Check.self, Serve.self, Mail.self],
        defaultSubcommand: Build.self
    )
}

/// Options every site command shares.
struct SiteOptions: ParsableArguments {
    @Option(help: "The Content folder.")
    var content: String = "Content"

    @Option(help: "The folder the site is written to.")
    var output: String = "Output"

    func builder() -> SiteBuilder {
        SiteBuilder(content: URL(fileURLWithPath: content), displayRoot: content, output: URL(fileURLWithPath: output))
    }
}

/// Prints Content errors the way compilers do, one `file:line:col: message` per line, and exits 1.
func reportAndExit(_ error: Error) -> Never {
    let text: String
    switch error {
    case let errors as ContentErrors: text = errors.errors.map { "\($0.location): error: \($0.message)" }.joined(separator: "\n")
    case let error as ContentError: text = "\(error.location): error: \(error.message)"
    default: text = "error: \(error)"
    }
    FileHandle.standardError.write(Data((text + "\n").utf8))
    Foundation.exit(1)
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Renders Content/ into Output/ (nothing is written when anything fails).")

    @OptionGroup var options: SiteOptions

    func run() throws {
        let start = ContinuousClock.now
        do {
            let summary = try options.builder().build()
            let elapsed = ContinuousClock.now - start
            print("built \(summary.pages) pages and \(summary.assets) assets into \(options.output)/ in \(elapsed.formatted(.units(allowed: [.milliseconds])))")
        } catch {
            reportAndExit(error)
        }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Loads and validates Content/ without writing anything.")

    @OptionGroup var options: SiteOptions

    func run() throws {
        do {
            let summary = try options.builder().check()
            print("ok: \(summary.pages) pages, \(summary.assets) assets")
        } catch {
            reportAndExit(error)
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Builds, serves Output/ and rebuilds on every change to Content/, reloading open pages.")

    @OptionGroup var options: SiteOptions

    @Option(help: "Address to bind. Keep 127.0.0.1 unless others must reach this machine.")
    var host: String = "127.0.0.1"

    @Option(help: "HTTP port (site, inbox at /mail, API at /api/v1).")
    var port: Int = 8080

    @OptionGroup var mail: MailSinkOptions

    func run() async throws {
        let (store, smtp) = try await mail.start(host: host, logger: Logger(label: "kenshu"))
        let server = DevServer(builder: options.builder(), host: host, port: port, mailStore: store,
                               services: [SMTPSinkService(server: smtp, store: store)])
        try await server.run()
    }
}
