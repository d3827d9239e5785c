extension Page {
    /// Turns off everything that makes two screenshots of the same page differ:
    /// CSS animations, transitions and the blinking text caret.
    public static let freezeStyleSheet =
        "*,*::before,*::after{animation:none!important;transition:none!important;caret-color:transparent!important}"

    /// Adds a `<style>` element to the current document. It lasts until the next
    /// navigation, so call it after `goto`.
    public func addStyle(_ css: String) async throws {
        _ = try await evaluate("""
            (() => {
              const style = document.createElement('style');
              style.setAttribute('data-kenshu-browser', '');
              style.textContent = \(JSONObject.javaScriptLiteral(css));
              (document.head || document.documentElement).appendChild(style);
            })()
            """)
    }

    /// Prepares the current document for pixel-exact screenshots: injects
    /// `freezeStyleSheet`, then waits for web fonts and two animation frames so the
    /// new style has been laid out and painted before anyone captures.
    public func freezeForScreenshots() async throws {
        try await addStyle(Self.freezeStyleSheet)
        _ = try await evaluate("""
            document.fonts.ready.then(() => new Promise((resolve) =>
              requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)))))
            """)
    }
}
