import Foundation
import Hummingbird
import KenshuAccounts
import KenshuSite
import NIOCore

extension LiveFlows {
    /// A POST to a live page: the body (bounded), then on the thread pool the CSRF token and
    /// the handler the page offers for it. A refused request is explained in the site's words
    /// and changes nothing.
    func post(_ request: Request, page: LiveSite.Page, site: LiveSite) async throws -> Response {
        var request = request
        guard let body = try? await request.collectBody(upTo: Self.maximumBody) else {
            return refusal(.tooLarge, status: .contentTooLarge, page: page, site: site, request: request)
        }
        let submitted = request
        return try await blocking { try self.answerPost(submitted, body: body, page: page, site: site) }
    }

    private func answerPost(_ request: Request, body: ByteBuffer, page: LiveSite.Page, site: LiveSite) throws -> Response {
        guard let form = FormBody.decode(String(buffer: body)) else {
            return refusal(.notOffered, status: .badRequest, page: page, site: site, request: request)
        }
        guard CSRFToken.isEchoed(in: form, of: request) else {
            return refusal(.forged, status: .forbidden, page: page, site: site, request: request)
        }
        guard let post = page.behaviour.post(named: form["action"]) else {
            return refusal(.notOffered, status: .badRequest, page: page, site: site, request: request)
        }
        let submission = FlowSubmission(request: request, page: page, site: site, form: form, post: post)
        if let observer, observer.mayFollow(request) {
            // Told before the answer is made: the page a rerender shows comes after the submission in the log.
            let response = try run(submission, observing: observer)
            return response
        }
        return try run(submission)
    }

    /// Runs the handler and tells the observer what it came to: the form (each field valid or
    /// not, never a value) and the rules' outcomes. A rerendered page is recorded as shown after
    /// them, so the observer gets the submission first: the handler's page is rendered inside
    /// `run`, hence the report goes out from `rerender` or here, whichever comes first.
    private func run(_ submission: FlowSubmission, observing observer: any PageObserver) throws -> Response {
        submission.report.observer = observer
        let response = try run(submission)
        submission.report.flush(submission)
        return response
    }

    /// Runs the post's handler. A handler either redirects (303, so reloading does not post
    /// twice) or renders the same page again with a message beside each field.
    func run(_ submission: FlowSubmission) throws -> Response {
        let messages = LiveSettings(submission.site)
        let problems = fieldProblems(submission, messages: messages)
        // The password-reset screen names every problem at once: an empty field beside the
        // policy and key problems of the others.
        if submission.post.handler == .passwordReset {
            return try completePasswordReset(submission, messages: messages, emptyOrLong: problems ?? [:])
        }
        if let problems { return try rerender(submission, fields: problems) }
        switch submission.post.handler {
        case .login: return try logIn(submission, messages: messages)
        case .logout: return try logOut(submission)
        case .passwordResetRequest: return try requestPasswordReset(submission)
        case .passwordReset: return try completePasswordReset(submission, messages: messages, emptyOrLong: [:])
        case .reregisterRequest: return try requestReregistration(submission, messages: messages)
        case .reregister: return try completeReregistration(submission, messages: messages)
        case .mynaLogin: return try mynaLogIn(submission, messages: messages)
        case .mynaLogout: return try mynaLogOut(submission)
        case .mynaLink: return try link(submission, messages: messages)
        case .mynaUnlink: return try unlink(submission)
        case .singleSignOn: return try singleSignOn(submission)
        }
    }

    /// Empty or over-long fields of the page's form, before any rule runs.
    private func fieldProblems(_ submission: FlowSubmission, messages: LiveSettings) -> [String: LiveSite.FieldState]? {
        guard submission.form["action"] == nil else { return nil }
        var problems: [String: LiveSite.FieldState] = [:]
        for name in submission.page.fieldNames {
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

    func rerender(_ submission: FlowSubmission, fields: [String: LiveSite.FieldState] = [:], message: String? = nil,
                  viewer: Session? = nil) throws -> Response {
        submission.report.invalid(fields.filter { $0.value.error != nil }.keys)
        submission.report.flush(submission)
        return try render(submission.page, site: submission.site, request: submission.request, viewer: viewer,
                   status: .unprocessableContent, fields: keepingID(fields, submission), message: message)
    }

    /// To the page the post's success leads to (the build checked that it exists).
    func success(_ submission: FlowSubmission, setting cookies: [Cookie] = [], clearing: [FlowCookie] = []) -> Response {
        redirect(edition: submission.edition, to: submission.post.success ?? LiveSettings(submission.site).signedOut,
                 setting: cookies, clearing: clearing)
    }

    /// To the page an outcome leads to (the build checked that the handler's outcomes have one).
    func redirect(for outcome: PageBehaviour.Outcome, _ submission: FlowSubmission) -> Response {
        redirect(edition: submission.edition, to: submission.post.outcomes[outcome] ?? LiveSettings(submission.site).signedOut)
    }
}
