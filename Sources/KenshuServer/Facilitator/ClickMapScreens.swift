import Foundation
import KenshuBrowser
import KenshuStudies

/// Pictures of the pages a report's click maps name, for the report to lay under the dots:
/// each page as built in Output/, opened by Debian's Chromium at the width most of its clicks
/// were made at, the whole page (up to `maximumHeight`), as a JPEG.
public enum ClickMapScreens {
    /// Longer pages are cut here: clicks below are still drawn, on the picture's bottom edge.
    static let maximumHeight = 6000
    static let quality = 70

    /// One picture per map whose page is in `output`; none when there is no click.
    public static func shoot(_ maps: [ClickMap], output: URL, chromium: URL? = nil) async throws -> [ClickBackdrop] {
        let wanted = maps.compactMap { map -> (map: ClickMap, file: URL, width: Int)? in
            let file = output.appendingPathComponent(map.page)
            guard !map.points.isEmpty, map.page.hasSuffix(".html"), FileManager.default.fileExists(atPath: file.path) else { return nil }
            return (map, file, commonWidth(map))
        }
        guard !wanted.isEmpty else { return [] }
        let browser = try await Browser.launch(executable: chromium)
        do {
            var backdrops: [ClickBackdrop] = []
            for (map, file, width) in wanted {
                let phone = map.layout == .sp
                // Half the pixels on a PC page: a backdrop, not a screenshot to read small print from.
                let tab = try await browser.newPage(width: width, height: phone ? 844 : 800, deviceScaleFactor: phone ? 1 : 0.5, mobile: phone)
                do {
                    try await tab.goto(file.absoluteString)
                    try await tab.freezeForScreenshots()
                    var box = try await tab.documentBox()
                    box.width = Double(width)
                    box.height = min(box.height, Double(maximumHeight))
                    let image = try await tab.screenshotJPEG(quality: quality, clip: box)
                    backdrops.append(ClickBackdrop(page: map.page, layout: map.layout, image: image, width: width, height: Int(box.height)))
                    try await tab.close()
                } catch {
                    try? await tab.close()
                    throw error
                }
            }
            await browser.close()
            return backdrops
        } catch {
            await browser.close()
            throw error
        }
    }

    /// The viewport width most of the map's clicks were made at.
    static func commonWidth(_ map: ClickMap) -> Int {
        var counts: [Int: Int] = [:]
        for point in map.points { counts[point.viewportWidth, default: 0] += 1 }
        let width = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? (map.layout == .pc ? 1280 : 390)
        return min(max(width, 320), 2560)
    }
}
