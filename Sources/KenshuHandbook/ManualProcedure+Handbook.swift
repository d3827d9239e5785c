import Foundation
import KenshuSite

extension ManualProcedure {
    /// The number part of the file name, for the pictures' names: `3.3` of `3.3-logout`.
    var fileStem: String {
        String(id.split(separator: "-", maxSplits: 1).first ?? Substring(id))
    }
}

extension RawHTML {
    /// The text without tags, paragraphs on their own lines: for speaker notes and the manifest.
    var plainText: String {
        var text = html.replacingOccurrences(of: "</p>", with: "\n").replacingOccurrences(of: "<br />", with: "\n")
            .replacingOccurrences(of: "</li>", with: "\n")
        while let open = text.range(of: "<"), let close = text[open.lowerBound...].range(of: ">") {
            text.removeSubrange(open.lowerBound..<close.upperBound)
        }
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "\n")
    }
}
