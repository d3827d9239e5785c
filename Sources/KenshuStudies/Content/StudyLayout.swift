/// The two layouts of the mock, as studies and click maps distinguish them. The split is the
/// site stylesheet's breakpoint: below 768 CSS px the smartphone layout is shown.
public enum StudyLayout: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case pc, sp

    /// The stylesheet's breakpoint in CSS pixels: a viewport at least this wide shows `pc`.
    public static let breakpoint = 768

    /// The layout a viewport of this CSS width shows.
    public init(viewportWidth: Int) {
        self = viewportWidth >= Self.breakpoint ? .pc : .sp
    }

    public static func < (a: StudyLayout, b: StudyLayout) -> Bool { a == .pc && b == .sp }
}
