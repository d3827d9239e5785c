import Foundation
import Hummingbird
import KenshuSite
import NIOConcurrencyHelpers

/// What the dev server serves, decided once per build: path under Output/ → the file ready to
/// send (headers and bytes, HTML pages with the live-reload script already inserted) and, for a
/// page the served flows render per request, its typed `PageBehaviour`.
///
/// `SiteRebuilder` replaces it from the in-memory render after every successful build, once the
/// files are on disk and before the reload event goes out, so it always serves what `Output/`
/// holds; the `LiveSite` the flows render from is replaced in the same step. A failed build
/// leaves it as it was (the last good site). Requests read it under a lock held only for the
/// lookup; entries are immutable and shared.
///
/// Every request for a path of the site is resolved here once (`resolve`): by
/// `StaticSiteFastPath` in the connection's pipeline for the files served as built, and by
/// `SiteMiddleware` in the router for the rest (live pages, pipelined requests, misses).
public final class SiteTable: Sendable {
    /// One file, prepared once per change.
    struct Entry: Sendable {
        /// The file as written to Output/ (the same storage as the render's, so no extra copy):
        /// an entry is prepared again only when these bytes change.
        let source: Data
        /// content-type, content-length, etag, cache-control.
        let headers: HTTPFields
        /// The bytes sent: `source`, plus the live-reload script in HTML pages.
        let body: ByteBuffer
        let eTag: String
        let isHTML: Bool
        /// A page the served flows render per request: only the router answers it.
        var renderedPerRequest = false
        /// Its front matter and behaviour (nil for a file served as built).
        var page: LiveSite.Page?
    }

    /// What a request path names.
    enum Lookup {
        case hit(Entry)
        /// Not a file of the last build (or a path this table does not answer): the next responder decides.
        case miss
        /// Leaves the site (`..`) or holds a NUL byte.
        case rejected
    }

    private struct Snapshot {
        var entries: [String: Entry] = [:]
        /// What the served flows render live pages from: the same build as the entries.
        var site: LiveSite?
    }

    private let snapshot = NIOLockedValueBox(Snapshot())

    public init() {}

    /// How many files the table holds.
    public var count: Int { snapshot.withLockedValue { $0.entries.count } }

    /// The site the live pages of the current table are rendered from.
    public var site: LiveSite? { snapshot.withLockedValue { $0.site } }

    /// Makes the table hold exactly the files of `rendered`, each page whose behaviour is live
    /// marked with it.
    public func update(with rendered: RenderedSite) {
        let site = LiveSite(rendered)
        var live: [String: LiveSite.Page] = [:]
        for path in rendered.files.keys where path.hasSuffix(".html") {
            if let page = site.page(path), page.behaviour.isLive { live[path] = page }
        }
        replace(with: rendered.files, live: live, renderedPerRequest: Set(live.keys), site: site)
    }

    /// Makes the table hold exactly `files` (path under Output/ → bytes); `renderedPerRequest`
    /// names pages only the router may answer (tests without a LiveSite).
    public func update(with files: [String: Data], renderedPerRequest: Set<String> = []) {
        replace(with: files, live: [:], renderedPerRequest: renderedPerRequest, site: nil)
    }

    /// Files whose bytes did not change keep their prepared entry; the rest are prepared here,
    /// outside the lock, and the new table replaces the old one at once.
    private func replace(with files: [String: Data], live: [String: LiveSite.Page], renderedPerRequest: Set<String>, site: LiveSite?) {
        let previous = snapshot.withLockedValue { $0.entries }
        var next: [String: Entry] = [:]
        next.reserveCapacity(files.count)
        for (path, data) in files {
            var entry = previous[path].flatMap { $0.source == data ? $0 : nil } ?? Self.prepare(path: path, data: data)
            entry.renderedPerRequest = renderedPerRequest.contains(path)
            entry.page = live[path]
            next[path] = entry
        }
        snapshot.withLockedValue { $0 = Snapshot(entries: next, site: site) }
    }

    /// How the router serves a request for a path of the site.
    enum Resolution {
        /// A file served as built (or a live page when no flows run).
        case file(Entry)
        /// A page the flows render per request, with the site to render it from.
        case live(LiveSite.Page, LiveSite, built: Entry)
        /// Not in the table: Output/ on disk may hold it (a file put there by hand).
        case miss
        case rejected
    }

    /// The one decision per request: what `path` names in the current table.
    func resolve(path: String) -> Resolution {
        switch lookup(requestPath: path) {
        case .rejected: return .rejected
        case .miss: return .miss
        case .hit(let entry):
            if let page = entry.page, let site = snapshot.withLockedValue({ $0.site }) { return .live(page, site, built: entry) }
            return .file(entry)
        }
    }

    /// What the table answers to a request.
    enum Answer {
        case send(HTTPResponse.Status, HTTPFields, body: ByteBuffer?)
        /// Not for the table: the next layer decides.
        case pass
        /// The path leaves the site or holds a NUL byte.
        case reject
    }

