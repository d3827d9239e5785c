extension StudyEvent {
    /// What happened. A closed list: the report counts kinds, so a new kind is a deliberate change
    /// here rather than a string some page made up.
    ///
    /// Nothing here can hold what a participant typed into a password, 認証キー or e-mail field:
    /// a form submission names its fields and whether each was valid, never their values.
    public enum Kind: Sendable, Hashable {
        /// The facilitator prepared a task: the account is in the task's start state and the
        /// participant sees the prompt with 「開始」. Names the attempt to come; the clock does
        /// not run yet.
        case taskPrepared(study: String, task: String)
        /// 「開始」: the clock starts. Names the study and task, so a log explains itself.
        case taskStarted(study: String, task: String)
        case taskEnded(by: TaskEnder)
        /// 「あきらめる」.
        case gaveUp
        /// A page was shown: an HTML page served whole, not a redirect (a collapsed path:
        /// ``StudyPath``).
        case pageView(path: String)
        case click(Click)
        case formSubmitted(form: String, fields: [FormField])
        // What the server's rules said about a submission.
        case loginFailed
        case accountLocked
        case keyMismatch
        case keyExpired
        /// The password policy refused a field (`new_password`).
        case policyError(field: String)
        case passwordResetCompleted
        /// Signed in; the page it lands on.
        case signedIn(path: String)
        case signedOut
        case mynaLinked
        case mynaUnlinked
        // The facilitator's.
        case note(tag: NoteTag, text: String)
        /// The facilitator helped: the attempt is not a success, whatever happened after.
        case assisted
        /// The Single Ease Question after a task: 1 (very difficult) … 7 (very easy).
        case seqAnswer(Int)
        /// The facilitator asks for the System Usability Scale now (tasks left out, time up).
        case susRequested
        /// The System Usability Scale after the last task: ten answers, 1 … 5, in item order.
        case susAnswers([Int])
        /// The facilitator's judgement; the automatic outcome is kept beside it.
        case outcomeOverridden(outcome: Outcome, reason: String)
    }

    public enum TaskEnder: String, Sendable, Hashable, Codable, CaseIterable {
        /// 「できた」 on the task bar.
        case participant
        case facilitator
        case timeLimit = "time_limit"
    }

    public enum NoteTag: String, Sendable, Hashable, Codable, CaseIterable {
        case confusion, hint, quote, bug
    }

    /// A click or tap, from the page's script. Coordinates are CSS pixels from the top left of the
    /// page itself — the document, less the task bar above it — so a dot lands on the same element
    /// however far the page was scrolled, and on a picture of the page as built.
    public struct Click: Sendable, Hashable {
        /// A short selector-like description of the element (`button#login-submit`, `p.lead`):
        /// never its text or value, which for a field is what the participant typed.
        public var element: String
        public var x: Int
        public var y: Int
        public var viewportWidth: Int
        public var viewportHeight: Int
        /// Whether the element (or an ancestor) does something: a link, button, field, label…
        /// A click on anything else is a misclick.
        public var interactive: Bool
        /// The page it was on; nil: the participant's latest page view.
        public var page: String?

        public init(element: String, x: Int, y: Int, viewportWidth: Int, viewportHeight: Int,
                    interactive: Bool, page: String? = nil) {
            self.element = element
            self.x = x
            self.y = y
            self.viewportWidth = viewportWidth
            self.viewportHeight = viewportHeight
            self.interactive = interactive
            self.page = page
        }

        public var layout: StudyLayout { StudyLayout(viewportWidth: viewportWidth) }
    }

    /// A field of a submitted form: its name and whether it was valid. Deliberately no value.
    public struct FormField: Sendable, Hashable, Codable {
        public var name: String
        public var valid: Bool

        public init(name: String, valid: Bool) {
            self.name = name
            self.valid = valid
        }
    }
}

extension StudyEvent.Kind {
    /// The name in the JSON form and the database: `page_view`, `task_ended`.
    public var name: String {
        switch self {
        case .taskPrepared: "task_prepared"
        case .taskStarted: "task_started"
        case .taskEnded: "task_ended"
        case .gaveUp: "gave_up"
        case .pageView: "page_view"
        case .click: "click"
        case .formSubmitted: "form_submitted"
        case .loginFailed: "login_failed"
        case .accountLocked: "account_locked"
        case .keyMismatch: "key_mismatch"
        case .keyExpired: "key_expired"
        case .policyError: "policy_error"
        case .passwordResetCompleted: "password_reset_completed"
        case .signedIn: "signed_in"
        case .signedOut: "signed_out"
        case .mynaLinked: "myna_linked"
        case .mynaUnlinked: "myna_unlinked"
        case .note: "note"
        case .assisted: "assisted"
        case .seqAnswer: "seq_answer"
        case .susRequested: "sus_requested"
        case .susAnswers: "sus_answers"
        case .outcomeOverridden: "outcome_overridden"
        }
    }

    /// The error the rules reported, for the report's errors by kind; nil for anything else.
    public var errorKind: StudyErrorKind? {
        switch self {
        case .loginFailed: StudyErrorKind("login_failed")
        case .accountLocked: StudyErrorKind("account_locked")
        case .keyMismatch: StudyErrorKind("key_mismatch")
        case .keyExpired: StudyErrorKind("key_expired")
        case .policyError(let field): StudyErrorKind("policy_error", field: field)
        default: nil
        }
    }

    /// Whether a participant's browser may report this kind itself (the task bar and the click
    /// script). Everything else is the server's or the facilitator's to record: a page cannot
    /// claim a sign-in or override its own outcome.
    public var isReportedByBrowser: Bool {
        switch self {
        case .taskStarted, .gaveUp, .click, .seqAnswer, .susAnswers: true
        case .taskEnded(let by): by == .participant
        default: false
        }
    }

    /// Checked and cleaned for the log: paths collapsed (``StudyPath``), answers in range.
    public func validated() throws(StudyError) -> StudyEvent.Kind {
        switch self {
        case .pageView(let path):
            return .pageView(path: StudyPath.collapse(path))
        case .signedIn(let path):
            return .signedIn(path: StudyPath.collapse(path))
        case .click(var click):
            click.page = click.page.map(StudyPath.collapse)
            guard click.viewportWidth > 0, click.viewportHeight > 0 else {
                throw .invalidEvent("a click needs a viewport size")
            }
            return .click(click)
        case .seqAnswer(let answer):
            guard (1...7).contains(answer) else { throw .invalidEvent("a SEQ answer is 1 to 7, not \(answer)") }
        case .susAnswers(let answers):
            guard answers.count == 10, answers.allSatisfy({ (1...5).contains($0) }) else {
                throw .invalidEvent("the SUS takes ten answers of 1 to 5, not \(answers)")
            }
        case .taskStarted(let study, let task), .taskPrepared(let study, let task):
            guard !study.isEmpty, !task.isEmpty else { throw .invalidEvent("\(name) names a study and a task") }
        default:
            break
        }
        return self
    }
}

/// A kind of error the server reported, with the field for a policy error:
/// `login_failed`, `policy_error[new_password]`.
public struct StudyErrorKind: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var name: String
    public var field: String?

    public init(_ name: String, field: String? = nil) {
        self.name = name
        self.field = field
    }

    public var description: String { field.map { "\(name)[\($0)]" } ?? name }

    public static func < (a: StudyErrorKind, b: StudyErrorKind) -> Bool { a.description < b.description }
}
