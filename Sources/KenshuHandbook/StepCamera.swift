import Foundation
import KenshuBrowser

/// Takes one step's picture: opens the page at the layout's width, opens the `<details>` the step
/// needs, finds each target by its `data-step` name, draws the manual's red frame (and the
/// callout's number) around the element where the page itself says it is, and shoots the
/// region that holds them. Consecutive steps on the same screen share one page load: the
/// frames of the last picture are taken away and the next ones drawn.
final class StepCamera {
    /// What to mark on the page: a red frame, numbered when it is a callout.
    struct Mark: Sendable {
        var name: String
        var number: Int?
    }

    struct Shot: Sendable {
        var png: Data
        var clip: HandbookManifest.Rect
        /// By mark, in order: the element's box and the frame drawn.
        var found: [(box: HandbookManifest.Rect, mark: HandbookManifest.Rect)]
        /// The same region without the frames, when asked for.
        var plain: Data?
    }

    enum Problem: Error {
        /// These marks' names have no element on the page, or none that is visible.
        case notShown(missing: [String], hidden: [String])
        /// The page's answer to the marking script was not what it returns (a page that
        /// replaced `JSON` or `CSS`, say).
        case unreadableMarks
    }

    /// The frame's gap to the element and its width, in CSS px.
    static let gap = 2.0
    static let frame = 3.0

    let page: Page
    /// The page loaded now and the `<details>` opened on it.
    private var loaded: (url: String, open: [String])?

    init(page: Page) {
        self.page = page
    }

    func shoot(url: String, open: [String], marks: [Mark], plain: Bool = false) async throws -> Shot {
        if let loaded, loaded.url == url, loaded.open == open {
            _ = try await page.evaluate("document.querySelectorAll('[data-kenshu-marks]').forEach((layer) => layer.remove())")
        } else {
            loaded = nil
            try await page.goto(url)
            loaded = (url, open)
        }
        let spec = try JSONSerialization.data(withJSONObject: [
            "freeze": Page.freezeStyleSheet,
            "open": open,
            "marks": marks.map { ["name": $0.name, "number": $0.number ?? 0] as [String: Any] },
            "gap": Self.gap, "frame": Self.frame,
        ])
        guard let result = try await page.evaluate("(\(Self.markScript))(\(String(decoding: spec, as: UTF8.self)))") as? [String: Any],
              let rows = result["marks"] as? [[String: Any]],
              let documentHeight = (result["height"] as? NSNumber)?.doubleValue,
              let documentWidth = (result["width"] as? NSNumber)?.doubleValue
        else { throw Problem.unreadableMarks }
        var found: [(box: HandbookManifest.Rect, mark: HandbookManifest.Rect)] = []
        var missing: [String] = [], hidden: [String] = []
        for (mark, row) in zip(marks, rows) {
            switch row["state"] as? String {
            case "ok": found.append((Self.rect(row["box"]), Self.rect(row["mark"])))
            case "hidden": hidden.append(mark.name)
            default: missing.append(mark.name)
            }
        }
        guard missing.isEmpty, hidden.isEmpty else { throw Problem.notShown(missing: missing, hidden: hidden) }
        let clip = Self.clip(around: found.map(\.mark), viewport: (Double(page.width), Double(page.height)),
                             document: (documentWidth, documentHeight))
        let region = Box(x: clip.x, y: clip.y, width: clip.width, height: clip.height)
        let png = try await page.screenshotPNG(clip: region)
        var plainPNG: Data?
        if plain {
            _ = try await page.evaluate("document.querySelectorAll('[data-kenshu-marks]').forEach((layer) => layer.remove())")
            plainPNG = try await page.screenshotPNG(clip: region)
        }
        return Shot(png: png, clip: clip, found: found, plain: plainPNG)
    }

    /// The page's full width; the first screen when the frames fit in it, else from a little
    /// above the first frame; at least a screen's height and down to a little below the last
    /// frame. Whole pixels, so the PNG's size is exact.
    static func clip(around marks: [HandbookManifest.Rect], viewport: (width: Double, height: Double),
                     document: (width: Double, height: Double)) -> HandbookManifest.Rect {
        let width = viewport.width
        guard let top = marks.map(\.y).min(), let bottom = marks.map({ $0.y + $0.height }).max() else {
            return .init(x: 0, y: 0, width: width, height: min(viewport.height, document.height).rounded(.up))
        }
        // Frames within the first screen: the screen as the participant first sees it.
        var start = bottom + 48 <= viewport.height ? 0 : max(0, (top - 96).rounded(.down))
        var end = max(start + viewport.height, (bottom + 48).rounded(.up))
        if end > document.height {
            end = document.height.rounded(.up)
            start = max(0, min(start, end - viewport.height))
        }
        return .init(x: 0, y: start, width: width, height: end - start)
    }

