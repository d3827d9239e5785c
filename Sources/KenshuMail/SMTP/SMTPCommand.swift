import NIOCore

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
        try Self.parse(ByteBuffer(string: line))
    }

    /// Parses one command line without its CRLF, as received.
    ///
    /// It works on the bytes: every message costs five commands, and the verb and the address
    /// brackets are ASCII, so only the names and paths it keeps become strings.
    public static func parse(_ line: ByteBuffer) throws(ParseError) -> SMTPCommand {
        let bytes = line.readableBytesView
        let trimmed = Self.trimmingBlanks(bytes[...])
        let verbEnd = trimmed.firstIndex(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: ":") }) ?? trimmed.endIndex
        let verb = Verb(trimmed[..<verbEnd])
        let argument = Self.trimmingBlanks(trimmed[verbEnd...])

        switch verb {
        case .helo, .ehlo:
            let nameEnd = argument.firstIndex(of: UInt8(ascii: " ")) ?? argument.endIndex
            let name = String(decoding: argument[..<nameEnd], as: UTF8.self)
            guard !name.isEmpty else { throw .syntax("\(verb.name) requires a domain or address") }
            return verb == .helo ? .helo(name) : .ehlo(name)
        case .mail:
            let (path, parameters) = try Self.parsePath(argument, keyword: "FROM")
            return .mail(reversePath: path, declaredSize: try Self.parseMailParameters(parameters))
        case .rcpt:
            let (path, _) = try Self.parsePath(argument, keyword: "TO")
            guard !path.isEmpty else { throw .syntax("RCPT TO requires a recipient address") }
            return .rcpt(forwardPath: path)
        case .data, .rset, .quit:
            guard argument.isEmpty else { throw .syntax("\(verb.name) takes no arguments") }
            return verb == .data ? .data : verb == .rset ? .rset : .quit
        case .noop:
            return .noop
        case .help:
            return .help
        case .vrfy:
            guard !argument.isEmpty else { throw .syntax("VRFY requires an argument") }
            return .vrfy(String(decoding: argument, as: UTF8.self))
        case .unknown:
            throw .unrecognizedCommand
        }
    }

    /// The command verbs, matched case-insensitively on their ASCII bytes.
    private enum Verb: String {
        case helo = "HELO", ehlo = "EHLO", mail = "MAIL", rcpt = "RCPT", data = "DATA"
        case rset = "RSET", noop = "NOOP", quit = "QUIT", vrfy = "VRFY", help = "HELP"
        case unknown = ""

        init(_ bytes: ByteBufferView) {
            guard bytes.count == 4 else {
                self = .unknown
                return
            }
            // Pack the four letters, upper-cased, into one integer to compare at once.
            var key: UInt32 = 0
            for byte in bytes {
                let upper = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 32 : byte
                key = key << 8 | UInt32(upper)
            }
            self = Self.byKey[key] ?? .unknown
        }

        var name: String { self.rawValue }

        private static let byKey: [UInt32: Verb] = {
            let verbs: [Verb] = [.helo, .ehlo, .mail, .rcpt, .data, .rset, .noop, .quit, .vrfy, .help]
            return Dictionary(uniqueKeysWithValues: verbs.map { verb in
                (verb.rawValue.utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }, verb)
            })
        }()
    }

    /// Splits `FROM:<path> params` into the path (without brackets and source route) and the rest.
    private static func parsePath(_ argument: ByteBufferView, keyword: StaticString) throws(ParseError) -> (String, Substring) {
        let keywordLength = keyword.utf8CodeUnitCount
        let hasKeyword = argument.count > keywordLength
            && zip(argument, UnsafeBufferPointer(start: keyword.utf8Start, count: keywordLength)).allSatisfy { byte, letter in
                byte == letter || byte == letter + 32
            }
            && argument[argument.startIndex + keywordLength] == UInt8(ascii: ":")
        guard hasKeyword else {
            throw .syntax("Expected \(keyword):<address>")
        }
        let afterColon = argument[(argument.startIndex + keywordLength + 1)...].drop(while: { $0 == UInt8(ascii: " ") })
        guard afterColon.first == UInt8(ascii: "<"), let closing = afterColon.firstIndex(of: UInt8(ascii: ">")) else {
            throw .syntax("Address must be enclosed in <>")
        }
        var path = afterColon[(afterColon.startIndex + 1)..<closing]
        // Drop an obsolete source route such as `<@relay.example:user@example.com>` (§4.1.2).
        if path.first == UInt8(ascii: "@"), let routeEnd = path.firstIndex(of: UInt8(ascii: ":")) {
            path = path[(routeEnd + 1)...]
        }
        guard !path.contains(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "<") }) else {
            throw .syntax("Malformed address")
        }
        let parameters = afterColon[(closing + 1)...]
        return (String(decoding: path, as: UTF8.self), parameters.isEmpty ? "" : Substring(String(decoding: parameters, as: UTF8.self)))
    }

    private static func trimmingBlanks(_ bytes: ByteBufferView) -> ByteBufferView {
        let isBlank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) }) else {
            return bytes[bytes.startIndex..<bytes.startIndex]
        }
        return bytes[first...last]
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
