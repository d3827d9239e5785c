/// Text as RFC 4180 CSV: fields with a comma, quote, CR or LF are quoted with doubled quotes,
/// records end in CRLF. UTF-8 without a byte-order mark, so the header is exactly the column
/// names for any program that reads it.
struct CSVTable {
    var header: [String]
    var rows: [[String]] = []

    var text: String {
        ([header] + rows).map { $0.map(Self.field).joined(separator: ",") + "\r\n" }.joined()
    }

    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
