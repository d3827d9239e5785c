import Hummingbird
import KenshuStudies
import NIOCore

/// Hears what the served pages did for a browser someone follows — a usability study's
/// participant (`StudyDesk`): the pages shown and the forms submitted with what the rules said.
/// The flows and the site layer tell it; they do not know what a study is.
///
/// `shown` and `submitted` block (they write the log): the flows call them on their thread
/// pool, the site layer through ``offload(_:)``. They never throw: a page is never refused
/// because it could not be recorded.
protocol PageObserver: Sendable {
    /// Whether the request may come from a followed browser: a header test, so the pages of
    /// everyone else keep their fast path.
    func mayFollow(_ request: Request) -> Bool
    /// Records the page shown and returns it as the followed browser gets it (with its task
    /// bar), with any cookie that needs; nil when the browser is not followed.
    func shown(_ page: ByteBuffer, path: String, request: Request) -> (page: ByteBuffer, cookies: [Cookie])?
    /// Records a submission: the form, which fields were valid (never their values), and the
    /// rules' outcomes in the order they happened.
    func submitted(_ events: [StudyEvent.Kind], request: Request)
    /// Runs blocking work off the event loops.
    func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T
}

/// What one POST came to, gathered while the handler runs: the rules' outcomes as study events
/// and the fields the page showed an error beside.
final class FlowReport: @unchecked Sendable {
    // One request's handler on one thread; never shared.
    private(set) var outcomes: [StudyEvent.Kind] = []
    private(set) var invalidFields: Set<String> = []
    /// Set when the browser is followed; nil: nothing is gathered for anyone.
    var observer: (any PageObserver)?
    private var told = false

    /// An outcome of the rules; handlers add theirs before they render or redirect.
    /// Several policy violations of one field are one error of that field.
    func add(_ outcome: StudyEvent.Kind) { if !outcomes.contains(outcome) { outcomes.append(outcome) } }
    func invalid(_ fields: some Sequence<String>) { invalidFields.formUnion(fields) }

    /// Tells the observer once: the form with each of the page's fields valid or not, then the outcomes.
    func flush(_ submission: FlowSubmission) {
        guard let observer, !told else { return }
        told = true
        let names = submission.page.fieldNames
        let fields = names.map { StudyEvent.FormField(name: $0, valid: !invalidFields.contains($0)) }
        // Named like a page view's path (`v2/login.html`), with the action a page offers beside its form.
        let form = submission.page.outputPath + (submission.form["action"].map { "#" + $0 } ?? "")
        observer.submitted([.formSubmitted(form: form, fields: fields)] + outcomes, request: submission.request)
    }
}
