/// Where a step slide's text and screenshot go, and where a manifest box lands over the screenshot.
struct StepSlideGeometry: Equatable, Sendable {
    enum Arrangement: Equatable, Sendable {
        /// Text column on the left, screenshot at full height on the right.
        case textBesidePicture
        /// Text band across the top, screenshot below it.
        case textAbovePicture
    }

    static let margin = EMU.inches(0.3)
    static let gap = EMU.inches(0.2)
    /// Narrowest text column worth reading beside a picture.
    static let minimumTextColumnWidth = EMU.inches(3.0)
    /// Widest text column beside a picture; wider lines are hard to follow on a projector.
    static let maximumTextColumnWidth = EMU.inches(6.0)
    static let textBandHeight = EMU.inches(1.35)

    let arrangement: Arrangement
    let textFrame: EMURect
    let pictureFrame: EMURect
    /// The captured region the picture shows, in CSS px.
    let clip: HandbookManifest.Rect

    /// Smartphone shots always stand beside the text at the slide's height; PC shots take
    /// whichever arrangement shows them larger (wide shots below the text, tall ones beside it).
    init(clip: HandbookManifest.Rect, isSmartphone: Bool) {
        self.clip = clip
        let aspect = clip.width > 0 && clip.height > 0 ? clip.width / clip.height : 16.0 / 9.0
        let beside = Self.besideLayout(aspect: aspect)
        let above = Self.aboveLayout(aspect: aspect)
        let useBeside = isSmartphone || beside.picture.area >= above.picture.area
        arrangement = useBeside ? .textBesidePicture : .textAbovePicture
        (textFrame, pictureFrame) = useBeside ? (beside.text, beside.picture) : (above.text, above.picture)
    }

    /// The manifest `box` (CSS px of the document) over the picture: offset by the clip origin,
    /// scaled by picture EMU per CSS px. Each edge is rounded on its own, so it matches
    /// `picture.left + (box.x - clip.x) * picture.width / clip.width` to within half an EMU.
    /// A box reaching outside the clip is trimmed to the picture; nil when nothing is left.
    func frame(over box: HandbookManifest.Rect) -> EMURect? {
        guard clip.width > 0, clip.height > 0 else { return nil }
        let emuPerPixelX = Double(pictureFrame.width) / clip.width
        let emuPerPixelY = Double(pictureFrame.height) / clip.height
        var frame = EMURect(x: pictureFrame.x + Int(((box.x - clip.x) * emuPerPixelX).rounded()),
                            y: pictureFrame.y + Int(((box.y - clip.y) * emuPerPixelY).rounded()),
                            width: Int((box.width * emuPerPixelX).rounded()),
                            height: Int((box.height * emuPerPixelY).rounded()))
        let isInside = frame.x >= pictureFrame.x && frame.y >= pictureFrame.y
            && frame.maxX <= pictureFrame.maxX && frame.maxY <= pictureFrame.maxY
        if !isInside {
            let left = max(frame.x, pictureFrame.x), top = max(frame.y, pictureFrame.y)
            let right = min(frame.maxX, pictureFrame.maxX), bottom = min(frame.maxY, pictureFrame.maxY)
            guard right > left, bottom > top else { return nil }
            frame = EMURect(x: left, y: top, width: right - left, height: bottom - top)
        }
        return frame
    }

    private static func besideLayout(aspect: Double) -> (text: EMURect, picture: EMURect) {
        let area = EMURect(x: margin + minimumTextColumnWidth + gap, y: margin,
                           width: EMU.slideWidth - 2 * margin - minimumTextColumnWidth - gap,
                           height: EMU.slideHeight - 2 * margin)
        var picture = fit(aspect: aspect, into: area)
        picture.y = area.y + (area.height - picture.height) / 2
        // The text takes the width the picture leaves, up to a comfortable line length; a narrow
        // (smartphone) picture and its text are then centred together rather than pushed apart.
        let textWidth = min(EMU.slideWidth - 2 * margin - gap - picture.width, maximumTextColumnWidth)
        let left = (EMU.slideWidth - (textWidth + gap + picture.width)) / 2
        picture.x = left + textWidth + gap
        let text = EMURect(x: left, y: margin, width: textWidth, height: area.height)
        return (text, picture)
    }

    private static func aboveLayout(aspect: Double) -> (text: EMURect, picture: EMURect) {
        let text = EMURect(x: margin, y: margin, width: EMU.slideWidth - 2 * margin, height: textBandHeight)
        let area = EMURect(x: margin, y: text.maxY + gap, width: text.width,
                           height: EMU.slideHeight - margin - (text.maxY + gap))
        var picture = fit(aspect: aspect, into: area)
        picture.x = area.x + (area.width - picture.width) / 2
        picture.y = area.y
        return (text, picture)
    }

    /// The largest rectangle of `aspect` (width / height) inside `area`, at its origin.
    static func fit(aspect: Double, into area: EMURect) -> EMURect {
        let areaAspect = Double(area.width) / Double(area.height)
        if areaAspect > aspect {
            return EMURect(x: area.x, y: area.y, width: Int((Double(area.height) * aspect).rounded()), height: area.height)
        }
        return EMURect(x: area.x, y: area.y, width: area.width, height: Int((Double(area.width) / aspect).rounded()))
    }
}
