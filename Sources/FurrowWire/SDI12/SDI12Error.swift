/// Why an SDI-12 command could not be built or a sensor's response could not be used.
///
/// Errors are values with a stable `code` and a message that names the response and what is wrong in it,
/// so a caller can log something a field engineer can act on (wrong address set on a probe, a noisy bus).
public struct SDI12Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem; stable across releases.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// An address outside '0'–'9', 'A'–'Z', 'a'–'z'.
        public static let invalidAddress = Code(rawValue: "invalid-address")
        /// A command parameter out of range (an M/C/D/R index above 9).
        public static let invalidCommand = Code(rawValue: "invalid-command")
        /// The response is shorter than its format requires (cut off on the bus).
        public static let truncated = Code(rawValue: "truncated")
        /// The response has the right length but characters its format does not allow.
        public static let malformed = Code(rawValue: "malformed")
        /// The response came from a different address than the one addressed.
        public static let wrongAddress = Code(rawValue: "wrong-address")
        /// The three CRC characters do not match the CRC of the response.
        public static let crcMismatch = Code(rawValue: "crc-mismatch")
        /// The sensor delivered fewer values than its measurement reply announced.
        public static let missingValues = Code(rawValue: "missing-values")
        /// No (usable) response within the allowed time, after every retry.
        public static let timeout = Code(rawValue: "timeout")

        public var description: String { rawValue }
    }

    public let code: Code
    /// The response (or command) at fault, printable, with CR/LF shown as `<CR><LF>`.
    public let text: String
    /// What is wrong, for a human.
    public let reason: String

    public init(code: Code, text: String, reason: String) {
        self.code = code
        self.text = text
        self.reason = reason
    }

    init(code: Code, bytes: some Collection<UInt8>, reason: String) {
        self.init(code: code, text: SDI12Error.printable(bytes), reason: reason)
    }

    public var description: String {
        "SDI-12 \"\(text)\": \(reason) [\(code)]"
    }

    /// Shows bytes as text, CR/LF and other control or non-ASCII bytes escaped.
    static func printable(_ bytes: some Collection<UInt8>) -> String {
        var out = ""
        for byte in bytes.prefix(120) {
            switch byte {
            case 0x0D: out += "<CR>"
            case 0x0A: out += "<LF>"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(byte))
            default: out += "<\(String(byte, radix: 16, uppercase: true))>"
            }
        }
        if bytes.count > 120 { out += "…" }
        return out
    }
}
