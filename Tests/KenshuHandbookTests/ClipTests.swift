import Testing
@testable import KenshuHandbook

/// The region a step's picture shows: the whole width, at least a screen high, the frames inside.
struct ClipTests {
    typealias Rect = HandbookManifest.Rect

    @Test func aScreenFromALittleAboveTheFirstFrame() {
        let clip = StepCamera.clip(around: [Rect(x: 10, y: 1000, width: 100, height: 40)],
                                   viewport: (1280, 900), document: (1280, 3000))
        #expect(clip == Rect(x: 0, y: 904, width: 1280, height: 900))
    }

    @Test func tallerWhenTheFramesSpreadAndNeverPastThePage() {
        let marks = [Rect(x: 0, y: 50, width: 10, height: 10), Rect(x: 0, y: 2900, width: 10, height: 60)]
        let clip = StepCamera.clip(around: marks, viewport: (390, 844), document: (390, 2980))
        #expect(clip == Rect(x: 0, y: 0, width: 390, height: 2980))
        let low = StepCamera.clip(around: [Rect(x: 0, y: 2950, width: 10, height: 20)], viewport: (390, 844), document: (390, 3000))
        #expect(low == Rect(x: 0, y: 2156, width: 390, height: 844))
    }

    @Test func framesWithinTheFirstScreenShowItFromTheTop() {
        let clip = StepCamera.clip(around: [Rect(x: 0, y: 463, width: 390, height: 59)], viewport: (390, 844), document: (390, 3000))
        #expect(clip == Rect(x: 0, y: 0, width: 390, height: 844))
    }

    @Test func withoutFramesTheFirstScreen() {
        #expect(StepCamera.clip(around: [], viewport: (1280, 900), document: (1280, 600)) == Rect(x: 0, y: 0, width: 1280, height: 600))
    }
}
