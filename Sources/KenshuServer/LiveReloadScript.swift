/// The script the dev server adds to every page: reloads when the page (or any asset)
/// changed, and shows a failed build as an overlay until the next good build.
enum LiveReloadScript {
    /// The tag inserted before `</body>`.
    static let tag = #"<script src="/_kenshu/live.js"></script>"#

    static let source = #"""
    (function () {
      "use strict";
      var here = decodeURIComponent(location.pathname.replace(/^\//, "")) || "index.html";
      if (here.slice(-1) === "/") here += "index.html";
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
      var source = new EventSource("/_kenshu/events");
      source.addEventListener("build-error", function (event) {
        showError(JSON.parse(event.data).message);
      });
      source.addEventListener("reload", function (event) {
        var changed = JSON.parse(event.data).changed || [];
        var mine = changed.some(function (path) { return path === here || path.indexOf("assets/") === 0; });
        if (mine || overlay) location.reload();
      });
    })();
    """#
}
