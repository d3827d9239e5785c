import Foundation

/// One procedure of the manual (`Content/manual/procedures/*.md`): its numbered steps, each with
/// the screen it shows and the elements a trainer boxes in red, per layout and edition; and its
/// 注意 / Point / 参照先 boxes. Written once for both editions and layouts; `steps(edition:layout:)`
/// gives one edition's and layout's numbered list.
public struct ManualProcedure: Sendable {
    /// `procedures/3.3-logout.md` → `3.3-logout`.
    public var id: String
    public var location: SourceLocation
    /// The manual's number as printed: `3.3`, `3.1.1`.
    public var section: String
    public var title: EditionText
    public var order: Int
    public var lead: EditionText?
    public var editions: EditionSet
    public var steps: [Step]
    public var notes: [Note]
    /// The Markdown body: the manual's longer text (speaker notes).
    public var body: RawHTML

    public struct Step: Sendable {
        public var location: SourceLocation
        public var text: EditionText
        public var layouts: Set<ManualLayout>
        public var editions: EditionSet
        public var screen: Screen
        /// Boxed in red, by layout (the same names when the file gives one list).
        public var targets: [ManualLayout: [Target]]
        /// `<details>` opened before the shot (the smartphone menu).
        public var open: [Target]
        /// Numbered callouts (3.2.1, 3.2.2) instead of boxes.
        public var callouts: [Callout]

        public func applies(edition: String, layout: ManualLayout) -> Bool {
            layouts.contains(layout) && editions.contains(edition)
        }
    }

    public enum Screen: Sendable, Equatable {
        /// A page of the edition's folder: `home.html`, `mynaportal/connections.html`.
        case page(String, SourceLocation)
        /// A mail, as the inbox shows it: `templates/mail/NAME.mustache`.
        case mail(String, SourceLocation)

        public var location: SourceLocation {
            switch self {
            case .page(_, let location), .mail(_, let location): location
            }
        }
    }

    /// A `data-step` name and where the file names it.
    public struct Target: Sendable, Hashable {
        public var name: String
        public var location: SourceLocation
    }

    public struct Callout: Sendable {
        public var location: SourceLocation
        public var target: [ManualLayout: Target]
        public var label: EditionText?
        public var text: EditionText
        public var layouts: Set<ManualLayout>
        public var editions: EditionSet

        public func applies(edition: String, layout: ManualLayout) -> Bool {
            layouts.contains(layout) && editions.contains(edition) && target[layout] != nil
        }
    }

    public struct Note: Sendable {
        public enum Kind: String, Sendable, CaseIterable {
            case caution = "注意", point = "Point", reference = "参照先"
        }
        public var location: SourceLocation
        public var kind: Kind
        public var title: EditionText?
        public var text: EditionText
        public var editions: EditionSet
    }

    /// The steps one edition shows in one layout, in order; their numbers are their positions (①…).
    public func steps(edition: String, layout: ManualLayout) -> [Step] {
        steps.filter { $0.applies(edition: edition, layout: layout) }
    }
}

/// The two widths the handbook shoots, as the gallery shows them.
public enum ManualLayout: String, Sendable, CaseIterable, Comparable {
    case pc, sp

    /// CSS width of the viewport.
    public var width: Int { self == .pc ? 1280 : 390 }
    public var height: Int { self == .pc ? 900 : 844 }
    /// Device pixels per CSS pixel: a phone's screen is sharper.
    public var scale: Int { self == .pc ? 1 : 2 }
    /// パソコン / スマートフォン, as the manual names them.
    public var label: String { self == .pc ? "パソコン" : "スマートフォン" }

    public static func < (a: ManualLayout, b: ManualLayout) -> Bool { a == .pc && b == .sp }
}

/// Text that is the same in every edition, or differs by edition (`{v1: …, v2: …}`).
public enum EditionText: Sendable {
    case shared(String)
    case byEdition([String: String])

    /// The text of `edition`; nil when the file gives none for it.
    public func text(for edition: String) -> String? {
        switch self {
        case .shared(let text): text
        case .byEdition(let texts): texts[edition]
        }
    }
}

/// The editions a procedure, step, callout or note exists in (nil: every edition).
public struct EditionSet: Sendable {
    public var only: Set<String>?
    public static let all = EditionSet(only: nil)

    public func contains(_ edition: String) -> Bool { only?.contains(edition) ?? true }
}
