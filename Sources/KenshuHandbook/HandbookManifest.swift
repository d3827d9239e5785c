import Foundation

/// `Output/handbook/manifest.json`: every step image with the boxes drawn into it, in the
/// page's CSS px. The HTML and PDF handbooks, the slide decks and the tests read it; a box's
/// place in its picture is `(box.x - clip.x, box.y - clip.y)` times `scale` device pixels.
public struct HandbookManifest: Codable, Sendable, Equatable {
    public var schema = 1
    public var title: String
    public var site: String
    public var editions: [Edition]

    public struct Edition: Codable, Sendable, Equatable {
        public var id: String
        public var label: String
        public var procedures: [Procedure]
    }

    public struct Procedure: Codable, Sendable, Equatable {
        public var id: String
        public var section: String
        public var title: String
        public var lead: String?
        /// The manual's longer text, plain.
        public var details: String
        public var notes: [Note]
        /// `pc`, `sp` → that layout's numbered steps.
        public var layouts: [String: [Step]]
    }

    public struct Note: Codable, Sendable, Equatable {
        public var kind: String
        public var title: String?
        public var text: String
    }

    public struct Step: Codable, Sendable, Equatable {
        public var number: Int
        public var text: String
        /// Relative to the manifest's folder: `v2/3.3-pc-01.png`.
        public var image: String
        /// The same region without the frames (`v2/plain/3.3-pc-01.png`), written for the slide
        /// decks, where each frame is a rectangle a trainer can move or delete.
        public var plainImage: String?
        /// The page shot, relative to the edition folder (`home.html`), or `mail:NAME`.
        public var screen: String
        /// The viewport's CSS width and height, and device pixels per CSS pixel.
        public var width: Int
        public var height: Int
        public var scale: Int
        /// The `<details>` opened before the shot (their `data-step` names).
        public var open: [String]
        /// The region of the page in the picture.
        public var clip: Rect
        public var targets: [Target]
        public var callouts: [Callout]
    }

    public struct Target: Codable, Sendable, Equatable {
        public var name: String
        /// The element's bounding box (the union when several carry the name).
        public var box: Rect
        /// The red frame drawn around it.
        public var mark: Rect
    }

    public struct Callout: Codable, Sendable, Equatable {
        public var number: Int
        public var label: String?
        public var text: String
        public var target: String
        public var box: Rect
        public var mark: Rect
    }

    public struct Rect: Codable, Sendable, Equatable {
        public var x: Double
        public var y: Double
        public var width: Double
        public var height: Double
    }

    /// Sorted keys and pretty-printed: two runs give the same bytes, and a diff reads well.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