    /// The file for `method path`: `pass` for misses, for whatever `answer(_:method:headers:)`
    /// passes and, unless `includingPagesRenderedPerRequest`, for live pages (the fast path's
    /// question: it answers only files served as built).
    func answer(method: HTTPRequest.Method, path: String, headers: HTTPFields,
                includingPagesRenderedPerRequest: Bool) -> Answer {
        guard method == .get || method == .head else { return .pass }
        switch lookup(requestPath: path) {
        case .hit(let entry) where includingPagesRenderedPerRequest || !entry.renderedPerRequest:
            return Self.answer(entry, method: method, headers: headers)
        case .hit, .miss: return .pass
        case .rejected: return .reject
        }
    }

    /// One entry as the response to GET or HEAD: the file (without the body for HEAD), 304 when
    /// If-None-Match names its ETag, or `pass` for other methods and byte ranges of non-HTML
    /// files (FileMiddleware serves those from the same bytes on disk).
    static func answer(_ entry: Entry, method: HTTPRequest.Method, headers: HTTPFields) -> Answer {
        guard method == .get || method == .head else { return .pass }
        if !entry.isHTML, headers[.range] != nil { return .pass }
        if headers[.ifNoneMatch] != nil, Self.matches(headers[values: .ifNoneMatch], eTag: entry.eTag) {
            // The headers a 200 would carry (as FileMiddleware sends them), without a body.
            return .send(.notModified, entry.headers, body: nil)
        }
        return .send(.ok, entry.headers, body: method == .head ? nil : entry.body)
    }

    /// If-None-Match (RFC 9110 §13.1.2, weak comparison): `*`, or any listed tag equal to ours.
    static func matches(_ values: [String], eTag: String) -> Bool {
        for value in values {
            for candidate in value.split(separator: ",") {
                var tag = candidate.drop(while: { $0 == " " || $0 == "\t" })
                while let last = tag.last, last == " " || last == "\t" { tag = tag.dropLast() }
                if tag == "*" { return true }
                if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
                if tag == eTag { return true }
            }
        }
        return false
    }

    /// The entry a request path (as in the request line, percent-encoded) names. `/` and folders,
    /// with or without the trailing slash, name their `index.html`.
    func lookup(requestPath path: String) -> Lookup {
        var path = path
        if path.utf8.contains(UInt8(ascii: "%")) {
            guard let decoded = path.removingPercentEncoding else { return .miss }
            path = decoded
        }
        switch Self.classify(path) {
        case .unsafe: return .rejected
        case .unusual: return .miss
        case .plain: break
        }
        var key = path.utf8.first == UInt8(ascii: "/") ? String(path.dropFirst()) : path
        if key.isEmpty || key.utf8.last == UInt8(ascii: "/") {
            key += "index.html"
            return snapshot.withLockedValue { $0.entries[key] }.map(Lookup.hit) ?? .miss
        }
        return snapshot.withLockedValue { $0.entries[key] ?? $0.entries[key + "/index.html"] }.map(Lookup.hit) ?? .miss
    }

    private enum PathKind { case plain, unusual, unsafe }

    /// `unsafe`: a `..` segment or a NUL byte; `unusual`: a `.` or empty segment inside the path
    /// (`/./x`, `//x`), left to the file fallback.
    private static func classify(_ path: String) -> PathKind {
        var kind = PathKind.plain
        var segmentLength = 0, dots = 0, index = 0
        let count = path.utf8.count
        for byte in path.utf8 {
            index += 1
            if byte == 0 { return .unsafe }
            if byte == UInt8(ascii: "/") {
                if segmentLength > 0, dots == segmentLength {
                    if dots == 2 { return .unsafe }
                    if dots == 1 { kind = .unusual }
                } else if segmentLength == 0, index > 1, index < count {
                    kind = .unusual
                }
                segmentLength = 0; dots = 0
            } else {
                segmentLength += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        if segmentLength > 0, dots == segmentLength {
            if dots == 2 { return .unsafe }
            if dots == 1 { kind = .unusual }
        }
        return kind
    }

    /// Headers and bytes for one file. HTML gets the live-reload script and `no-store` (a reload
    /// must fetch the new page), like `SiteMiddleware` does for a page put into Output/ by hand; other files get FileMiddleware's
    /// media types and `no-cache` (revalidated through the ETag).
    static func prepare(path: String, data: Data) -> Entry {
        let fileExtension = (path as NSString).pathExtension.lowercased()
        let isHTML = fileExtension == "html" || fileExtension == "htm"
        let body = isHTML ? LiveReloadScript.inject(into: data) : ByteBuffer(data: data)
        let eTag = body.withUnsafeReadableBytes { Self.eTag(of: $0) }
        var headers = HTTPFields()
        if isHTML {
            headers[.contentType] = "text/html; charset=utf-8"
        } else if let mediaType = MediaType.getMediaType(forExtension: fileExtension) {
            headers[.contentType] = mediaType.description
        }
        headers[.contentLength] = String(body.readableBytes)
        headers[.eTag] = eTag
        headers[.cacheControl] = isHTML ? "no-store" : "no-cache"
        SecurityHeaders.add(to: &headers, isHTML: isHTML)
        return Entry(source: data, headers: headers, body: body, eTag: eTag, isHTML: isHTML)
    }

    /// A strong ETag from the bytes sent (64-bit FNV-1a and the length): the same file gets the
    /// same tag across rebuilds and restarts.
    static func eTag(of bytes: UnsafeRawBufferPointer) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "-" + String(bytes.count, radix: 16) + "\""
    }
}
