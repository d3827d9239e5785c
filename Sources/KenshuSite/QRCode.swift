import CQRencode

/// A QR code made by libqrencode, drawn as SVG: the reception guidance's 2次元バーコード must be
/// a real code that a counter's scanner (or `zbarimg`) reads back to the 求職番号.
public struct QRCode: Sendable {
    /// Modules per side, without the quiet zone.
    public let size: Int
    /// Row-major; true is a dark module.
    public let modules: [Bool]

    public struct EncodingError: Error, CustomStringConvertible {
        public let text: String
        public var description: String { "cannot encode \"\(text)\" as a QR code" }
    }

    /// Error correction M (15 %): what printed reception slips commonly use.
    public init(encoding text: String) throws {
        guard let code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else {
            throw EncodingError(text: text)
        }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        size = width
        // libqrencode sets bit 0 of each byte for a dark module; the other bits are metadata.
        modules = (0..<width * width).map { code.pointee.data[$0] & 1 == 1 }
    }

    /// One `<path>` of unit squares in a viewBox with a 4-module quiet zone, so the SVG scales
    /// crisply to any size and stays small (one path, no per-module elements).
    public func svg(label: String = "2次元バーコード") -> String {
        let quiet = 4
        let side = size + 2 * quiet
        var path = ""
        path.reserveCapacity(size * size * 4)
        for y in 0..<size {
            var x = 0
            while x < size {
                guard modules[y * size + x] else { x += 1; continue }
                let start = x
                while x < size, modules[y * size + x] { x += 1 }
                path += "M\(start + quiet) \(y + quiet)h\(x - start)v1h-\(x - start)z"
            }
        }
        let label = label.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;")
        return ##"<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(side) \##(side)" role="img" aria-label="\##(label)" shape-rendering="crispEdges"><rect width="\##(side)" height="\##(side)" fill="#fff"/><path d="\##(path)" fill="#000"/></svg>"##
    }

    /// The code as text for a terminal: two module rows per line in half blocks, light modules
    /// (and a 2-module quiet zone) drawn, so it scans on the usual dark terminal background.
    public func terminalText() -> String {
        let quiet = 2
        let side = size + 2 * quiet
        func light(_ x: Int, _ y: Int) -> Bool {
            let (mx, my) = (x - quiet, y - quiet)
            guard mx >= 0, my >= 0, mx < size, my < size else { return true }
            return !modules[my * size + mx]
        }
        var lines: [String] = []
        for y in stride(from: 0, to: side, by: 2) {
            var line = ""
            for x in 0..<side {
                switch (light(x, y), y + 1 < side ? light(x, y + 1) : false) {
                case (true, true): line += "█"
                case (true, false): line += "▀"
                case (false, true): line += "▄"
                case (false, false): line += " "
                }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