    static func rect(_ value: Any?) -> HandbookManifest.Rect {
        let numbers = (value as? [String: Any]) ?? [:]
        func number(_ key: String) -> Double { (numbers[key] as? NSNumber)?.doubleValue ?? 0 }
        return .init(x: number("x"), y: number("y"), width: number("width"), height: number("height"))
    }

    /// Runs in the page. Turns off animations, transitions and the caret once per load, waits for
    /// the fonts, then places the frames as elements of a layer over the document at (0, 0), from
    /// each element's bounding box: the same box the manifest records.
    static let markScript = """
        async (spec) => {
          if (!document.querySelector('style[data-kenshu-freeze]')) {
            const style = document.createElement('style');
            style.setAttribute('data-kenshu-freeze', '');
            style.textContent = spec.freeze;
            (document.head || document.documentElement).appendChild(style);
          }
          await document.fonts.ready;
          const select = (name) => Array.from(document.querySelectorAll('[data-step~="' + CSS.escape(name) + '"]'));
          for (const name of spec.open) { for (const element of select(name)) { if ('open' in element) element.open = true; } }
          const shown = (element) => {
            const box = element.getBoundingClientRect();
            const visible = typeof element.checkVisibility === 'function'
              ? element.checkVisibility({ visibilityProperty: true, checkVisibilityCSS: true }) : true;
            return visible && box.width > 0 && box.height > 0;
          };
          const layer = document.createElement('div');
          layer.setAttribute('data-kenshu-marks', '');
          layer.style.cssText = 'position:absolute;left:0;top:0;width:0;height:0;margin:0;padding:0;border:0;z-index:2147483647;pointer-events:none';
          document.documentElement.appendChild(layer);
          const red = '#e60012';
          const marks = spec.marks.map((mark) => {
            const all = select(mark.name);
            if (all.length === 0) { return { state: 'missing' }; }
            const visible = all.filter(shown);
            if (visible.length === 0) { return { state: 'hidden' }; }
            let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
            for (const element of visible) {
              const r = element.getBoundingClientRect();
              left = Math.min(left, r.left + window.scrollX); top = Math.min(top, r.top + window.scrollY);
              right = Math.max(right, r.right + window.scrollX); bottom = Math.max(bottom, r.bottom + window.scrollY);
            }
            const outset = spec.gap + spec.frame;
            // A frame around a full-width element stays inside the page, or its sides are cut off.
            const pageWidth = Math.max(document.documentElement.scrollWidth, window.innerWidth);
            const frameLeft = Math.max(0, left - outset), frameRight = Math.min(pageWidth, right + outset);
            const frameTop = Math.max(0, top - outset);
            const frame = { x: frameLeft, y: frameTop, width: frameRight - frameLeft, height: bottom + outset - frameTop };
            const box = document.createElement('div');
            box.style.cssText = 'position:absolute;box-sizing:border-box;border:' + spec.frame + 'px solid ' + red + ';border-radius:2px;' +
              'left:' + frame.x + 'px;top:' + frame.y + 'px;width:' + frame.width + 'px;height:' + frame.height + 'px';
            layer.appendChild(box);
            if (mark.number > 0) {
              const badge = document.createElement('div');
              badge.textContent = String(mark.number);
              badge.style.cssText = 'position:absolute;width:26px;height:26px;border-radius:13px;background:' + red + ';color:#fff;' +
                'font:bold 16px/26px "Noto Sans CJK JP",sans-serif;text-align:center;' +
                'left:' + Math.max(0, frame.x - 10) + 'px;top:' + Math.max(0, frame.y - 10) + 'px';
              layer.appendChild(badge);
            }
            return { state: 'ok', box: { x: left, y: top, width: right - left, height: bottom - top }, mark: frame };
          });
          const root = document.documentElement, body = document.body;
          return { marks: marks,
                   width: Math.max(root.scrollWidth, body ? body.scrollWidth : 0, window.innerWidth),
                   height: Math.max(root.scrollHeight, body ? body.scrollHeight : 0, window.innerHeight) };
        }
        """
}
