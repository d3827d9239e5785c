/// The browser side of `BrowserEvents`: a shared worker that holds the one event stream, and a
/// client every page script starts with. Pages work the same without JavaScript.
enum BrowserEventsScript {
    /// The event names on the stream; the worker forwards exactly these.
    static let eventNames = ["reload", "build-error", "mail-added", "mail-deleted", "mail-changed"]

    private static var eventNamesJSON: String {
        "[" + eventNames.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }

    /// `/_kenshu/hub.js`: one `EventSource` for every tab and frame of the browser (a shared worker
    /// lives while any page of this origin is connected to it). It remembers a failed build so a
    /// page opened while the build is broken shows the error at once, as the server does for a
    /// new stream.
    static var hub: String {
        """
        "use strict";
        var ports = [];
        var buildError = null;
        var source = new EventSource("\(BrowserEvents.streamPath)");
        \(eventNamesJSON).forEach(function (type) {
          source.addEventListener(type, function (event) {
            if (type === "build-error") { buildError = event.data; }
            if (type === "reload") { buildError = null; }
            ports.forEach(function (port) { port.postMessage({ type: type, data: event.data }); });
          });
        });
        self.onconnect = function (event) {
          var port = event.ports[0];
          ports.push(port);
          port.onmessage = function (message) {
            if (message.data === "close") { ports = ports.filter(function (p) { return p !== port; }); }
          };
          if (buildError !== null) { port.postMessage({ type: "build-error", data: buildError }); }
        };

        """
    }

    /// Defines `kenshuEvents.on(name, listener)`: listens through the shared worker, or, where a
    /// browser has no shared workers, through a stream of the page's own.
    static var client: String {
        """
        window.kenshuEvents = window.kenshuEvents || (function () {
          "use strict";
          var listeners = {};
          var connected = false;
          function deliver(type, data) {
            (listeners[type] || []).forEach(function (listener) { listener(data); });
          }
          function ownStream() {
            if (!window.EventSource) { return; }
            var source = new EventSource("\(BrowserEvents.streamPath)");
            \(eventNamesJSON).forEach(function (type) {
              source.addEventListener(type, function (event) { deliver(type, event.data); });
            });
            window.addEventListener("pagehide", function () { source.close(); }, { once: true });
          }
          function connect() {
            if (!window.SharedWorker) { ownStream(); return; }
            var worker;
            try { worker = new SharedWorker("\(BrowserEvents.hubPath)", { name: "kenshu-events" }); }
            catch (error) { ownStream(); return; }
            worker.onerror = ownStream;
            worker.port.onmessage = function (message) { deliver(message.data.type, message.data.data); };
            window.addEventListener("pagehide", function () { worker.port.postMessage("close"); }, { once: true });
          }
          // A page restored from the back-forward cache said goodbye when it was hidden.
          window.addEventListener("pageshow", function (event) { if (event.persisted && connected) { connect(); } });
          return {
            on: function (type, listener) {
              (listeners[type] = listeners[type] || []).push(listener);
              if (!connected) { connected = true; connect(); }
            }
          };
        })();

        """
    }
}
