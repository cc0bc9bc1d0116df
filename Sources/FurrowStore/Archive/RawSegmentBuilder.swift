/// An open segment: the records of one (project, source) received since the last seal, in record
/// format 1, waiting to be compressed into one row.
///
/// Record format 1, repeated to the end of the segment:
/// ```
/// zigzag varint   receive time − the previous record's receive time, µs (the first record's "previous"
///                 is 0, so it carries its absolute time and a payload is self-describing: the row's
///                 startTime/endTime are checked against it)
/// varint          byte count n
/// n bytes         the bytes exactly as received
/// ```
/// Invariant: every record's time is in `startTime...endTime`, and `startTime` is the first record's
/// time — `RawArchive` seals before appending a record older than the first one, so a segment never
/// spans backwards and never spans more than `RawArchive.maximumSegmentSpan`.
struct RawSegmentBuilder: Sendable {
    let project: String
    let source: String
    /// The records, encoded.
    private(set) var buffer: [UInt8] = []
    /// Receive time of the first record (the smallest).
    private(set) var startTime: Int64 = 0
    /// The largest receive time.
    private(set) var endTime: Int64 = 0
    /// Receive time of the last record (deltas chain from it).
    private var previousTime: Int64 = 0
    private(set) var recordCount = 0
    /// Sum of the records' byte counts: the bytes the transport received.
    private(set) var byteCount = 0

    init(project: String, source: String) {
        self.project = project
        self.source = source
    }

    /// Adds one record.
    mutating func append(receivedAt: Int64, bytes: UnsafeRawBufferPointer) {
        if recordCount == 0 {
            startTime = receivedAt
            endTime = receivedAt
            if buffer.capacity == 0 { buffer.reserveCapacity(4096) }
        } else if receivedAt > endTime {
            endTime = receivedAt
        }
        // Wrapping: the decoder adds with &+, so any two Int64 times round-trip.
        buffer.appendSignedVarint(receivedAt &- previousTime)
        buffer.appendVarint(UInt64(bytes.count))
        buffer.append(contentsOf: bytes)
        previousTime = receivedAt
        recordCount &+= 1
        byteCount &+= bytes.count
    }

    /// Hands over the records and leaves this segment empty (same project and source), without copying
    /// the buffer.
    mutating func take() -> RawSegmentBuilder {
        let full = self
        self = RawSegmentBuilder(project: project, source: source)
        return full
    }

    /// Whether a record received at `receivedAt` must start a new segment: it is older than this
    /// segment's first record, or this segment's first record is `maximumAge` µs older than it.
    func mustSeal(before receivedAt: Int64, maximumAge: Int64) -> Bool {
        recordCount > 0 && (receivedAt < startTime || Self.age(of: startTime, at: receivedAt) >= maximumAge)
    }

    /// Whether the first record is at least `maximumAge` µs older than `now` (or `now` is before it:
    /// the clock stepped back, and a segment must not wait for it to catch up).
    func isExpired(at now: Int64, maximumAge: Int64) -> Bool {
        recordCount > 0 && (now < startTime || Self.age(of: startTime, at: now) >= maximumAge)
    }

    /// `now − start` for `now >= start`, saturating at `Int64.max`.
    static func age(of start: Int64, at now: Int64) -> Int64 {
        let (age, overflow) = now.subtractingReportingOverflow(start)
        return overflow ? .max : age
    }
}

/// A segment ready for its row: records compressed, checksummed, described.
struct RawSealedSegment: Sendable {
    let project: String
    let source: String
    let startTime: Int64
    let endTime: Int64
    let recordCount: Int
    let byteCount: Int
    /// Bytes of the encoded records (what `data` inflates to).
    let rawSize: Int
    /// CRC-32 (zlib's) of the encoded records.
    let checksum: UInt32
    let codec: RawSegmentCodec
    let data: [UInt8]

    /// Compresses `segment` at `level` (0 stores it), keeping the stored form whenever deflate would
    /// not save anything.
    init(_ segment: RawSegmentBuilder, level: Int32) {
        project = segment.project
        source = segment.source
        startTime = segment.startTime
        endTime = segment.endTime
        recordCount = segment.recordCount
        byteCount = segment.byteCount
        rawSize = segment.buffer.count
        let compressed: [UInt8]? = segment.buffer.withUnsafeBytes { raw in
            level > 0 ? RawSegmentZlib.compress(raw, level: level) : nil
        }
        checksum = CRC32.checksum(segment.buffer)
        if let compressed, compressed.count < rawSize {
            codec = .deflate
            data = compressed
        } else {
            codec = .stored
            data = segment.buffer
        }
    }
}
