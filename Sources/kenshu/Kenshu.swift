import ArgumentParser
import Foundation
import KenshuAccounts
import KenshuServer
import KenshuSite
import KenshuStudies
import Logging

@main
struct Kenshu: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kenshu",
        abstract: "Builds and serves an offline, clickable training replica of a web service.",
        subcommands: [Build.self, Check.self, Serve.self, Mail.self, Handbook.self, StudyCommand.self],
        defaultSubcommand: Build.self
    )
}

/// Options every site command shares.
struct SiteOptions: ParsableArguments {
    @Option(help: "The Content folder.")
    var content: String = "Content"

    @Option(help: "The folder the site is written to.")
    var output: String = "Output"

    /// The site build, with the studies checked in its lint step.
    func builder() -> SiteBuilder {
        var builder = SiteBuilder(content: URL(fileURLWithPath: content), displayRoot: content, output: URL(fileURLWithPath: output))
        builder.checks = [StudyCheck()]
        return builder
    }
}

/// Prints Content errors the way compilers do, one `file:line:col: message` per line, and exits 1.
func reportAndExit(_ error: Error) -> Never {
    let text: String
    switch error {
    case let errors as ContentErrors:
        let lines = errors.errors.map { "\($0.location): error: \($0.message)" }
        let count = errors.errors.count == 1 ? "1 error" : "\(errors.errors.count) errors"
        text = (lines + (errors.step.map { ["kenshu: stopped at the build step `\($0.rawValue)` (\(count)); nothing was written"] } ?? [])).joined(separator: "\n")
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

    @Flag(help: "Classroom mode: also serve on this machine's local network address, for participants' phones. The trainer's pages (/trainer, /mail, /api/v1) stay on this machine.")
    var lan = false

    @Option(help: ArgumentHelp("With --lan: the address to serve on (default: the first private IPv4 address).", valueName: "address"))
    var lanAddress: String?

    @Option(help: "Address of the SMTP sink. It stays on this machine unless you say otherwise.")
    var smtpHost: String = "127.0.0.1"

    @Option(help: "HTTP port (site, inbox at /mail, API at /api/v1).")
    var port: Int = 8080

    @OptionGroup var mail: MailSinkOptions

    @Option(help: ArgumentHelp("Send the flows' mails (the 認証キー) to this SMTP server instead of the built-in sink.", valueName: "host:port"))
    var smtpRelay: String?

    @Flag(help: "Put accounts, locks, keys, links, sessions and the clock back to the fixtures before serving (classroom participants stay, back in their start state).")
    var resetState = false

    @Flag(help: "With --reset-state: also remove every classroom participant (a new class).")
    var removeParticipants = false

    @Option(help: ArgumentHelp("PBKDF2-SHA256 rounds for passwords set from now on (default 600000, OWASP's figure). Measured with bench/classroom.sh on 2 cores, 40 participants locking and resetting at once: login p95 1.4 s at 600000, 0.29 s at 100000. Stored hashes keep their own count until the password changes or --reset-state.", valueName: "rounds"))
    var passwordHashIterations: Int = PasswordHasher.standard.iterations

    func validate() throws {
        if let smtpRelay, SMTPRelay(smtpRelay) == nil { throw ValidationError("--smtp-relay must be host:port") }
        if removeParticipants, !resetState { throw ValidationError("--remove-participants goes with --reset-state") }
        if !(10_000...PasswordHasher.maximumIterations).contains(passwordHashIterations) {
            throw ValidationError("--password-hash-iterations must be between 10000 and \(PasswordHasher.maximumIterations)")
        }
    }

    func run() async throws {
        let logger = Logger(label: "kenshu")
        var lanHost: String?
        if lan {
            guard let address = lanAddress ?? LANAddress.preferred() else {
                throw ValidationError("--lan: this machine has no network address (connect to the classroom's Wi-Fi, or give --lan-address)")
            }
            lanHost = address
        }
        let (store, smtp) = try await mail.start(host: smtpHost, logger: logger)
        let relay = smtpRelay.flatMap(SMTPRelay.init) ?? SMTPRelay(host: Self.isLoopback(smtpHost) ? "127.0.0.1" : smtpHost, port: smtp.port)
        let accountsPath = URL(fileURLWithPath: mail.data).appendingPathComponent("accounts.sqlite").standardizedFileURL.path
        let token = Self.isLoopback(host) && lanHost == nil ? nil : CSRFToken.make()
        if let token {
            logger.notice("trainer pages from other machines: http://\(lanHost ?? host):\(port)/trainer?token=\(token)")
        }
        logger.info("trainer console: http://\(Self.isLoopback(host) ? host : "127.0.0.1"):\(port)/trainer — usability studies: /facilitator")
        // The studies' log lives beside the accounts and the mail: a restart resumes every study.
        let studyStore = try StudyStore(dataDirectory: URL(fileURLWithPath: mail.data))
        var configuration = AccountsConfiguration()
        configuration.hasher = PasswordHasher(iterations: passwordHashIterations)
        // Content is loaded once, by the server's first build; the flows open their accounts from it.
        let server = DevServer(builder: options.builder(), host: host, port: port, mailStore: store,
                               services: [SMTPSinkService(server: smtp, store: store)],
                               flows: FlowsSwitch.Setup(accountsPath: accountsPath, resetState: resetState,
                                                        removeParticipants: removeParticipants, configuration: configuration),
                               mailer: FlowMailer(host: relay.host, port: relay.port), trainerToken: token,
                               lanAddress: lanHost, studyStore: studyStore)
        try await server.run()
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "127.0.0.1" || host == "localhost" || host == "::1"
    }
}

/// `--smtp-relay host:port`.
struct SMTPRelay {
    var host: String
    var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (1...65535).contains(port), colon > text.startIndex else { return nil }
        host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        self.port = port
    }
}
