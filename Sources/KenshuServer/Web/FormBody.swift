import Hummingbird

/// An `application/x-www-form-urlencoded` body as name → value, decoded by Hummingbird's
/// `URLEncodedFormDecoder` (the same rules as its typed decoding: `+` is a space, percent
/// escapes are UTF-8). Nil when the body is not a form (a malformed escape, a name repeated
/// with different shapes); the caller answers 400.
enum FormBody {
    static func decode(_ text: String) -> [String: String]? {
        if text.isEmpty { return [:] }
        return try? URLEncodedFormDecoder().decode([String: String].self, from: text)
    }
}
