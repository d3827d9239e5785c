import Foundation
import Hummingbird
import KenshuAccounts
import KenshuSite

/// The HelloWork MyPage handlers: sign-in, sign-out, password reset by mail, re-registration.
extension LiveFlows {
    func logIn(_ submission: FlowSubmission, messages: LiveSettings) throws -> Response {
        let email = submission.value("email"), password = submission.secret("password")
        let outcome = try accounts.logIn(email: email, password: password)
        switch outcome {
        case .signedIn(let session):
            return try signedIn(session, submission)
        case .rejected:
            submission.report.add(.loginFailed)
            return try rerender(submission, message: messages.message("login_rejected"))
        case .locked:
            submission.report.add(.accountLocked)
            return redirect(for: .locked, submission)
        }
    }

    /// A new session id at every sign-in; the browser's previous one (if any) ends.
    func signedIn(_ session: Session, _ submission: FlowSubmission, to page: String? = nil) throws -> Response {
        if let old = FlowCookie.session.value(in: submission.request), old != session.id {
            try accounts.endSession(id: old)
        }
        let landing = page ?? submission.post.success ?? LiveSettings(submission.site).signedOut
        submission.report.add(.signedIn(path: "/\(submission.edition)/\(landing)"))
        return redirect(edition: submission.edition, to: landing, setting: [FlowCookie.session.set(session.id)])
    }

    func logOut(_ submission: FlowSubmission) throws -> Response {
        if let id = FlowCookie.session.value(in: submission.request) {
            try accounts.endSession(id: id)
        }
        submission.report.add(.signedOut)
        return redirect(edition: submission.edition, to: LiveSettings(submission.site).signedOut, clearing: [.session])
    }

    func requestPasswordReset(_ submission: FlowSubmission) throws -> Response {
        let email = submission.value("email")
        let ticket = try accounts.requestPasswordReset(email: email)
        if let key = ticket.issuedKey {
            mailer.enqueue("password_reset", to: key.email, values: mailValues(key), site: submission.site)
        }
        return success(submission, setting: [FlowCookie.reset.set(ticket.flowID)])
    }

    func completePasswordReset(_ submission: FlowSubmission, messages: LiveSettings,
                                       emptyOrLong: [String: LiveSite.FieldState]) throws -> Response {
        let flowID = FlowCookie.reset.value(in: submission.request) ?? ""
        let key = submission.value("key"), password = submission.secret("new_password"), confirmation = submission.secret("confirmation")
        let failures = try accounts.completePasswordReset(flowID: flowID, key: key, newPassword: password, confirmation: confirmation)
        guard !failures.isEmpty else {
            submission.report.add(.passwordResetCompleted)
            return success(submission, clearing: [.reset])
        }
        var fields = emptyOrLong
        for failure in failures {
            let name = switch failure.field {
            case .newPassword: "new_password"
            case .confirmation: "confirmation"
            case .key: "key"
            }
            guard emptyOrLong[name] == nil else { continue }
            switch failure {
            case .keyMismatch: submission.report.add(.keyMismatch)
            case .keyExpired: submission.report.add(.keyExpired)
            case .policy, .confirmationMismatch: submission.report.add(.policyError(field: name))
            case .keyAlreadyUsed, .noPendingRequest: break
            }
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

    func requestReregistration(_ submission: FlowSubmission, messages: LiveSettings) throws -> Response {
        let email = submission.value("email"), password = submission.secret("password")
        let outcome = try accounts.requestReregistration(email: email, password: password)
        switch outcome {
        case .keyIssued(let flowID, let key):
            mailer.enqueue("reregister", to: key.email, values: mailValues(key), site: submission.site)
            return success(submission, setting: [FlowCookie.reregister.set(flowID)])
        case .tooLate:
            return try rerender(submission, message: messages.message("reregister_too_late"))
        case .rejected:
            return try rerender(submission, message: messages.message("reregister_rejected"))
        }
    }

    func completeReregistration(_ submission: FlowSubmission, messages: LiveSettings) throws -> Response {
        let flowID = FlowCookie.reregister.value(in: submission.request) ?? ""
        let key = submission.value("key")
        let failure = try accounts.completeReregistration(flowID: flowID, key: key)
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
    func mailValues(_ key: IssuedKey) -> [String: String] {
        ["email": key.email, "key": key.key, "issued": JapaneseDate.manualMinute(key.issuedAt),
         "expires": JapaneseDate.manualMinute(key.expiresAt)]
    }
}
