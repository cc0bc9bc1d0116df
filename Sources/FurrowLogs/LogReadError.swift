/// A problem in a flight log, with a stable code and where it is: thrown when nothing can be read
/// (not a ULog, unknown incompatible flags), or collected as a diagnostic when the reader can go on.
public struct LogReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable codes for programs; the message is for people.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file does not start with the ULog magic bytes.
        public static let badMagic = Code(rawValue: "bad-magic")
        /// The file ended before the 16-byte ULog header.
        public static let shortHeader = Code(rawValue: "short-header")
        /// ULog incompatible flag bits this reader does not know: the log cannot be read safely.
        public static let incompatibleFlags = Code(rawValue: "incompatible-flags")
        /// A format definition (DataFlash FMT, ULog F) that cannot be used.
        public static let badFormat = Code(rawValue: "bad-format")
        /// A ULog subscription to an undefined format, or data for no subscription.
        public static let unknownSubscription = Code(rawValue: "unknown-subscription")
        /// A message whose size does not match its format.
        public static let badSize = Code(rawValue: "bad-size")
        /// A message that could not be decoded (bad string, bad header).
        public static let badMessage = Code(rawValue: "bad-message")
    }

    /// What went wrong, as a code.
    public let code: Code
    /// File offset of the message concerned.
    public let offset: Int
    /// The message concerned (`FMT`, `GPS`, `F`, `D:sensor_combined`), when known.
    public let messageName: String?
    /// What was found and what was expected.
    public let detail: String

    public init(_ code: Code, offset: Int, messageName: String? = nil, _ detail: String) {
        self.code = code
        self.offset = offset
        self.messageName = messageName
        self.detail = detail
    }

    public var description: String {
        "\(code) at byte \(offset)" + (messageName.map { " (\($0))" } ?? "") + ": \(detail)"
    }
}
