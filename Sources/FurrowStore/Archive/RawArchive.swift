import GRDB

/// Keeps every byte a transport received or a user uploaded, in zlib-compressed segments indexed by
/// project, source and receive time, so any stream can be replayed with its original timing or
/// re-decoded later with a newer decoder or profile.
///
/// Appends are buffered in one open segment per (project, source). A segment is sealed — compressed
/// (raw deflate), checksummed (CRC-32) and written as one row of `rawSegment` — as soon as it holds
/// `segmentSize` bytes, at the next append once its first record is `maximumSegmentAge` old, by
/// `sealExpired(now:)`, or by `flush()`. Reading (`reader`) sees sealed segments.
///
/// Why an actor: the open segments are mutable state shared by every transport and upload task. The
/// actor serialises them without a lock held across I/O, and because it is re-entrant, other sources
/// keep appending while one segment is being compressed (off the actor, `@concurrent`) and written
/// (awaiting GRDB's writer queue, which blocks no cooperative thread). The task whose append filled a
/// segment waits for that segment's write: backpressure lands on the busiest source, and seals of
/// different sources run on all cores at once. (A `Sendable` struct over the writer could only write
/// each receive as its own row — SQLite's ~0.2–0.5 M rows/s — and a `Mutex` would hold a lock across
/// compression and block threads on the write.)
///
/// Durability: sealed segments are committed in one transaction per seal or flush (WAL). Open segments
/// live in memory, so a `kill -9` loses at most `maximumSegmentAge` of each source (plus the period of
/// whatever calls `sealExpired(now:)`) and at most `maximumOpenBytes` in all; call `flush()` on graceful
/// shutdown to lose nothing.
///
/// ```swift
/// let archive = RawArchive(database: pool)
/// try await archive.append(project: "p", source: "udp:14550", receivedAt: nowMicros, bytes: datagram)
/// try await archive.flush()
/// for try await record in archive.reader.records(project: "p", source: "udp:14550") { … }
/// ```
///
/// ## Topics
/// - Writing: `append(project:source:receivedAt:bytes:)`, `sealExpired(now:)`, `flush()`
/// - Reading: `reader` (`RawArchiveReader`)
/// - Retention: `deleteSegments(project:olderThan:)`
/// - Schema: `registerMigrations(_:)`
public actor RawArchive {
    /// The longest receive-time span of one segment, µs (1 hour). Segments are sealed before a record
    /// would make them longer, so a reader looking for time `t` seeks from `t − maximumSegmentSpan`.
    public static let maximumSegmentSpan: Int64 = 3_600_000_000
    /// The largest inflated segment a reader accepts (64 MiB): no stored size can make it allocate more.
    public static let maximumRawSegmentSize = 64 << 20
    /// Receives longer than this (16 MiB) are archived as consecutive records with the same receive time
    /// (only byte streams deliver such reads; a UDP datagram is at most 64 KiB), so a segment stays well
    /// under `maximumRawSegmentSize`.
    public static let maximumRecordSize = 16 << 20

    /// The database the segments are written to (the store's pool; the archive does not own it).
    public nonisolated let database: any DatabaseWriter
    public nonisolated let configuration: RawArchiveConfiguration

    /// The read side, on the same database.
    public nonisolated var reader: RawArchiveReader { RawArchiveReader(database: database) }

    /// Which open segment a receive belongs to.
    struct SourceKey: Hashable {
        var project: String
        var source: String
    }

    /// The open segment of every source that appended since its last seal (entries emptied by a seal
    /// stay, empty, until the next `sealExpired` or `flush`).
    var open: [SourceKey: RawSegmentBuilder] = [:]
    /// Encoded bytes of all open segments, for `maximumOpenBytes`.
    var openRawBytes = 0
    /// Sealed segments whose write failed, oldest first.
    var pending: [RawSealedSegment] = []
    /// Seals between taking their segments and committing them, by sequence number.
    var sealsInFlight: Set<Int> = []
    var nextSealID = 0
    /// Flushes waiting for every seal numbered below `before` to finish.
    var flushWaiters: [(before: Int, continuation: CheckedContinuation<Void, Never>)] = []
    var totals = RawArchiveCounters()

    // Configuration, resolved once.
    let segmentSize: Int
    let maximumAge: Int64
    let level: Int32
    let maximumOpenBytes: Int

    /// An archive writing to `database`, whose migrations (`registerMigrations(_:)`) must have run.
    public init(database: any DatabaseWriter, configuration: RawArchiveConfiguration = .init()) {
        self.database = database
        self.configuration = configuration
        segmentSize = configuration.effectiveSegmentSize
        maximumAge = configuration.effectiveMaximumAge
        level = configuration.effectiveLevel
        maximumOpenBytes = max(configuration.maximumOpenBytes, 1)
    }

    // MARK: - Writing

    /// Archives one receive: the bytes a transport read (or an upload chunk) and when it arrived.
    ///
    /// Usually returns after a copy into the source's open segment. When the receive fills the segment
    /// (or the previous one is too old), this call also seals it and returns once it is committed.
    ///
    /// - Parameters:
    ///   - project: the pilot project that owns the bytes.
    ///   - source: the transport or upload (`udp:14550`, `serial:/dev/ttyUSB0`, `upload:<id>`); replay
    ///     selects by it.
    ///   - receivedAt: receive time, µs since the Unix epoch, from the receiver's clock.
    ///   - bytes: exactly what was received (may be empty: the receive and its time are still kept).
    /// - Throws: the database's error if a segment sealed by this call could not be written (disk full,
    ///   I/O error, cancellation). The bytes are not lost: the segment is retried with the next write or
    ///   `flush()`, within `maximumPendingBytes`.
    public func append(
        project: String, source: String, receivedAt: Int64, bytes: some Collection<UInt8>
    ) async throws {
        // One generic step (borrow the bytes), then concrete code: the caller's collection type is
        // rarely specialised across the module boundary, and unspecialised generic paths cost more than
        // the copy itself.
        var sealing =
            bytes.withContiguousStorageIfAvailable { buffer in
                add(project, source, receivedAt, UnsafeRawBufferPointer(buffer))
            } ?? Array(bytes).withUnsafeBytes { add(project, source, receivedAt, $0) }
        if openRawBytes > maximumOpenBytes {
            sealing += takeLargest()
        }
        if !sealing.isEmpty {
            try await seal(sealing)
        }
    }

    /// Archives several receives of one source at once (one actor hop for a transport's whole burst):
    /// `pieces` are receive times and ranges into `bytes`, in receive order.
    public func append(
        project: String, source: String, bytes: [UInt8], pieces: [RawArchivePiece]
    ) async throws {
        var sealing: [RawSegmentBuilder] = []
        // One lookup of the source's open segment for the whole burst (not one hash of two strings per
        // datagram); the segment is taken out so it grows in place, then put back.
        let key = SourceKey(project: project, source: source)
        var segment = open.removeValue(forKey: key) ?? RawSegmentBuilder(project: project, source: source)
        bytes.withUnsafeBytes { buffer in
            for piece in pieces {
                let range = piece.range.clamped(to: 0..<buffer.count)
                totals.appendedRecords &+= 1
                totals.appendedBytes &+= range.count
                Self.add(
                    to: &segment, receivedAt: piece.receivedAt, bytes: UnsafeRawBufferPointer(rebasing: buffer[range]),
                    segmentSize: segmentSize, maximumAge: maximumAge, openRawBytes: &openRawBytes, sealing: &sealing)
            }
        }
        open[key] = segment
        if openRawBytes > maximumOpenBytes {
            sealing += takeLargest()
        }
        if !sealing.isEmpty {
            try await seal(sealing)
        }
    }

    /// Adds one receive to its source's open segment, and returns the segments it sealed: the previous
    /// one if this receive may not join it, and this one if it is now full.
    private func add(
        _ project: String, _ source: String, _ receivedAt: Int64, _ bytes: UnsafeRawBufferPointer
    ) -> [RawSegmentBuilder] {
        totals.appendedRecords &+= 1
        totals.appendedBytes &+= bytes.count
        var sealing: [RawSegmentBuilder] = []
        // One hash lookup; the segment is mutated in place (no copy of its buffer).
        Self.add(
            to: &open[
                SourceKey(project: project, source: source),
                default: RawSegmentBuilder(project: project, source: source)],
            receivedAt: receivedAt, bytes: bytes, segmentSize: segmentSize, maximumAge: maximumAge,
            openRawBytes: &openRawBytes, sealing: &sealing)
        return sealing
    }

    private static func add(
        to segment: inout RawSegmentBuilder, receivedAt: Int64, bytes: UnsafeRawBufferPointer,
        segmentSize: Int, maximumAge: Int64, openRawBytes: inout Int, sealing: inout [RawSegmentBuilder]
    ) {
        if segment.mustSeal(before: receivedAt, maximumAge: maximumAge) {
            openRawBytes &-= segment.buffer.count
            sealing.append(segment.take())
        }
        var rest = bytes[...]
        repeat {
            let piece = rest.prefix(maximumRecordSize)
            let before = segment.buffer.count
            segment.append(receivedAt: receivedAt, bytes: UnsafeRawBufferPointer(rebasing: piece))
            openRawBytes &+= segment.buffer.count &- before
            if segment.buffer.count >= segmentSize {
                openRawBytes &-= segment.buffer.count
                sealing.append(segment.take())
            }
            rest = rest.dropFirst(piece.count)
        } while !rest.isEmpty
    }

    /// Takes open segments, largest first, until they hold at most 3/4 of `maximumOpenBytes`: many
    /// sources at once must not hold unbounded memory (nor put more than that at risk of a kill -9).
    /// The margin makes the sort rare.
    func takeLargest() -> [RawSegmentBuilder] {
        let target = maximumOpenBytes / 4 * 3
        let bySize = open.filter { $0.value.recordCount > 0 }.sorted { $0.value.buffer.count > $1.value.buffer.count }
        var taken: [RawSegmentBuilder] = []
        for (key, _) in bySize {
            guard openRawBytes > target else { break }
            if let segment = open.removeValue(forKey: key) {
                openRawBytes &-= segment.buffer.count
                taken.append(segment)
            }
        }
        return taken
    }
}
