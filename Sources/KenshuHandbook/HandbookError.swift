import Foundation
import KenshuSite

/// Why `kenshu handbook` stopped: a Content problem at its `file:line:col` (a target hidden at a
/// layout's width), or a page that did not load.
public enum HandbookError: Error, Sendable, CustomStringConvertible {
    case content([ContentError])
    case pageFailed(page: String, reason: String)
    case missingConfiguration(String)

    public var description: String {
        switch self {
        case .content(let errors): errors.map { "\($0.location): error: \($0.message)" }.joined(separator: "\n")
        case .pageFailed(let page, let reason): "error: \(page) could not be shot: \(reason)"
        case .missingConfiguration(let message): "error: \(message)"
        }
    }
}
