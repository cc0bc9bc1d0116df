import GRDB

/// Reads archived bytes: a source's records by receive time, the segments behind them, and what each
/// source holds.
///
/// A `Sendable` value around any `DatabaseReader`, separate from the writing `RawArchive` actor: replay,
/// the HTTP API and `furrow replay` read through the pool's reader connections, concurrently with
/// ingest, without waiting on the actor that buffers writes. Reads see sealed segments only; call
/// `RawArchive.flush()` first to include everything appended so far.
///
/// Every query names one project, so a caller scoped to a project never sees another project's bytes.
///
/// ```swift
/// for try await record in archive.reader.records(project: "p", source: "udp:14550", from: t0, to: t1) {
///     try await socket.send(record.bytes)
/// }
/// ```
public struct RawArchiveReader: Sendable {
    /// Where the segments are (any GRDB reader: a pool, a queue, a read-only snapshot).
    public let database: any DatabaseReader

    public init(database: any DatabaseReader) {
        self.database = database
    }

    /// The records of one source received in `from..<to` (µs since the Unix epoch), streamed one
    /// segment at a time: memory holds one inflated segment (≤ ~1 MiB by default), whatever the range.
    ///
    /// Records come segment by segment in start-time order and, within a segment, in the order they
    /// were received — time order, unless the receiver's clock stepped back.
    ///
    /// - Parameters:
    ///   - project: the pilot project; only its segments are read.
    ///   - source: the transport or upload, as passed to `RawArchive.append`.
    ///   - from: the earliest receive time included.
    ///   - to: the first receive time excluded.
    ///   - corruptSegments: `.throw` (the default) ends the sequence with a `RawArchiveError` at the first
    ///     damaged segment; `.skip(report:)` reports it and continues. Damaged bytes are never returned.
    public func records(
        project: String, source: String, from: Int64 = .min, to: Int64 = .max,
        corruptSegments: RawArchiveCorruptSegmentHandling = .throw
    ) -> RawArchiveRecords {
        RawArchiveRecords(
            database: database, project: project, source: source, from: from, to: to,
            corruptSegments: corruptSegments)
    }

    /// The segments of one source that hold records received in `from..<to`, in start-time order, as
    /// their rows describe them (nothing is inflated or checked).
    public func segments(
        project: String, source: String, from: Int64 = .min, to: Int64 = .max
    ) async throws -> [RawArchiveSegment] {
        let lowest = Self.lowestStart(from: from)
        return try await database.read { db in
            let rows = try Row.fetchCursor(
                db.cachedStatement(sql: RawArchiveSQL.segments), arguments: [project, source, lowest, to, from])
            var segments: [RawArchiveSegment] = []
            while let row = try rows.next() {
                segments.append(RawArchiveSegment(row: row, project: project, source: source))
            }
            return segments
        }
    }

    /// Every source of a project with the receive-time span and sizes of its archive, by name.
    public func sources(project: String) async throws -> [RawArchiveSourceSummary] {
        try await database.read { db in
            let rows = try Row.fetchCursor(db.cachedStatement(sql: RawArchiveSQL.sources), arguments: [project])
            var sources: [RawArchiveSourceSummary] = []
            while let row = try rows.next() {
                func integer(_ index: Int) -> Int64 { Int64.fromDatabaseValue(row[index] as DatabaseValue) ?? 0 }
                guard let source = String.fromDatabaseValue(row[0] as DatabaseValue) else { continue }
                sources.append(
                    RawArchiveSourceSummary(
                        source: source, firstReceivedAt: integer(1), lastReceivedAt: integer(2),
                        segmentCount: Int(integer(3)), recordCount: Int(integer(4)), byteCount: Int(integer(5)),
                        storedSize: Int(integer(6))))
            }
            return sources
        }
    }

    /// Bytes in, bytes stored and compression ratio of a project, per source and in total.
    public func statistics(project: String) async throws -> RawArchiveStatistics {
        RawArchiveStatistics(project: project, sources: try await sources(project: project))
    }

    /// The earliest start time of a segment that can hold a record at `from`: segments span less than
    /// `RawArchive.maximumSegmentSpan`.
    static func lowestStart(from: Int64) -> Int64 {
        let (lowest, overflow) = from.subtractingReportingOverflow(RawArchive.maximumSegmentSpan)
        return overflow ? .min : lowest
    }
}
