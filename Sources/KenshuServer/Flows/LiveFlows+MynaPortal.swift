import Foundation
import Hummingbird
import KenshuAccounts
import KenshuSite

/// The Myna Portal mock's handlers: its sign-in and sign-out, linking, unlinking, and signing
/// in to MyPage through the link.
extension LiveFlows {
    func mynaLogIn(_ submission: FlowSubmission, messages: LiveSettings) throws -> Response {
        let pin = submission.value("pin")
        // A participant's browser (joined from their card) signs in their own resident.
        let participant = try FlowCookie.participant.value(in: submission.request).flatMap { try accounts.participant(forSecret: $0) }
        let session = try participant.map { try accounts.mynaLogIn(pin: pin, residentID: $0.residentID) } ?? accounts.mynaLogIn(pin: pin)
        guard let session else {
            return try rerender(submission, fields: ["pin": .init(error: messages.message("pin_invalid"))])
        }
        if let old = FlowCookie.myna.value(in: submission.request), old != session.id {
            try accounts.endMynaSession(id: old)
        }
        return success(submission, setting: [FlowCookie.myna.set(session.id)])
    }

    func mynaLogOut(_ submission: FlowSubmission) throws -> Response {
        if let id = FlowCookie.myna.value(in: submission.request) {
            try accounts.endMynaSession(id: id)
        }
        return redirect(edition: submission.edition, to: LiveSettings(submission.site).mynaSignedOut, clearing: [.myna])
    }

    /// The Myna Portal session a Myna step needs; nil sends the browser to its sign-in.
    func requireMyna(_ submission: FlowSubmission) throws -> MynaSession? {
        try mynaSession(submission.request)
    }

    func mynaSignIn(_ submission: FlowSubmission) -> Response {
        redirect(edition: submission.edition, to: LiveSettings(submission.site).mynaSignIn, clearing: [.myna])
    }

    func link(_ submission: FlowSubmission, messages: LiveSettings) throws -> Response {
        guard let myna = try requireMyna(submission) else { return mynaSignIn(submission) }
        let email = submission.value("email"), password = submission.secret("password")
        let outcome = try accounts.link(residentID: myna.residentID, email: email, password: password)
        switch outcome {
        case .linked(let session):
            submission.report.add(.mynaLinked)
            return try signedIn(session, submission)
        case .rejected:
            submission.report.add(.loginFailed)
            return try rerender(submission, message: messages.message("link_rejected"))
        case .locked:
            submission.report.add(.accountLocked)
            return redirect(for: .locked, submission)
        }
    }

    func unlink(_ submission: FlowSubmission) throws -> Response {
        guard let myna = try requireMyna(submission) else { return mynaSignIn(submission) }
        try accounts.unlink(residentID: myna.residentID)
        submission.report.add(.mynaUnlinked)
        return success(submission)
    }

    func singleSignOn(_ submission: FlowSubmission) throws -> Response {
        guard let myna = try requireMyna(submission) else { return mynaSignIn(submission) }
        let outcome = try accounts.singleSignOn(residentID: myna.residentID)
        switch outcome {
        case .signedIn(let session):
            return try signedIn(session, submission)
        case .mismatch:
            return redirect(for: .mismatch, submission)
        }
    }
}
