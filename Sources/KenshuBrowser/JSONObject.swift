import Foundation

/// A decoded CDP JSON object (a reply's `result` or an event's `params`).
///
/// `JSONSerialization` hands back `[String: Any]`, which is not `Sendable`. The reader
/// thread builds each dictionary once and nobody mutates it afterwards, so passing it
/// between threads is safe; this wrapper states that once instead of sprinkling casts.
/// The typed accessors also hide that swift-corelibs-foundation may box numbers as
/// `Int`, `Double` or `NSNumber` depending on how the JSON spelled them.
struct JSONObject: @unchecked Sendable {
    let fields: [String: Any]

    init(_ fields: [String: Any]) {
        self.fields = fields
    }

    static let empty = JSONObject([:])

    subscript(key: String) -> Any? { fields[key] }

    func string(_ key: String) -> String? { fields[key] as? String }

    func object(_ key: String) -> JSONObject? {
        (fields[key] as? [String: Any]).map(JSONObject.init)
    }

    func double(_ key: String) -> Double? { Self.double(from: fields[key]) }

    func int(_ key: String) -> Int? { Self.double(from: fields[key]).map { Int($0) } }

    static func double(from value: Any?) -> Double? {
        switch value {
        case let number as Double: return number
        case let number as Int: return Double(number)
        case let number as NSNumber: return number.doubleValue
        default: return nil
        }
    }

    /// Encodes a Swift string as a JavaScript string literal (JSON strings are valid JS),
    /// so selectors and CSS can be spliced into evaluated code without injection bugs.
    static func javaScriptLiteral(_ string: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: string, options: [.fragmentsAllowed])) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
