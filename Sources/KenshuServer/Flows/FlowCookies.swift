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

/// CSRF tokens: a random secret in an HttpOnly cookie, echoed by every form. A forged cross-site
/// POST cannot read the cookie, so it cannot echo it; SameSite=Lax keeps the cookie off such
/// POSTs anyway.
package enum CSRFToken {
    /// 128 random bits, hex (the same generator as session ids).
    package static func make() -> String { RandomToken.identifier() }

    /// The browser's token, or a new one with the cookie that carries it.
    static func current(in request: Request) -> (token: String, newCookie: Cookie?) {
        if let existing = FlowCookie.csrf.value(in: request) { return (existing, nil) }
        let token = make()
        return (token, FlowCookie.csrf.set(token))
    }

    /// Constant-time: how long the comparison takes says nothing about where they differ.
    package static func matches(_ submitted: String?, _ expected: String?) -> Bool {
        guard let submitted, let expected, !expected.isEmpty else { return false }
        return ConstantTime.equals(Array(submitted.utf8), Array(expected.utf8))
    }
}
