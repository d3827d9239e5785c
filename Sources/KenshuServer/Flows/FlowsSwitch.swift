import Foundation
import KenshuAccounts
import KenshuSite
import Logging
import NIOConcurrencyHelpers

/// Turns the served flows on with the first good build: the accounts are seeded from the
/// fixtures site.yaml names, so they can open only once Content has built. Until then (a
/// Content error at start-up) live pages are served as built; the first good rebuild turns the
/// flows on without a restart.
public final class FlowsSwitch: Sendable {
    /// Where the accounts live and how the flows' mail goes out.
    public struct Setup: Sendable {
        /// The SQLite file of accounts, locks, keys and sessions; nil keeps them in memory.
        public var accountsPath: String?
        /// Put everything back to the fixtures when opening (classroom participants stay, in
        /// their start state, unless `removeParticipants`).
        public var resetState: Bool
        /// With `resetState`: also remove every classroom participant.
        public var removeParticipants: Bool
        /// The hasher and session length; the manual's numbers come from site.yaml `live.rules`.
        public var configuration: AccountsConfiguration
        public var clock: any AccountClock

        public init(accountsPath: String?, resetState: Bool = false, removeParticipants: Bool = false,
                    configuration: AccountsConfiguration = AccountsConfiguration(), clock: any AccountClock = SystemClock()) {
            self.accountsPath = accountsPath
            self.resetState = resetState
            self.removeParticipants = removeParticipants
            self.configuration = configuration
            self.clock = clock
        }
    }

    let setup: Setup?
    let mailer: FlowMailer
    let table: SiteTable
    private let logger: Logger
    private let current = NIOLockedValueBox<LiveFlows?>(nil)
    private let pageObserver = NIOLockedValueBox<(any PageObserver)?>(nil)

    /// Given to the flows when they open: told of a followed browser's pages (set before the first build).
    var observer: (any PageObserver)? {
        get { pageObserver.withLockedValue { $0 } }
        set { pageObserver.withLockedValue { $0 = newValue } }
    }

    /// `setup` nil: the flows stay off (pages as built).
    public init(setup: Setup?, mailer: FlowMailer, table: SiteTable, logger: Logger) {
        self.setup = setup
        self.mailer = mailer
        self.table = table
        self.logger = logger
    }

    /// Flows already made (tests): on from the start.
    public init(flows: LiveFlows, logger: Logger = Logger(label: "kenshu")) {
        setup = nil
        mailer = flows.mailer
        table = flows.table
        self.logger = logger
        current.withLockedValue { $0 = flows }
    }

    public var flows: LiveFlows? { current.withLockedValue { $0 } }

    /// Called after every good build: opens the accounts the first time.
    func buildSucceeded(site: LiveSite) {
        guard flows == nil, let setup else { return }
        do {
            let fixtures = AccountFixtures(site: site)
            // The manual's numbers as site.yaml's live.rules states them (the texts print the same block).
            let rules = site.content.configuration.liveRules
            var configuration = setup.configuration
            configuration.lockThreshold = rules.attemptsBeforeLock
            configuration.resetKeyLifetime = TimeInterval(rules.keyMinutes) * 60
            configuration.reregistrationWindowDays = rules.reregistrationDays
            let accounts = if let path = setup.accountsPath {
                try Accounts.open(path: path, accounts: fixtures.accounts, residents: fixtures.residents,
                                  clock: setup.clock, configuration: configuration)
            } else {
                try Accounts.inMemory(accounts: fixtures.accounts, residents: fixtures.residents,
                                      clock: setup.clock, configuration: configuration)
            }
            if setup.resetState { try accounts.resetToSeeds(keepingParticipants: !setup.removeParticipants) }
            current.withLockedValue { $0 = LiveFlows(table: table, accounts: accounts, mailer: mailer, observer: observer) }
            logger.info("served flows on: accounts in \(setup.accountsPath ?? "memory")\(setup.resetState ? " (reset to the fixtures)" : ""); flow mails go to \(mailer.host):\(mailer.port)")
            for account in fixtures.accounts { logger.info("  account \(account.email) / \(account.password)") }
            if configuration.hasher.iterations != PasswordHasher.standard.iterations, !setup.resetState {
                // Verifying uses each hash's own count, and an unknown ID is timed against a decoy at
                // the new count: until the stored hashes share it, timing could tell IDs apart.
                logger.notice("passwords set from now on use \(configuration.hasher.iterations) PBKDF2 rounds; stored ones keep theirs until changed (add --reset-state to re-hash the fixtures now)")
            }
        } catch {
            logger.error("served flows stay off until the accounts open: \(error)")
        }
    }
}
