import Foundation
import KenshuSite

/// What `kenshu handbook` makes, from where, into where.
public struct HandbookOptions: Sendable {
    public var content: URL
    /// `Content`, as the user named it, for messages.
    public var displayRoot: String
    public var output: URL
    /// Only these editions / layouts (nil: all).
    public var editions: [String]?
    public var layouts: [ManualLayout]?
    /// Only the procedures whose section or id starts with this (`3.3`, `3.4.1`).
    public var only: String?
    /// Chromium; nil finds it on PATH.
    public var chromium: URL?
    /// Pages shot at once per layout.
    public var pagesPerLayout: Int
    /// Also write a PowerPoint deck per edition and layout (with pictures without frames, the
    /// frames being rectangles on the slide).
    public var slides: Bool
    /// Print a PDF per edition (the slow part: every picture goes into it).
    public var pdf: Bool

    public init(content: URL, displayRoot: String? = nil, output: URL, editions: [String]? = nil,
                layouts: [ManualLayout]? = nil, only: String? = nil, chromium: URL? = nil, pagesPerLayout: Int = 2,
                slides: Bool = false, pdf: Bool = true) {
        self.content = content
        self.displayRoot = displayRoot ?? content.relativePath
        self.output = output
        self.editions = editions
        self.layouts = layouts
        self.only = only
        self.chromium = chromium
        self.pagesPerLayout = pagesPerLayout
        self.slides = slides
        self.pdf = pdf
    }
}
