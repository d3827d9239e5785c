import Testing
@testable import KenshuHandbook

@Suite struct SlideGeometryTests {
    typealias Box = HandbookManifest.Rect

    @Test func smartphoneShotFillsTheSlideHeightBesideTheText() {
        let geometry = StepSlideGeometry(clip: Box(x: 0, y: 0, width: 390, height: 844), isSmartphone: true)
        #expect(geometry.arrangement == .textBesidePicture)
        #expect(geometry.pictureFrame.height == EMU.slideHeight - 2 * StepSlideGeometry.margin)
        #expect(geometry.textFrame.width == StepSlideGeometry.maximumTextColumnWidth)
        #expect(geometry.textFrame.maxX + StepSlideGeometry.gap == geometry.pictureFrame.x)
        // Text and picture are centred together.
        #expect(abs(geometry.textFrame.x - (EMU.slideWidth - geometry.pictureFrame.maxX)) <= 1)
    }

    @Test func widePCShotGoesBelowTheText() {
        let geometry = StepSlideGeometry(clip: Box(x: 0, y: 0, width: 1280, height: 400), isSmartphone: false)
        #expect(geometry.arrangement == .textAbovePicture)
        #expect(geometry.pictureFrame.y > geometry.textFrame.maxY)
        #expect(geometry.pictureFrame.width == EMU.slideWidth - 2 * StepSlideGeometry.margin)
    }

    @Test func boxIsPlacedRelativeToTheClipAndScaledToThePicture() throws {
        let clip = Box(x: 0, y: 400, width: 1280, height: 900)
        let geometry = StepSlideGeometry(clip: clip, isSmartphone: false)
        let picture = geometry.pictureFrame
        let frame = try #require(geometry.frame(over: Box(x: 520, y: 1010, width: 240, height: 48)))
        let emuPerPixel = Double(picture.width) / 1280
        #expect(abs(Double(frame.x) - (Double(picture.x) + 520 * emuPerPixel)) <= 0.5)
        #expect(abs(Double(frame.y) - (Double(picture.y) + 610 * Double(picture.height) / 900)) <= 0.5)
        #expect(abs(Double(frame.width) - 240 * emuPerPixel) <= 0.5)
    }

    @Test func boxOutsideTheClipIsTrimmedOrDropped() throws {
        let geometry = StepSlideGeometry(clip: Box(x: 0, y: 0, width: 1280, height: 900), isSmartphone: false)
        let trimmed = try #require(geometry.frame(over: Box(x: 1200, y: 850, width: 200, height: 200)))
        #expect(trimmed.maxX == geometry.pictureFrame.maxX)
        #expect(trimmed.maxY == geometry.pictureFrame.maxY)
        #expect(geometry.frame(over: Box(x: 0, y: 1000, width: 10, height: 10)) == nil)
    }

    @Test func stepNumbersAreCircledDigits() {
        #expect(CircledNumber.text(for: 1) == "①")
        #expect(CircledNumber.text(for: 3) == "③")
        #expect(CircledNumber.text(for: 20) == "⑳")
        #expect(CircledNumber.text(for: 21) == "(21)")
    }

    @Test func xmlEscapingCoversAllFiveCharactersAndDropsControlCharacters() {
        #expect(XMLText.escape(#"a&b<c>d"e'f"#) == "a&amp;b&lt;c&gt;d&quot;e&apos;f")
        #expect(XMLText.escape("x\u{0B}y\tz") == "xy\tz")
        #expect(XMLText.lines("a\r\nb\rc\n") == ["a", "b", "c", ""])
    }

    @Test func longTextGetsASmallerFont() {
        let width = EMU.inches(3)
        let short = TextFitting.largestSize(for: "短い文。", candidates: [28, 20, 12], width: width, height: EMU.inches(1))
        let long = TextFitting.largestSize(for: String(repeating: "長い文章です。", count: 12), candidates: [28, 20, 12],
                                           width: width, height: EMU.inches(1))
        #expect(short == 28)
        #expect(long == 12)
    }
}
