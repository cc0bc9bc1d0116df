/// One receive as archived: the bytes a transport read (or an upload delivered) at one moment.
///
/// Replay sends `bytes` as one write (one datagram for UDP) at `receivedAt`, scaled by its speed.
public struct RawArchiveRecord: Sendable, Hashable {
    /// When the bytes were received, µs since the Unix epoch (the receiver's clock).
    public var receivedAt: Int64
    /// The bytes exactly as received.
    ///
    /// A slice of the segment's inflated buffer (no copy per record): its indices are the buffer's, so
    /// start at `bytes.startIndex`, not 0; `Array(record.bytes)` makes a standalone copy.
    public var bytes: ArraySlice<UInt8>

    public init(receivedAt: Int64, bytes: ArraySlice<UInt8>) {
        self.receivedAt = receivedAt
        self.bytes = bytes
    }
}

/// What to do when a segment is found damaged while reading records.
public enum RawArchiveCorruptSegmentHandling: Sendable {
    /// End the sequence by throwing the `RawArchiveError`.
    case `throw`
    /// Hand the error to `report` (log it, count it, mark the gap) and continue with the next segment;
    /// none of the damaged segment's records are returned.
    case skip(report: @Sendable (RawArchiveError) -> Void)
}

/// One source's archived bytes in a project: how much, over which receive times, how well compressed.
public struct RawArchiveSourceSummary: Sendable, Hashable {
    /// The transport or upload.
    public let source: String
    /// Receive time of the earliest archived record, µs since the Unix epoch.
    public let firstReceivedAt: Int64
    /// Receive time of the latest archived record.
    public let lastReceivedAt: Int64
    public let segmentCount: Int
    public let recordCount: Int
    /// Bytes in: what was received.
    public let byteCount: Int
    /// Bytes stored: the BLOBs.
    public let storedSize: Int

    /// Bytes in per byte stored (0 when nothing is stored).
    public var compressionRatio: Double { storedSize == 0 ? 0 : Double(byteCount) / Double(storedSize) }
}

/// A project's archive in numbers, per source and in total (for `/metrics` and the API).
public struct RawArchiveStatistics: Sendable, Hashable {
    public let project: String
    /// Every source of the project, by name.
    public let sources: [RawArchiveSourceSummary]

    public var segmentCount: Int { sources.reduce(0) { $0 + $1.segmentCount } }
    public var recordCount: Int { sources.reduce(0) { $0 + $1.recordCount } }
    /// Bytes in.
    public var byteCount: Int { sources.reduce(0) { $0 + $1.byteCount } }
    /// Bytes stored.
    public var storedSize: Int { sources.reduce(0) { $0 + $1.storedSize } }
    /// Bytes in per byte stored (0 when nothing is stored).
    public var compressionRatio: Double { storedSize == 0 ? 0 : Double(byteCount) / Double(storedSize) }
}

/// What `RawArchive.deleteSegments(project:olderThan:)` removed.
public struct RawArchiveDeletion: Sendable, Hashable {
    public let segmentCount: Int
    public let recordCount: Int
    /// Bytes in that are gone.
    public let byteCount: Int
    /// BLOB bytes freed (SQLite reuses the pages; the file shrinks only on VACUUM).
    public let storedSize: Int
}

/// The write side's running totals since the archive was created (for `/metrics` and logs).
public struct RawArchiveCounters: Sendable, Hashable {
    /// Records and bytes passed to `append`.
    public var appendedRecords = 0
    public var appendedBytes = 0
    /// Segments (and their bytes in / BLOB bytes) committed to the database.
    public var storedSegments = 0
    public var storedBytes = 0
    public var storedBlobBytes = 0
    /// Open segments: appended, not yet sealed; lost by a kill -9.
    public var openSegments = 0
    public var openBytes = 0
    /// Sealed segments whose write failed, waiting for the next write.
    public var pendingSegments = 0
    public var pendingBytes = 0
    /// Pending segments dropped because `maximumPendingBytes` was exceeded.
    public var droppedSegments = 0
    public var droppedBytes = 0
}

/// One receive inside a shared buffer, for `RawArchive.append(project:source:bytes:pieces:)`.
public struct RawArchivePiece: Sendable, Hashable {
    /// Receive time, µs since the Unix epoch.
    public var receivedAt: Int64
    /// Where the receive's bytes are in the buffer.
    public var range: Range<Int>

    public init(receivedAt: Int64, range: Range<Int>) {
        self.receivedAt = receivedAt
        self.range = range
    }
}
