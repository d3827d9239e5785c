/// One SMTP command line parsed into its meaning (RFC 5321 §4.1).
///
/// Verbs are matched case-insensitively. Only what the sink needs is kept: the reverse path and
/// declared size of MAIL, the forward path of RCPT, and the client's HELO/EHLO name.
public enum SMTPCommand: Sendable, Hashable {
    /// `HELO <domain>`: the client's name, plain SMTP.
    case helo(String)
    /// `EHLO <domain>`: the client's name, asking for the extension list.
    case ehlo(String)
    /// `MAIL FROM:<reversePath>`; an empty reverse path is the null sender `<>`.
    case mail(reversePath: String, declaredSize: Int?)
    /// `RCPT TO:<forwardPath>`: one more recipient.
    case rcpt(forwardPath: String)
    /// `DATA`: the message text follows, ended by a line holding a single dot.
    case data
    /// `RSET`: abort the current transaction.
    case rset
    /// `NOOP`: do nothing, reply 250; the argument, if any, is ignored.
    case noop
    /// `QUIT`: reply 221 and close.
    case quit
    /// `VRFY <string>`: the sink never verifies, it answers 252.
    case vrfy(String)
    /// `HELP`, with any topic ignored.
    case help

    /// Why a line is not an acceptable command; each maps to its own reply code.
    public enum ParseError: Error, Sendable, Hashable {
        /// The verb is unknown (500 5.5.2).
        case unrecognizedCommand
        /// The verb is known but its arguments are malformed (501 5.5.4).
        case syntax(String)
        /// A MAIL parameter the server does not support (555 5.5.4).
        case unsupportedParameter(String)
    }

    /// Parses one command line without its CRLF.
    public static func parse(_ line: String) throws(ParseError) -> SMTPCommand {
        let trimmed = line.trimmingSpaces()
        let verbEnd = trimmed.firstIndex(where: { $0 == " " || $0 == ":" }) ?? trimmed.endIndex
        let verb = trimmed[..<verbEnd].uppercased()
        let argument = String(trimmed[verbEnd...]).trimmingSpaces()

        switch verb {
        case "HELO", "EHLO":
            let name = argument.split(separator: " ").first.map(String.init) ?? ""
            guard !name.isEmpty else { throw .syntax("\(verb) requires a domain or address") }
            return verb == "HELO" ? .helo(name) : .ehlo(name)
        case "MAIL":
            let (path, parameters) = try Self.parsePath(argument, keyword: "FROM")
            return .mail(reversePath: path, declaredSize: try Self.parseMailParameters(parameters))
        case "RCPT":
            let (path, _) = try Self.parsePath(argument, keyword: "TO")
            guard !path.isEmpty else { throw .syntax("RCPT TO requires a recipient address") }
            return .rcpt(forwardPath: path)
        case "DATA", "RSET", "QUIT":
            guard argument.isEmpty else { throw .syntax("\(verb) takes no arguments") }
            return verb == "DATA" ? .data : verb == "RSET" ? .rset : .quit
        case "NOOP":
            return .noop
        case "HELP":
            return .help
        case "VRFY":
            guard !argument.isEmpty else { throw .syntax("VRFY requires an argument") }
            return .vrfy(argument)
        default:
            throw .unrecognizedCommand
        }
    }

    /// Splits `FROM:<path> params` into the path (without brackets and source route) and the rest.
    private static func parsePath(_ argument: String, keyword: String) throws(ParseError) -> (String, Substring) {
        guard argument.uppercased().hasPrefix(keyword + ":") else {
            throw .syntax("Expected \(keyword):<address>")
        }
        let afterColon = argument.dropFirst(keyword.count + 1).drop(while: { $0 == " " })
        guard afterColon.first == "<", let closing = afterColon.firstIndex(of: ">") else {
            throw .syntax("Address must be enclosed in <>")
        }
        var path = afterColon[afterColon.index(after: afterColon.startIndex)..<closing]
        // Drop an obsolete source route such as `<@relay.example:user@example.com>` (§4.1.2).
        if path.first == "@", let routeEnd = path.firstIndex(of: ":") {
            path = path[path.index(after: routeEnd)...]
        }
        guard !path.contains(where: { $0 == " " || $0 == "<" }) else {
            throw .syntax("Malformed address")
        }
        return (String(path), afterColon[afterColon.index(after: closing)...])
    }

    /// Validates ESMTP MAIL parameters and returns the declared SIZE, if any.
    private static func parseMailParameters(_ parameters: Substring) throws(ParseError) -> Int? {
        var declaredSize: Int?
        for parameter in parameters.split(separator: " ") {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            let keyword = parts.first.map { $0.uppercased() } ?? ""
            let value = parts.count > 1 ? parts[1].uppercased() : nil
            switch (keyword, value) {
            case ("SIZE", let value?):
                guard let size = Int(value), size >= 0 else { throw .syntax("SIZE must be a number") }
                declaredSize = size
            case ("BODY", "7BIT"?), ("BODY", "8BITMIME"?), ("SMTPUTF8", nil):
                continue
            default:
                throw .unsupportedParameter(String(parameter))
            }
        }
        return declaredSize
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs, without needing Foundation.
    fileprivate func trimmingSpaces() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = self.firstIndex(where: { !isBlank($0) }),
            let last = self.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(self[first...last])
    }
}
