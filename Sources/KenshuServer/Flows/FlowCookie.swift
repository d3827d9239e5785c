import Foundation
import Hummingbird
import KenshuAccounts

/// The cookies of the served flows. All are HttpOnly and SameSite=Lax, scoped to the whole
/// server, and end with the browser session (no Max-Age): a walkthrough starts fresh in a new
/// browser.
enum FlowCookie: String, CaseIterable {
    /// HelloWork MyPage session id (renewed at every sign-in).
    case session = "kenshu_session"
    /// Myna Portal mock session id: a separate site, so a separate session (no single logout).
    case myna = "kenshu_myna"
    /// The double-submit CSRF secret; every POST form carries it as `csrf_token`.
    case csrf = "kenshu_csrf"
    /// The pending password reset (its flow id), so the key screen knows the ID entered before.
    case reset = "kenshu_reset"
    /// The pending re-registration.
    case reregister = "kenshu_rereg"
    /// The trainer console's token, when the server is reachable from other machines.
    case trainer = "kenshu_trainer"
    /// A classroom participant's access secret (from their card's QR code): their mailbox, and
    /// their own Myna Portal resident on this browser.
    case participant = "kenshu_participant"

    func value(in request: Request) -> String? {
        guard let value = request.cookies[rawValue]?.value, !value.isEmpty, value.count <= 128 else { return nil }
        return value
    }

    func set(_ value: String) -> Cookie {
        Cookie(name: rawValue, value: value, path: "/", httpOnly: true, sameSite: .lax)
    }

    func clear() -> Cookie {
        Cookie(name: rawValue, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax)
    }
}
