import Foundation

extension Page {
    /// Captures a PNG.
    ///
    /// - Parameters:
    ///   - clip: region in document CSS px (e.g. from `boundingBoxes`). The image is
    ///     `clip.width × deviceScaleFactor` by `clip.height × deviceScaleFactor` pixels.
    ///   - fullPage: capture the whole scrollable document rather than the viewport
    ///     (ignored when `clip` is given).
    public func screenshotPNG(clip: Box? = nil, fullPage: Bool = false) async throws -> Data {
        try await capture(["format": "png"], clip: clip, fullPage: fullPage)
    }

    /// Captures a JPEG of `quality` (0–100): a page as a backdrop, where a PNG of a long page
    /// would weigh many times more.
    public func screenshotJPEG(quality: Int, clip: Box? = nil, fullPage: Bool = false) async throws -> Data {
        try await capture(["format": "jpeg", "quality": min(max(quality, 0), 100)], clip: clip, fullPage: fullPage)
    }

    private func capture(_ format: [String: Any], clip: Box?, fullPage: Bool) async throws -> Data {
        var params: [String: Any] = format.merging(["fromSurface": true, "optimizeForSpeed": true]) { $1 }
        var region = clip
        if region == nil && fullPage {
            region = try await documentBox()
        }
        if let region {
            params["clip"] = [
                "x": region.x, "y": region.y, "width": region.width, "height": region.height,
                "scale": 1,  // the device scale factor still applies on top
            ]
            // Only ask Chromium to render outside the viewport when it has to: doing so
            // temporarily resizes the view and re-lays out the page.
            let beyondViewport = region.x + region.width > Double(width) || region.y + region.height > Double(height)
            params["captureBeyondViewport"] = fullPage || beyondViewport
        }
        let reply = try await send("Page.captureScreenshot", params)
        guard let base64 = reply.string("data"), let image = Data(base64Encoded: base64) else {
            throw BrowserError.unexpectedReply(method: "Page.captureScreenshot", detail: "no base64 data")
        }
        return image
    }

    /// The whole document as a box at (0, 0), measured from the scroll sizes of both
    /// <html> and <body> because either can be the one that scrolls.
    public func documentBox() async throws -> Box {
        let size = try await evaluate("""
            (() => {
              const root = document.documentElement, body = document.body;
              return [Math.max(root.scrollWidth, body ? body.scrollWidth : 0, window.innerWidth),
                      Math.max(root.scrollHeight, body ? body.scrollHeight : 0, window.innerHeight)];
            })()
            """) as? [Any]
        guard let size, size.count == 2,
            let documentWidth = JSONObject.double(from: size[0]),
            let documentHeight = JSONObject.double(from: size[1])
        else {
            throw BrowserError.unexpectedReply(method: "Runtime.evaluate", detail: "document size")
        }
        return Box(x: 0, y: 0, width: documentWidth, height: documentHeight)
    }
}
