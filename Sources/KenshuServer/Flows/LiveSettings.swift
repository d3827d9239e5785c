import KenshuSite

/// site.yaml `live.pages`, `live.messages` and `live.errors`: the site's words for the server's
/// answers, so nothing a participant reads is written in Swift.
struct LiveSettings {
    let settings: [String: Any]

    init(_ site: LiveSite) { settings = site.settings }

    private func page(_ key: String, _ fallback: String) -> String {
        LiveValues.string((settings["pages"] as? [String: Any])?[key]) ?? fallback
    }

    var signIn: String { page("sign_in", "login.html") }
    var signedOut: String { page("signed_out", "index.html") }
    var mynaSignIn: String { page("myna_sign_in", "mynaportal/login.html") }
    var mynaSignedOut: String { page("myna_signed_out", "mynaportal/login.html") }

    /// Requests a page cannot take.
    enum Refusal: String {
        /// The body is over `LiveFlows.maximumBody`.
        case tooLarge = "too_large"
        /// The CSRF token is missing or wrong: an old screen, or a post from another site.
        case forged
        /// The page offers no such post, or the body is not a form.
        case notOffered = "not_offered"
    }

    /// The template the refusals are drawn with (`live.errors.template`).
    var errorTemplate: String {
        LiveValues.string((settings["errors"] as? [String: Any])?["template"]) ?? "error"
    }

    /// A refusal's title and explanation, or its code so a missing text is visible, not silent.
    func refusal(_ kind: Refusal) -> (title: String, detail: String) {
        let entry = (settings["errors"] as? [String: Any])?[kind.rawValue] as? [String: Any]
        return (LiveValues.string(entry?["title"]) ?? kind.rawValue, LiveValues.string(entry?["detail"]) ?? kind.rawValue)
    }

    /// The message for `code`, or the code itself so a missing message is visible, not silent.
    func message(_ code: String) -> String {
        LiveValues.string((settings["messages"] as? [String: Any])?[code]) ?? code
    }
}
