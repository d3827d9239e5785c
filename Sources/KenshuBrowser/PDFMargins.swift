/// Page margins for `Page.pdf`, in inches because that is the unit `Page.printToPDF` uses.
public struct PDFMargins: Sendable, Hashable {
    public var top: Double
    public var right: Double
    public var bottom: Double
    public var left: Double

    public init(top: Double, right: Double, bottom: Double, left: Double) {
        self.top = top
        self.right = right
        self.bottom = bottom
        self.left = left
    }

    public init(all inches: Double) {
        self.init(top: inches, right: inches, bottom: inches, left: inches)
    }

    public static let none = PDFMargins(all: 0)
    /// Chromium's own default (about 1 cm), which leaves room for header/footer templates.
    public static let chromiumDefault = PDFMargins(all: 0.4)
}
