import Foundation
import NIOCore

/// The script the dev server adds to every page: reloads when the page (or any asset)
/// changed, and shows a failed build as an overlay until the next good build.
enum LiveReloadScript {
    /// The tag inserted before `</body>`.
    static let tag = #"<script src="/_kenshu/live.js"></script>"#

    static let source = BrowserEventsScript.client + #"""
    (function () {
      "use strict";
      // Framed by one of this server's pages (the gallery's frames): that page listens and reloads
      // this frame when it changed, so the frames cost no event stream at all.
      if (window.frameElement) { return; }
      function pathOf(win) {
        try {
          if (win.location.protocol === "about:") { return null; }
          var path = decodeURIComponent(win.location.pathname.replace(/^\//, "")) || "index.html";
          return path.slice(-1) === "/" ? path + "index.html" : path;
        } catch (error) { return null; }  // another origin's frame
      }
      function reloadFrames(doc, changed) {
        Array.prototype.forEach.call(doc.querySelectorAll("iframe"), function (frame) {
          var win = frame.contentWindow, path = win && pathOf(win);
          if (!path) { return; }  // not loaded yet (lazy): it will load the new page
          if (changed.indexOf(path) >= 0) { win.location.reload(); } else { reloadFrames(win.document, changed); }
        });
      }
      var here = pathOf(window);
      var overlay = null;
      function showError(message) {
        if (!overlay) {
          overlay = document.createElement("div");
          overlay.id = "kenshu-build-error";
          overlay.setAttribute("role", "alert");
          overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,0,0,.92);color:#fff;" +
            "font:14px/1.5 ui-monospace,monospace;padding:24px;overflow:auto;white-space:pre-wrap";
          document.body.appendChild(overlay);
        }
        overlay.textContent = "kenshu: build failed; showing the last good page\n\n" + message;
      }
      kenshuEvents.on("build-error", function (data) { showError(JSON.parse(data).message); });
      kenshuEvents.on("reload", function (data) {
        var changed = JSON.parse(data).changed || [];
        var assets = changed.some(function (path) { return path.indexOf("assets/") === 0; });
        if (assets || overlay || changed.indexOf(here) >= 0) { location.reload(); } else { reloadFrames(document, changed); }
      });
    })();
    """#

    /// The page with the script tag before its last `</body>` (at the end when there is none):
    /// every page the dev server sends, from the table, the flows or the disk, goes through here.
    static func inject(into html: Data) -> ByteBuffer {
        let tag = Array(Self.tag.utf8)
        let closing = Array("</body>".utf8)
        var buffer = ByteBuffer()
        buffer.reserveCapacity(html.count + tag.count)
        html.withUnsafeBytes { bytes in
            var insertAt = bytes.count
            var start = bytes.count - closing.count
            while start >= 0 {
                if bytes[start] == closing[0], closing.indices.allSatisfy({ bytes[start + $0] == closing[$0] }) {
                    insertAt = start
                    break
                }
                start -= 1
            }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[..<insertAt]))
            buffer.writeBytes(tag)
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[insertAt...]))
        }
        return buffer
    }
}
