/// Builds the ``MIMEPart`` tree of a message, bounded so that hostile input cannot exhaust the stack or
/// memory: nesting stops at ``maximumDepth`` (deeper multiparts become opaque leaves) and parsing stops
/// after ``maximumPartCount`` parts.
struct MIMEPartParser {
    /// Deepest multipart nesting that is expanded.
    static let maximumDepth = 20
    /// Most parts parsed per message.
    static let maximumPartCount = 1_000

    /// The whole message.
    let bytes: [UInt8]
    /// Parts created so far, counted against ``maximumPartCount``.
    private var partCount = 0

    /// Prepares to parse `bytes`.
    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses the whole message as the root part.
    mutating func parseMessage() -> MIMEPart {
        parsePart(in: 0..<bytes.count, partID: "", depth: 0, defaultType: "text/plain")
    }

    /// Parses the part occupying `range`, recursing into multipart bodies.
    private mutating func parsePart(in range: Range<Int>, partID: String, depth: Int, defaultType: String) -> MIMEPart {
        partCount += 1
        let (headers, bodyStart) = MIMEHeaderBlock.parse(bytes, in: range)
        let contentTypeRaw = headers.first { $0.name.lowercased() == "content-type" }?.rawValue ?? ""
        var contentType = MIMEParameters(parsing: contentTypeRaw)
        if !contentType.value.contains("/") {
            contentType = MIMEParameters(parsing: defaultType)
        }
        let dispositionRaw = headers.first { $0.name.lowercased() == "content-disposition" }?.rawValue ?? ""
        var part = MIMEPart(
            partID: partID,
            headers: headers,
            contentType: contentType,
            disposition: MIMEParameters(parsing: dispositionRaw),
            bodyRange: bodyStart..<range.upperBound,
            children: []
        )
        guard part.isMultipart, depth < Self.maximumDepth, let boundary = contentType["boundary"], !boundary.isEmpty
        else { return part }

        let childDefault = part.mediaType == "multipart/digest" ? "message/rfc822" : "text/plain"
        let childRanges = MIMEBoundaryScanner.bodyRanges(
            in: bytes,
            range: part.bodyRange,
            boundary: Array(boundary.utf8),
            limit: Self.maximumPartCount - partCount
        )
        for (position, childRange) in childRanges.enumerated() {
            guard partCount < Self.maximumPartCount else { break }
            let childID = partID.isEmpty ? "\(position + 1)" : "\(partID).\(position + 1)"
            part.children.append(parsePart(in: childRange, partID: childID, depth: depth + 1, defaultType: childDefault))
        }
        return part
    }
}
