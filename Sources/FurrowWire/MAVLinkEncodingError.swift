/// Why a message could not be encoded: a value that does not fit its field, or a name the dialect lacks.
///
/// Errors are values with a stable `code` and a message that says which message and field, so a caller
/// can fix the input rather than read a crash.
public struct MAVLinkEncodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem; stable across releases.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The dialect has no message of that name.
        public static let unknownMessage = Code(rawValue: "unknown-message")
        /// The message has no field of that name.
        public static let unknownField = Code(rawValue: "unknown-field")
        /// The value's case does not match the field type (a float for an integer field, text for a number).
        public static let wrongType = Code(rawValue: "wrong-type")
        /// An integer does not fit the field's type.
        public static let outOfRange = Code(rawValue: "out-of-range")
        /// An array or text has more elements than the field holds.
        public static let tooLong = Code(rawValue: "too-long")
        /// `values` has a different count than the message has fields.
        public static let valueCount = Code(rawValue: "value-count")
        /// A MAVLink 1 frame can only carry message ids below 256.
        public static let idNeedsV2 = Code(rawValue: "id-needs-v2")

        public var description: String { rawValue }
    }

    public let code: Code
    /// The message being encoded.
    public let message: String
    /// The field at fault, if one is.
    public let field: String?
    /// What is wrong, for a human.
    public let reason: String

    public init(code: Code, message: String, field: String? = nil, reason: String) {
        self.code = code
        self.message = message
        self.field = field
        self.reason = reason
    }

    public var description: String {
        let location = field.map { "\(message).\($0)" } ?? message
        return "cannot encode \(location): \(reason) [\(code)]"
    }
}
