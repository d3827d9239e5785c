/// What a page does when `kenshu serve` serves it, read from its front matter and checked at
/// build time (`PageBehaviourCheck`): who may see it, which forms and buttons post, and where
/// each outcome of a post leads. A page without any of it is served exactly as built.
///
/// ```yaml
/// signed_in: true                 # a MyPage screen: needs a HelloWork session (and offers ログアウト)
/// mp_signed_in: true              # a Myna Portal screen: needs its session (and offers its ログアウト)
/// mp_session_required: true       # needs the Myna Portal session without being one of its screens
/// linked_alternative: mynaportal/connections-linked.html     # shown instead once linked
/// unlinked_alternative: mynaportal/connections.html          # shown instead while not linked
/// form:
///   handler: login                # the rule the POST runs (`PageBehaviour.Handler`)
///   action: home.html             # where success leads
///   locked: locked.html           # where the outcome `locked` leads (the handler says which it needs)
/// actions:                        # buttons; one with a `handler` posts
///   - { label: 同意, href: mynaportal/unlinked.html, handler: myna-unlink }
/// live_actions:                   # posts only the server offers (no button in the static build)
///   - { handler: sso, href: home.html, mismatch: link-mismatch.html }
/// ```
public struct PageBehaviour: Sendable, Equatable {
    /// Who may see the page.
    public enum Access: Sendable, Equatable {
        case open
        /// A HelloWork MyPage session; without one the browser goes to `live.pages.sign_in`.
        case helloWork
        /// A Myna Portal session; without one the browser goes to `live.pages.myna_sign_in`.
        case mynaPortal
    }

    /// The rules a POST can run, named as front matter names them.
    public enum Handler: String, CaseIterable, Sendable {
        case login
        case logout
        case passwordResetRequest = "password-reset-request"
        case passwordReset = "password-reset"
        case reregisterRequest = "reregister-request"
        case reregister
        case mynaLogin = "myna-login"
        case mynaLogout = "myna-logout"
        case mynaLink = "myna-link"
        case mynaUnlink = "myna-unlink"
        case singleSignOn = "sso"

        /// The outcomes besides success that this handler can lead to: each needs its page.
        public var outcomes: [Outcome] {
            switch self {
            case .login, .mynaLink: [.locked]
            case .singleSignOn: [.mismatch]
            default: []
            }
        }
    }

    /// Outcomes of a post other than success, as front matter keys.
    public enum Outcome: String, CaseIterable, Sendable {
        /// The account is locked (アカウントロック).
        case locked
        /// Myna Portal's link no longer matches a HelloWork account.
        case mismatch
    }

    /// A form or button that posts: its handler and the pages its outcomes lead to (paths
    /// inside the page's edition, e.g. `home.html`).
    public struct Post: Sendable, Equatable {
        public var handler: Handler
        /// Where success leads; nil: the handler decides (e.g. logout → `live.pages.signed_out`).
        public var success: String?
        public var outcomes: [Outcome: String]

        public init(handler: Handler, success: String? = nil, outcomes: [Outcome: String] = [:]) {
            self.handler = handler
            self.success = success
            self.outcomes = outcomes
        }
    }

    public var access: Access = .open
    /// The page is drawn as signed in to Myna Portal, so it offers that site's ログアウト.
    public var showsMynaPortalSignedIn = false
    /// The page's form, when it posts.
    public var form: Post?
    /// Buttons and server-only actions that post.
    public var actions: [Post] = []
    /// With a Myna Portal session: the page to show instead when the resident is linked…
    public var whenLinked: String?
    /// … or when not.
    public var whenUnlinked: String?

    public init() {}

    /// Whether the server renders the page per request; otherwise it is served as built.
    public var isLive: Bool {
        access != .open || form != nil || !actions.isEmpty || whenLinked != nil || whenUnlinked != nil
    }

    /// The post a request names (`action=…` for buttons, the form otherwise), when this page
    /// offers it: a MyPage screen offers ログアウト, a Myna Portal screen its own.
    public func post(named action: String?) -> Post? {
        guard let action else { return form }
        guard let handler = Handler(rawValue: action) else { return nil }
        if handler == .logout, access == .helloWork { return Post(handler: .logout) }
        if handler == .mynaLogout, showsMynaPortalSignedIn { return Post(handler: .mynaLogout) }
        return actions.first { $0.handler == handler }
    }

    /// Every page this behaviour can send the browser to, for the build's check.
    var destinations: [String] {
        let posts = [form].compactMap { $0 } + actions
        return posts.flatMap { [$0.success].compactMap { $0 } + $0.outcomes.values.sorted() }
            + [whenLinked, whenUnlinked].compactMap { $0 }
    }
}
