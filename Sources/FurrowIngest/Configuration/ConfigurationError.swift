/// Why a configuration file or device profile was rejected: which file, which line, what to change.
///
/// Every error the TOML layer raises is one of these: syntax errors (from toml++ with its position), keys
/// the schema does not know (typos are never ignored), values of the wrong type or out of range, and the
/// semantic checks of device profiles (unknown MAVLink message or field, bad array index, duplicate
/// channel). `description` reads `"<file>:<line>:<column>: <reason>"` (column when known, line when known).
///
/// ```swift
/// do { _ = try DaemonConfiguration.load(from: "/etc/furrow/furrow.toml") }
/// catch { print(error) }   // /etc/furrow/furrow.toml:12:1: unknown key 'baudrate' in [[serial]] ...
/// ```
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier of the kind of error, for tests and for tools that react to one kind.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file is not valid TOML (reported by toml++ with its position).
        public static let syntax = Code(rawValue: "syntax")
        /// The file could not be read.
        public static let unreadable = Code(rawValue: "unreadable")
        /// A key the schema does not define (usually a typo).
        public static let unknownKey = Code(rawValue: "unknown-key")
        /// A required key is absent.
        public static let missingKey = Code(rawValue: "missing-key")
        /// A value has the wrong TOML type (a string where a number belongs).
        public static let wrongType = Code(rawValue: "wrong-type")
        /// A value has the right type but is not allowed (baud 12345, framing `9X3`, port 70000).
        public static let invalidValue = Code(rawValue: "invalid-value")
        /// A device profile names a message its dialect does not define.
        public static let unknownMessage = Code(rawValue: "unknown-message")
        /// A device profile names a field the message does not have.
        public static let unknownField = Code(rawValue: "unknown-field")
        /// An array element outside the field's length, or an index on a scalar field.
        public static let invalidArrayIndex = Code(rawValue: "invalid-array-index")
        /// A value type the store does not know, or one the field cannot be stored as.
        public static let invalidValueType = Code(rawValue: "invalid-value-type")
        /// Scaling, calibration, resolution or a mask on a text field.
        public static let scaleOnString = Code(rawValue: "scale-on-string")
        /// Two channels of one row group with the same name.
        public static let duplicateChannel = Code(rawValue: "duplicate-channel")
        /// Two row groups of one profile with the same name.
        public static let duplicateGroup = Code(rawValue: "duplicate-group")
        /// Two profiles, links or rules with the same name.
        public static let duplicateName = Code(rawValue: "duplicate-name")
        /// A link or source rule names a profile the catalog does not have.
        public static let unknownProfile = Code(rawValue: "unknown-profile")
        /// A forward rule names a link that is not configured.
        public static let unknownLink = Code(rawValue: "unknown-link")
    }

    /// What kind of error this is.
    public let code: Code
    /// The file the error is in, as it was named when loading (or `<string>` for text parsed directly).
    public let file: String
    /// 1-based line, when known.
    public let line: Int?
    /// 1-based column, when known.
    public let column: Int?
    /// What is wrong and, where possible, what would be right.
    public let reason: String

    public init(code: Code, file: String, line: Int? = nil, column: Int? = nil, reason: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `"<file>:<line>:<column>: <reason>"`, leaving out what is not known.
    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): \(reason)"
    }
}
