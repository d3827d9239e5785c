import Foundation
import KenshuBrowser
import KenshuStudies

/// Pictures of the pages a report's click maps name, for the report to lay under the dots:
/// each page as built in Output/, opened by Debian's Chromium at the width most of its clicks
/// were made at, the whole page (up to `maximumHeight`), as a JPEG.
///
/// With a `cache` folder (the data directory's `screens/`), a picture is kept under the page's
/// bytes, width and layout: the next report pictures only pages that changed, and starts no
/// browser when none did.
public enum ClickMapScreens {
    /// Longer pages are cut here: clicks below are still drawn, on the picture's bottom edge.
    static let maximumHeight = 6000
    static let quality = 70

    /// One picture per map whose page is in `output`; none when there is no click.
    public static func shoot(_ maps: [ClickMap], output: URL, cache: URL? = nil, chromium: URL? = nil) async throws -> [ClickBackdrop] {
        var backdrops: [ClickBackdrop] = []
        var toShoot: [(map: ClickMap, file: URL, width: Int, key: String)] = []
        for map in maps {
            let file = output.appendingPathComponent(map.page)
            guard !map.points.isEmpty, map.page.hasSuffix(".html"), let bytes = FileManager.default.contents(atPath: file.path) else { continue }
            let width = commonWidth(map)
            let key = bytes.withUnsafeBytes { SiteTable.eTag(of: $0) }.filter { $0.isHexDigit } + "-\(map.layout.rawValue)-\(width)"
            if let cache, let kept = kept(key, in: cache, page: map.page, layout: map.layout, width: width) {
                backdrops.append(kept)
            } else {
                toShoot.append((map, file, width, key))
            }
        }
        guard !toShoot.isEmpty else { return backdrops }
        let browser = try await Browser.launch(executable: chromium)
        do {
            // One tab per layout and width, reused page after page.
            var tabs: [String: Page] = [:]
            for (map, file, width, key) in toShoot {
                let phone = map.layout == .sp
                let tabKey = "\(map.layout.rawValue)-\(width)"
                let tab: Page
                if let open = tabs[tabKey] {
                    tab = open
                } else {
                    // Half the pixels on a PC page: a backdrop, not a screenshot to read small print from.
                    tab = try await browser.newPage(width: width, height: phone ? 844 : 800, deviceScaleFactor: phone ? 1 : 0.5, mobile: phone)
                    tabs[tabKey] = tab
                }
                try await tab.goto(file.absoluteString)
                try await tab.freezeForScreenshots()
                var box = try await tab.documentBox()
                box.width = Double(width)
                box.height = min(box.height, Double(maximumHeight))
                let image = try await tab.screenshotJPEG(quality: quality, clip: box)
                let backdrop = ClickBackdrop(page: map.page, layout: map.layout, image: image, width: width, height: Int(box.height))
                if let cache { keep(backdrop, key: key, in: cache) }
                backdrops.append(backdrop)
            }
            for tab in tabs.values { try? await tab.close() }
            await browser.close()
            return backdrops
        } catch {
            await browser.close()
            throw error
        }
    }

    /// `KEY-HEIGHT.jpg` in the cache folder.
    static func kept(_ key: String, in cache: URL, page: String, layout: StudyLayout, width: Int) -> ClickBackdrop? {
        guard let name = (try? FileManager.default.contentsOfDirectory(atPath: cache.path))?.first(where: {
            $0.hasPrefix(key + "-") && $0.hasSuffix(".jpg") }),
              let height = Int(name.dropFirst(key.count + 1).dropLast(4)),
              let image = FileManager.default.contents(atPath: cache.appendingPathComponent(name).path) else { return nil }
        return ClickBackdrop(page: page, layout: layout, image: image, width: width, height: height)
    }

    static func keep(_ backdrop: ClickBackdrop, key: String, in cache: URL) {
        try? FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        try? backdrop.image.write(to: cache.appendingPathComponent("\(key)-\(backdrop.height).jpg"), options: .atomic)
    }

    /// The viewport width most of the map's clicks were made at.
    static func commonWidth(_ map: ClickMap) -> Int {
        var counts: [Int: Int] = [:]
        for point in map.points { counts[point.viewportWidth, default: 0] += 1 }
        let width = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? (map.layout == .pc ? 1280 : 390)
        return min(max(width, 320), 2560)
    }
}
