/// `attempts.csv`: one row per attempt, for a spreadsheet or R. The first seven columns are the
/// issue's (`participant,task,outcome,seconds,misclicks,errors,seq`); the rest say what the
/// seven leave out — the automatic outcome beside an overridden one, the error kinds, the path.
public enum AttemptsCSV {
    public static let columns = [
        "participant", "task", "outcome", "seconds", "misclicks", "errors", "seq",
        "attempt", "automatic_outcome", "override_reason", "clicks", "error_kinds", "path",
    ]

    /// The outcome column of an attempt still running.
    public static let inProgress = "in_progress"

    /// The report's attempts (every one, running ones as `in_progress`), in start order.
    public static func render(_ report: StudyReport) -> String {
        render(report.attempts)
    }

    public static func render(_ attempts: [AttemptResult]) -> String {
        var table = CSVTable(header: columns)
        for attempt in attempts {
            table.rows.append([
                attempt.participant, attempt.task, attempt.outcome?.code ?? inProgress,
                attempt.seconds.map(seconds) ?? "", String(attempt.misclicks), String(attempt.errorCount),
                attempt.seq.map(String.init) ?? "", attempt.attempt, attempt.automatic?.code ?? inProgress,
                attempt.override?.reason ?? "", String(attempt.clicks),
                attempt.errors.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";"),
                attempt.path.joined(separator: " > "),
            ])
        }
        return table.text
    }

    /// Seconds with milliseconds, the precision the log keeps: `84.25` → `84.250`.
    static func seconds(_ value: Double) -> String {
        let millis = Int((value * 1000).rounded())
        let sign = millis < 0 ? "-" : ""
        let whole = abs(millis) / 1000, fraction = String(abs(millis) % 1000)
        return "\(sign)\(whole).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
