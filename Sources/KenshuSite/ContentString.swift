import Mustache

/// A string from Content (a fixture value, a front-matter field). It renders as itself and
/// offers templates Kenshu's transforms on top of swift-mustache's own string transforms:
///
/// - `{{ja(date)}}`: an ISO date `2021-09-21` as the manual prints it, `2021年9月21日`; an ISO
///   date-time `2021-09-21 10:00` as `2021年09月21日 10時00分` (the two formats the manual uses).
/// - `{{{qr(number)}}}`: the string as a QR code, an inline SVG (use triple braces).
public struct ContentString: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    public init(_ value: String) { self.value = value }

    public var description: String { value }

    public static func < (lhs: ContentString, rhs: ContentString) -> Bool { lhs.value < rhs.value }
}

extension ContentString: MustacheCustomRenderable {
    public var renderText: String { value }
    public var isNull: Bool { false }
}

extension ContentString: MustacheTransformable {
    public func transform(_ name: String) -> Any? {
        switch name {
        case "ja":
            return JapaneseDate.manualText(iso: value)
        case "qr":
            return (try? QRCode(encoding: value)).map { RawHTML($0.svg()) }
        default:
            return value.transform(name)
        }
    }
}

/// Markup the engine made itself (Markdown output, QR SVG). Templates insert it with `{{{…}}}`;
/// the linter reports `{{…}}` on it, which would print the markup as text.
public struct RawHTML: Sendable, Hashable, MustacheCustomRenderable, CustomStringConvertible {
    public let html: String
    public init(_ html: String) { self.html = html }
    public var renderText: String { html }
    public var isNull: Bool { false }
    public var description: String { html }
}

/// YAML's null (`~`, `null`, an empty value): prints nothing and is false in a section.
///
/// Not `NSNull`: on Linux, asking whether an arbitrary value `is NSNull` bridges it to an
/// Objective-C object first, which for a page's context (all fixtures) costs time in
/// proportion to the whole site — on every lookup.
public struct ContentNull: Sendable, Hashable, MustacheCustomRenderable, CustomStringConvertible {
    public init() {}
    public var renderText: String { "" }
    public var isNull: Bool { true }
    public var description: String { "" }
}
