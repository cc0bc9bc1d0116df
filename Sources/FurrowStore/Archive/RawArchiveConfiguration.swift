/// When `RawArchive` seals a segment and how hard it compresses it.
///
/// The defaults suit a field gateway: 1 MiB segments compress about as well as deflate can (its window
/// is 32 KiB, so bigger segments gain nothing but latency), and a 10-second age bounds what a `kill -9`
/// can lose for a slow source to the same order as the time-series store's flush interval.
public struct RawArchiveConfiguration: Sendable, Hashable {
    /// Seal a segment as soon as it holds at least this many raw bytes. Clamped to 1 B ... 16 MiB.
    public var segmentSize: Int
    /// Seal a segment at the next append (or `sealExpired(now:)`) once its first record is this old.
    /// Clamped to 0 ... `RawArchive.maximumSegmentSpan` (1 hour), the span readers rely on.
    public var maximumSegmentAge: Duration
    /// zlib level 1 (fastest) ... 9 (smallest); 0 stores segments uncompressed.
    ///
    /// Level 1 is the default: on MAVLink telemetry (ardupilot-vtol.tlog in 1–300 B receives) it keeps
    /// 1.85× against level 6's 1.96×, at 3–4× the speed (zlib 1.2.13 here: ~80 vs ~22 MB/s per core),
    /// and deflate is ~2/3 of the CPU an append costs, so the level sets the archive's throughput.
    public var compressionLevel: Int
    /// Sealed segments whose write failed (disk full, I/O error, a cancelled writer) are kept in memory
    /// and written with the next seal or flush, up to this many bytes; beyond it the oldest are dropped
    /// and counted in `RawArchiveCounters.droppedBytes`.
    public var maximumPendingBytes: Int
    /// When all open segments together hold more than this (thousands of sources on one gateway), the
    /// largest are sealed early until they hold 3/4 of it: it bounds memory and what a `kill -9` can lose.
    public var maximumOpenBytes: Int

    public init(
        segmentSize: Int = 1 << 20,
        maximumSegmentAge: Duration = .seconds(10),
        compressionLevel: Int = 1,
        maximumPendingBytes: Int = 64 << 20,
        maximumOpenBytes: Int = 64 << 20
    ) {
        self.segmentSize = segmentSize
        self.maximumSegmentAge = maximumSegmentAge
        self.compressionLevel = compressionLevel
        self.maximumPendingBytes = maximumPendingBytes
        self.maximumOpenBytes = maximumOpenBytes
    }

    /// `segmentSize`, clamped.
    var effectiveSegmentSize: Int { min(max(segmentSize, 1), 16 << 20) }

    /// `maximumSegmentAge` in µs, clamped.
    var effectiveMaximumAge: Int64 {
        let (seconds, attoseconds) = maximumSegmentAge.components
        guard seconds >= 0 else { return 0 }
        let micros = seconds.multipliedReportingOverflow(by: 1_000_000)
        guard !micros.overflow else { return RawArchive.maximumSegmentSpan }
        return min(micros.partialValue &+ attoseconds / 1_000_000_000_000, RawArchive.maximumSegmentSpan)
    }

    /// `compressionLevel`, clamped to 0 ... 9.
    var effectiveLevel: Int32 { Int32(min(max(compressionLevel, 0), 9)) }
}
