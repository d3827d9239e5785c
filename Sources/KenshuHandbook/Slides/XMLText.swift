import Foundation

/// Escaping for text and attribute values, so manifest text can never break a part's XML.
enum XMLText {
    /// Escapes the five XML special characters and drops characters XML 1.0 forbids
    /// (control characters other than tab/newline/CR), which PowerPoint would reject as corrupt.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"

    /// Splits manifest text into lines (one `a:p` each), accepting \n, \r\n and \r.
    static func lines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
    }
}

/// The namespaces every PresentationML part declares.
enum OOXMLNamespace {
    static let drawing = "http://schemas.openxmlformats.org/drawingml/2006/main"
    static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let presentation = "http://schemas.openxmlformats.org/presentationml/2006/main"
    static let packageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships"

    /// `xmlns:a`, `xmlns:r`, `xmlns:p` as one attribute string.
    static let presentationMLDeclarations =
        #"xmlns:a="\#(drawing)" xmlns:r="\#(relationships)" xmlns:p="\#(presentation)""#
}
