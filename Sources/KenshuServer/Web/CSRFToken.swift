import Hummingbird
import KenshuAccounts

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

    /// Whether a posted form echoes the token of the browser's cookie: the check every form of
    /// the site and the tool makes.
    static func isEchoed(in form: [String: String], of request: Request) -> Bool {
        matches(form["csrf_token"], FlowCookie.csrf.value(in: request))
    }

    /// Constant-time: how long the comparison takes says nothing about where they differ.
    package static func matches(_ submitted: String?, _ expected: String?) -> Bool {
        guard let submitted, let expected, !expected.isEmpty else { return false }
        return ConstantTime.equals(Array(submitted.utf8), Array(expected.utf8))
    }
}
