import CCmark

/// CommonMark to HTML through cmark, the reference implementation.
public enum Markdown {
    /// Raw HTML in Content is kept (`CMARK_OPT_UNSAFE`): Content is written by the team and
    /// trainers, and the screens need the odd `<span class="…">`. Smart punctuation stays off,
    /// because it would turn the manual's straight quotes into curly ones.
    public static func html(from markdown: String) -> String {
        let options = CMARK_OPT_UNSAFE
        guard let rendered = cmark_markdown_to_html(markdown, markdown.utf8.count, options) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
