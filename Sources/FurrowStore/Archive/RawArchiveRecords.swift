import Foundation
import GRDB

/// The records of one source in a receive-time range, read one segment at a time as they are consumed.
///
/// Pull-based: each segment is fetched (one short read transaction on a reader connection), inflated
/// and checked when the previous one is used up, so there is no producer task, memory holds one
/// segment, and a consumer that stops early (or is cancelled) stops the reading. Segments removed or
/// added while iterating are seen or not depending on whether the iterator has passed them.
///
/// Made by `RawArchiveReader.records(project:source:from:to:corruptSegments:)`.
public struct RawArchiveRecords: AsyncSequence, Sendable {
    public typealias Element = RawArchiveRecord
    public typealias Failure = any Error

    let database: any DatabaseReader
    let project: String
    let source: String
    let from: Int64
    let to: Int64
    let corruptSegments: RawArchiveCorruptSegmentHandling

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(records: self)
    }

    /// Walks the segments in key order, handing out the records of the current one.
    public struct AsyncIterator: AsyncIteratorProtocol {
        public typealias Element = RawArchiveRecord
        public typealias Failure = any Error

        let records: RawArchiveRecords
        /// Key of the last segment fetched: the next fetch seeks past it.
        var after: SegmentKey
        var payload: RawSegmentPayload?
        var index = 0
        var finished = false

        init(records: RawArchiveRecords) {
            self.records = records
            after = SegmentKey(startTime: RawArchiveReader.lowestStart(from: records.from), ordinal: -1)
        }

        public mutating func next() async throws -> RawArchiveRecord? {
            try await next(isolation: nil)
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws -> RawArchiveRecord? {
            while true {
                if let payload {
                    while index < payload.entries.count {
                        let entry = payload.entries[index]
                        index &+= 1
                        if entry.time >= records.from && entry.time < records.to {
                            let start = Int(entry.start)
                            return RawArchiveRecord(
                                receivedAt: entry.time, bytes: payload.bytes[start..<start &+ Int(entry.count)])
                        }
                    }
                    self.payload = nil
                }
                if finished { return nil }
                let fetched: FetchedSegment?
                do {
                    fetched = try await records.fetch(after: after)
                } catch {
                    finished = true
                    throw error
                }
                guard let fetched else {
                    finished = true
                    return nil
                }
                // Keys come from a STRICT primary key and the query seeks past `after`; a key that does
                // not advance means a damaged table, and would loop forever.
                guard (fetched.key.startTime, fetched.key.ordinal) > (after.startTime, after.ordinal) else {
                    finished = true
                    throw RawArchiveError(
                        .invalidDescription, project: records.project, source: records.source,
                        timeRange: after.startTime...after.startTime,
                        message: "segment keys do not advance past \(after.startTime) #\(after.ordinal)")
                }
                after = fetched.key
                switch fetched.result {
                case .success(let payload):
                    self.payload = payload
                    index = 0
                case .failure(let error):
                    switch records.corruptSegments {
                    case .throw:
                        finished = true
                        throw error
                    case .skip(let report):
                        report(error)
                    }
                }
            }
        }
    }

    /// A segment's primary key within its source.
    struct SegmentKey: Sendable {
        var startTime: Int64
        var ordinal: Int64
    }

    /// One segment fetched: its key (to seek past it) and its records, or what is wrong with it.
    struct FetchedSegment: Sendable {
        var key: SegmentKey
        var result: Result<RawSegmentPayload, RawArchiveError>
    }

    /// Reads, inflates and checks the first segment after `after` that overlaps the range, or nil.
    ///
    /// Inflating inside the read lets it work on SQLite's copy of the BLOB (no extra copy); a damaged
    /// segment is a value here, a database failure is thrown.
    func fetch(after: SegmentKey) async throws -> FetchedSegment? {
        try await database.read { [project, source, from, to] db -> FetchedSegment? in
            let rows = try Row.fetchCursor(
                db.cachedStatement(sql: RawArchiveSQL.nextSegment),
                arguments: [project, source, after.startTime, after.ordinal, to, from])
            guard let row = try rows.next() else { return nil }
            let segment = RawArchiveSegment(row: row, project: project, source: source)
            // The key columns are the primary key of a STRICT table: integers, never NULL.
            let key = SegmentKey(startTime: segment.startTime, ordinal: Int64(segment.ordinal))
            let decoded: Result<RawSegmentPayload, RawSegmentDamage>
            do {
                decoded = try row.withUnsafeData(atIndex: 9) { blob in
                    (blob ?? Data()).withUnsafeBytes { raw in
                        Result { () throws(RawSegmentDamage) in try RawSegmentPayload.decode(segment, blob: raw) }
                    }
                }
            } catch {
                decoded = .failure(RawSegmentDamage(.invalidDescription, "the data column is not a BLOB: \(error)"))
            }
            return FetchedSegment(key: key, result: decoded.mapError { RawArchiveError($0, segment: segment) })
        }
    }
}
