import Foundation

/// Why an archived segment could not be read: which segment (project, source, time range) and what was
/// wrong with it.
///
/// A damaged segment is reported, never returned as data: `RawArchiveRecords` either throws this error
/// or, with `RawArchiveCorruptSegmentHandling.skip`, hands it to a callback and continues with the next
/// segment. The `code` is stable (log it, count it, match on it); the description names the segment so a
/// user can find the row and the gap it leaves in a replay.
///
/// ```swift
/// let records = archive.reader.records(project: "p", source: "udp:14550", corruptSegments: .skip { error in
///     logger.warning("skipping raw segment", metadata: ["code": "\(error.code)", "range": "\(error.timeRange)"])
/// })
/// ```
public struct RawArchiveError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable reason.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The CRC-32 of the inflated records does not match the row: the BLOB was damaged after it was
        /// written.
        public static let checksumMismatch = Code(rawValue: "checksum-mismatch")
        /// zlib rejected the BLOB (damaged deflate stream, trailing bytes, stream ends early).
        public static let inflateFailed = Code(rawValue: "inflate-failed")
        /// The BLOB or what it inflates to is not the size the row says.
        public static let sizeMismatch = Code(rawValue: "size-mismatch")
        /// The inflated bytes are not well-formed records (bad varint, a record past the end, times or
        /// counts that contradict the row).
        public static let corruptRecords = Code(rawValue: "corrupt-records")
        /// The codec byte names no codec this build reads (written by a newer version, or damaged).
        public static let unsupportedCodec = Code(rawValue: "unsupported-codec")
        /// The row's sizes or times cannot describe a segment (negative or oversized sizes, a reversed
        /// or over-long time range, a column of the wrong type).
        public static let invalidDescription = Code(rawValue: "invalid-description")
    }

    /// The stable reason.
    public let code: Code
    /// The pilot project that owns the segment.
    public let project: String
    /// The source (transport or upload) the segment belongs to.
    public let source: String
    /// Receive times of the segment's first and last record, µs since the Unix epoch, as the row says.
    public let timeRange: ClosedRange<Int64>
    /// Which of the segments starting at the same microsecond (almost always 0).
    public let ordinal: Int
    /// What was wrong, in words a user can act on.
    public let message: String

    public init(
        _ code: Code, project: String, source: String, timeRange: ClosedRange<Int64>, ordinal: Int = 0,
        message: String
    ) {
        self.code = code
        self.project = project
        self.source = source
        self.timeRange = timeRange
        self.ordinal = ordinal
        self.message = message
    }

    init(_ damage: RawSegmentDamage, segment: RawArchiveSegment) {
        // A row with endTime < startTime is itself the damage; keep both bounds in the report.
        let range = min(segment.startTime, segment.endTime)...max(segment.startTime, segment.endTime)
        self.init(
            damage.code, project: segment.project, source: segment.source, timeRange: range,
            ordinal: segment.ordinal, message: damage.message)
    }

    public var description: String {
        let ordinalText = ordinal == 0 ? "" : " #\(ordinal)"
        let span = "\(Self.format(timeRange.lowerBound))...\(Self.format(timeRange.upperBound))\(ordinalText)"
        return
            "raw archive segment \(project)/\(source) \(span) (\(timeRange.lowerBound)...\(timeRange.upperBound) µs): "
            + "\(code): \(message)"
    }

    /// A receive time as ISO 8601 UTC with microseconds.
    static func format(_ micros: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
        return date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
    }
}
