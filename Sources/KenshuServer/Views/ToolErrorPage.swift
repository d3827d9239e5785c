/// The view model of `error.mustache` and the templates that inherit it (`mail-error`,
/// `trainer-refusal`): a heading, one sentence, an optional way back.
struct ToolErrorPage: ToolViewModel {
    /// The way back under the sentence.
    struct Link: Sendable {
        var href: String
        var label: String
    }

    var layout: ToolLayout
    var heading: String
    var detail: String
    var back: Link? = nil
}
