/// Why a column chunk or row group could not be decoded.
///
/// Every decoder in `FurrowStore` throws this one type (typed throws), so callers can report the problem
/// with the chunk's series and time range and skip it: a corrupt chunk is never returned as data. The
/// `code` is stable (log it, count it, match on it); `offset` is the byte offset inside the chunk (or row
/// group) where the decoder noticed the problem; `message` says what was wrong in words.
///
/// ```swift
/// do {
///     let chunk = try StoreChunk.decode(bytes)
/// } catch {
///     logger.warning("skipping chunk", metadata: ["code": "\(error.code)", "offset": "\(error.offset)"])
/// }
/// ```
public struct StoreCodecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable reason.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The bytes end before the header or a declared length says they should.
        public static let truncated = Code(rawValue: "truncated")
        /// The CRC-32 stored in the chunk does not match its bytes: the chunk was damaged after encoding.
        public static let checksumMismatch = Code(rawValue: "checksum-mismatch")
        /// The chunk was written by a newer (or unknown) format version.
        public static let unsupportedVersion = Code(rawValue: "unsupported-version")
        /// The value-type byte names no type this build knows.
        public static let unknownValueType = Code(rawValue: "unknown-value-type")
        /// The codec byte names no codec this build knows, or one that cannot hold the chunk's value type.
        public static let unknownCodec = Code(rawValue: "unknown-codec")
        /// The declared value count is above `StoreChunk.maximumValueCount`.
        public static let countTooLarge = Code(rawValue: "count-too-large")
        /// The payload contradicts itself: a count or position past the end, an impossible bit width,
        /// run lengths that do not add up, an index outside the dictionary, invalid UTF-8.
        public static let corruptPayload = Code(rawValue: "corrupt-payload")
        /// Bytes are left over after the payload was fully decoded.
        public static let trailingBytes = Code(rawValue: "trailing-bytes")
        /// A row group's columns do not all have as many values as its time column.
        public static let rowCountMismatch = Code(rawValue: "row-count-mismatch")
    }

    /// The stable reason.
    public let code: Code
    /// Byte offset, from the start of the chunk or row group, where the problem was detected.
    public let offset: Int
    /// What was wrong, in words a user can act on.
    public let message: String

    /// An error with its code, the byte offset where it was found, and what was wrong.
    public init(_ code: Code, offset: Int, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(code) at byte \(offset): \(message)" }
}
