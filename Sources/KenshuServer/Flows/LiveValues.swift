import KenshuSite

/// Reading Content values (`ContentString`, `Int`, `Bool`) without caring which.
enum LiveValues {
    static func string(_ value: Any?) -> String? {
        switch value {
        case let text as ContentString: text.value
        case let text as String: text
        case let number as Int: String(number)
        default: nil
        }
    }

    static func int(_ value: Any?) -> Int? {
        switch value {
        case let number as Int: number
        case let text as ContentString: Int(text.value)
        default: nil
        }
    }
}
