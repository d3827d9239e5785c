import Foundation
import Hummingbird
import KenshuAccounts
import KenshuSite

/// One POST to a served page: what was sent and where its handler's outcomes lead.
struct FlowSubmission {
    let request: Request
    let page: LiveSite.Page
    let site: LiveSite
    let form: [String: String]
    /// The form's or the action's front matter: `action`/`href` for success, `locked`, `mismatch`.
    let target: [String: Any]

    var edition: String { page.edition }
    var success: String? { LiveValues.string(target["action"]) ?? LiveValues.string(target["href"]) }
    func outcome(_ key: String) -> String? { LiveValues.string(target[key]) }
    func value(_ name: String) -> String { form[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
    /// Passwords as typed: surrounding spaces are the participant's, and the policy judges them.
    func secret(_ name: String) -> String { form[name] ?? "" }
}

extension LiveFlows {
    /// Runs a page's handler. A handler either redirects (303, so reloading does not post
    /// twice) or renders the same page again with a message beside each field.
    func run(_ handler: String, _ submission: FlowSubmission) async throws -> Response {
        let messages = LiveSettings(submission.site)
        let problems = fieldProblems(submission, messages: messages)
        // The password-reset screen names every problem at once: an empty field beside the
        // policy and key problems of the others.
        if handler == "password-reset" {
            return try await completePasswordReset(submission, messages: messages, emptyOrLong: problems ?? [:])
        }
        if let problems { return try rerender(submission, fields: problems) }
        switch handler {
        case "login": return try await logIn(submission, messages: messages)
        case "logout": return try await logOut(submission)
        case "password-reset-request": return try await requestPasswordReset(submission)
        case "reregister-request": return try await requestReregistration(submission, messages: messages)
        case "reregister": return try await completeReregistration(submission, messages: messages)
        case "myna-login": return try await mynaLogIn(submission, messages: messages)
        case "myna-logout": return try await mynaLogOut(submission)
        case "myna-link": return try await link(submission, messages: messages)
        case "myna-unlink": return try await unlink(submission)
        case "sso": return try await singleSignOn(submission)
        default:
            return errorPage(status: .badRequest, title: "操作できません", detail: "この操作はまだ用意されていません: \(handler)")
        }
    }

    /// Empty or over-long fields of the page's form, before any rule runs.
    private func fieldProblems(_ submission: FlowSubmission, messages: LiveSettings) -> [String: LiveSite.FieldState]? {
        guard submission.form["action"] == nil else { return nil }
        let fields = LiveValues.dictionaries((submission.page.values["form"] as? [String: Any])?["fields"])
        var problems: [String: LiveSite.FieldState] = [:]
        for field in fields {
            guard let name = LiveValues.string(field["name"]) else { continue }
            let value = submission.form[name] ?? ""
            if value.count > Self.maximumFieldLength {
                problems[name] = .init(error: messages.message("too_long"))
            } else if value.trimmingCharacters(in: .whitespaces).isEmpty {
                problems[name] = .init(error: messages.message("required"))
            }
        }
        guard !problems.isEmpty else { return nil }
        return keepingID(problems, submission)
    }

    /// The entered ID（メールアドレス） stays in its field; passwords and keys never come back.
    private func keepingID(_ fields: [String: LiveSite.FieldState], _ submission: FlowSubmission) -> [String: LiveSite.FieldState] {
        var fields = fields
        let email = submission.value("email")
        if submission.form["email"] != nil, email.count <= Self.maximumFieldLength {
            fields["email", default: .init()].value = email
        }
        return fields
    }

    private func rerender(_ submission: FlowSubmission, fields: [String: LiveSite.FieldState] = [:], message: String? = nil,
                          viewer: Session? = nil) throws -> Response {
        try render(submission.page, site: submission.site, request: submission.request, viewer: viewer,
                   status: .unprocessableContent, fields: keepingID(fields, submission), message: message)
    }

    private func success(_ submission: FlowSubmission, setting cookies: [Cookie] = [], clearing: [FlowCookie] = []) -> Response {
        redirect(edition: submission.edition, to: submission.success ?? "index.html", setting: cookies, clearing: clearing)
    }

    // MARK: HelloWork

    private func logIn(_ submission: FlowSubmission, messages: LiveSettings) async throws -> Response {
        let email = submission.value("email"), password = submission.secret("password")
        let outcome = try await blocking { [accounts] in try accounts.logIn(email: email, password: password) }
        switch outcome {
        case .signedIn(let session):
            return try await signedIn(session, submission)
        case .rejected:
            return try rerender(submission, message: messages.message("login_rejected"))
        case .locked:
            return redirect(edition: submission.edition, to: submission.outcome("locked") ?? "index.html")
        }
    }

    /// A new session id at every sign-in; the browser's previous one (if any) ends.
    private func signedIn(_ session: Session, _ submission: FlowSubmission, to page: String? = nil) async throws -> Response {
        if let old = FlowCookie.session.value(in: submission.request), old != session.id {
            try await blocking { [accounts] in try accounts.endSession(id: old) }
        }
        return redirect(edition: submission.edition, to: page ?? submission.success ?? "index.html",
                        setting: [FlowCookie.session.set(session.id)])
    }

    private func logOut(_ submission: FlowSubmission) async throws -> Response {
        if let id = FlowCookie.session.value(in: submission.request) {
            try await blocking { [accounts] in try accounts.endSession(id: id) }
        }
        return redirect(edition: submission.edition, to: LiveSettings(submission.site).signedOut, clearing: [.session])
    }

    private func requestPasswordReset(_ submission: FlowSubmission) async throws -> Response {
        let email = submission.value("email")
        let ticket = try await blocking { [accounts] in try accounts.requestPasswordReset(email: email) }
        if let key = ticket.issuedKey {
            // Sent after the answer, so the answer takes as long for an unknown ID (no mail).
            let (mailer, values, site) = (mailer, mailValues(key), submission.site)
            Task { await mailer.send("password_reset", to: key.email, values: values, site: site) }
        }
        return success(submission, setting: [FlowCookie.reset.set(ticket.flowID)])
    }

    private func completePasswordReset(_ submission: FlowSubmission, messages: LiveSettings,
                                       emptyOrLong: [String: LiveSite.FieldState]) async throws -> Response {
        let flowID = FlowCookie.reset.value(in: submission.request) ?? ""
        let key = submission.value("key"), password = submission.secret("new_password"), confirmation = submission.secret("confirmation")
        let failures = try await blocking { [accounts] in
            try accounts.completePasswordReset(flowID: flowID, key: key, newPassword: password, confirmation: confirmation)
        }
        guard !failures.isEmpty else { return success(submission, clearing: [.reset]) }
        var fields = emptyOrLong
        for failure in failures {
            let name = switch failure.field {
            case .newPassword: "new_password"
            case .confirmation: "confirmation"
            case .key: "key"
            }
            guard emptyOrLong[name] == nil else { continue }
            let text = messages.message(Self.code(for: failure))
            fields[name, default: .init()].error = [fields[name]?.error, text].compactMap { $0 }.joined(separator: " ")
        }
        return try rerender(submission, fields: fields)
    }

    static func code(for failure: PasswordResetFailure) -> String {
        switch failure {
        case .policy(let violation): "policy_" + code(for: violation)
        case .confirmationMismatch: "confirmation_mismatch"
        case .keyMismatch: "key_mismatch"
        case .keyExpired: "key_expired"
        case .keyAlreadyUsed: "key_used"
        case .noPendingRequest: "no_pending_request"
        }
    }

    static func code(for violation: PasswordPolicy.Violation) -> String {
        switch violation {
        case .tooShort: "too_short"
        case .tooLong: "too_long"
        case .notHalfWidth: "not_half_width"
        case .missingLetter: "missing_letter"
        case .missingDigit: "missing_digit"
        case .missingSymbol: "missing_symbol"
        }
    }

    private func requestReregistration(_ submission: FlowSubmission, messages: LiveSettings) async throws -> Response {
        let email = submission.value("email"), password = submission.secret("password")
        let outcome = try await blocking { [accounts] in try accounts.requestReregistration(email: email, password: password) }
        switch outcome {
        case .keyIssued(let flowID, let key):
            await mailer.send("reregister", to: key.email, values: mailValues(key), site: submission.site)
            return success(submission, setting: [FlowCookie.reregister.set(flowID)])
        case .tooLate:
            return try rerender(submission, message: messages.message("reregister_too_late"))
        case .rejected:
            return try rerender(submission, message: messages.message("reregister_rejected"))
        }
    }

    private func completeReregistration(_ submission: FlowSubmission, messages: LiveSettings) async throws -> Response {
        let flowID = FlowCookie.reregister.value(in: submission.request) ?? ""
        let key = submission.value("key")
        let failure = try await blocking { [accounts] in try accounts.completeReregistration(flowID: flowID, key: key) }
        guard let failure else { return success(submission, clearing: [.reregister]) }
        let code = switch failure {
        case .keyMismatch: "key_mismatch"
        case .keyExpired: "reregister_key_expired"
        case .keyAlreadyUsed: "reregister_key_used"
        case .noPendingRequest: "no_pending_request"
        }
        return try rerender(submission, fields: ["key": .init(error: messages.message(code))])
    }

    /// Values a key mail's template can use.
    private func mailValues(_ key: IssuedKey) -> [String: String] {
        ["email": key.email, "key": key.key, "issued": JapanTime.japaneseMinute(key.issuedAt),
         "expires": JapanTime.japaneseMinute(key.expiresAt)]
    }

    // MARK: Myna Portal

    private func mynaLogIn(_ submission: FlowSubmission, messages: LiveSettings) async throws -> Response {
        let pin = submission.value("pin")
        guard let session = try await blocking({ [accounts] in try accounts.mynaLogIn(pin: pin) }) else {
            return try rerender(submission, fields: ["pin": .init(error: messages.message("pin_invalid"))])
        }
        if let old = FlowCookie.myna.value(in: submission.request), old != session.id {
            try await blocking { [accounts] in try accounts.endMynaSession(id: old) }
        }
        return success(submission, setting: [FlowCookie.myna.set(session.id)])
    }

    private func mynaLogOut(_ submission: FlowSubmission) async throws -> Response {
        if let id = FlowCookie.myna.value(in: submission.request) {
            try await blocking { [accounts] in try accounts.endMynaSession(id: id) }
        }
        return redirect(edition: submission.edition, to: LiveSettings(submission.site).mynaSignedOut, clearing: [.myna])
    }

    /// The Myna Portal session a Myna step needs; nil sends the browser to its sign-in.
    private func requireMyna(_ submission: FlowSubmission) async throws -> MynaSession? {
        try await mynaSession(submission.request)
    }

    private func mynaSignIn(_ submission: FlowSubmission) -> Response {
        redirect(edition: submission.edition, to: LiveSettings(submission.site).mynaSignIn, clearing: [.myna])
    }

    private func link(_ submission: FlowSubmission, messages: LiveSettings) async throws -> Response {
        guard let myna = try await requireMyna(submission) else { return mynaSignIn(submission) }
        let email = submission.value("email"), password = submission.secret("password")
        let outcome = try await blocking { [accounts] in
            try accounts.link(residentID: myna.residentID, email: email, password: password)
        }
        switch outcome {
        case .linked(let session):
            return try await signedIn(session, submission)
        case .rejected:
            return try rerender(submission, message: messages.message("link_rejected"))
        case .locked:
            return redirect(edition: submission.edition, to: submission.outcome("locked") ?? "index.html")
        }
    }

    private func unlink(_ submission: FlowSubmission) async throws -> Response {
        guard let myna = try await requireMyna(submission) else { return mynaSignIn(submission) }
        try await blocking { [accounts] in try accounts.unlink(residentID: myna.residentID) }
        return success(submission)
    }

    private func singleSignOn(_ submission: FlowSubmission) async throws -> Response {
        guard let myna = try await requireMyna(submission) else { return mynaSignIn(submission) }
        let outcome = try await blocking { [accounts] in try accounts.singleSignOn(residentID: myna.residentID) }
        switch outcome {
        case .signedIn(let session):
            return try await signedIn(session, submission)
        case .mismatch:
            return redirect(edition: submission.edition, to: submission.outcome("mismatch") ?? "index.html")
        }
    }
}
