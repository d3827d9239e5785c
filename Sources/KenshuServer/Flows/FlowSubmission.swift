import Foundation
import Hummingbird
import KenshuSite

/// One POST to a served page: what was sent, and the post the page offers for it (its
/// handler and the pages its outcomes lead to).
struct FlowSubmission {
    let request: Request
    let page: LiveSite.Page
    let site: LiveSite
    let form: [String: String]
    let post: PageBehaviour.Post
    /// The outcomes and invalid fields, for a `PageObserver`.
    let report = FlowReport()

    var edition: String { page.edition }
    func value(_ name: String) -> String { form[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
    /// Passwords as typed: surrounding spaces are the participant's, and the policy judges them.
    func secret(_ name: String) -> String { form[name] ?? "" }
}
