/// What the shared `layout.mustache` puts around a page: the `<head>`'s title, stylesheets and
/// scripts, and the attributes of `<body>` and `<main>`. Plain values; the layout escapes them.
struct ToolLayout: Sendable {
    /// The whole `<title>`, e.g. `受信メール - Kenshu メール`.
    var title: String
    /// `<link rel="stylesheet">` hrefs, in order.
    var stylesheets: [String] = []
    /// CSS placed in a `<style>` element unescaped (escaping would break it). A `StaticString`, so
    /// only a literal of this program can get there, never a request's or a mail's text.
    var inlineStyle: StaticString? = nil
    /// `<script src defer>` srcs, in order; from this server only (the page policy allows nothing else).
    var scripts: [String] = []
    /// `<body data-live>`: what the page's script keeps current (the inbox list reloads on new mail).
    var live: String? = nil
    /// `<main class>`, for a layout whose stylesheet styles it (the site's `hw-main`).
    var mainClass: String? = nil
    /// `<body class>`.
    var bodyClass: String? = nil
    /// `<body data-NAME="VALUE">`: what a page's script reads (the study page's state).
    var bodyData: [DataAttribute] = []
}

/// One `data-` attribute; the layout escapes the value.
struct DataAttribute: Sendable {
    var name: String
    var value: String
}

/// A view model rendered inside the shared layout: it brings the layout's values, the template
/// adds its own (`ToolViews.render`).
protocol ToolViewModel: Sendable {
    var layout: ToolLayout { get }
}

