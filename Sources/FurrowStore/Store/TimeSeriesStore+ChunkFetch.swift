import Foundation
import GRDB

// MARK: - Fetching a range of chunks in one statement

extension TimeSeriesStore {
    /// A stored chunk's key and extent, as its time chunk row lists them.
    struct ChunkExtent: Sendable {
        let start: Int64
        let end: Int64
        let count: Int
    }

    /// What a query needs of one stored chunk, decided before its bytes are read.
    enum ChunkNeed: Sendable {
        /// The chunk's rows in the range (to merge with unflushed rows, or to stream).
        case rows
        /// Its rows in the range folded into buckets of this width.
        case buckets(width: Int64)
        /// One bucket of this width from the statistics in its header: the chunk lies inside one bucket and the
        /// range (types without usable statistics are decoded and folded).
        case statistics(width: Int64)
    }

    /// What came back for one stored chunk.
    enum ChunkAnswer: Sendable {
        case rows(StoreRows)
        case buckets([StoreBucket])
        /// The chunk's one bucket, from its header's statistics (nothing decoded).
        case statistics(StoreBucket)
        case failed(StoreError)
    }

    /// The start of the first chunk of `group` that can hold rows at or after `lowerBound`. Chunks of a group
    /// never overlap, so of the chunks that start at or before `lowerBound` only the last can reach into it;
    /// a range query seeks there instead of filtering every earlier chunk on `end`.
    static func firstChunkStart(_ db: Database, group: Int64, from lowerBound: Int64) throws -> Int64 {
        try Int64.fetchOne(
            db.cachedStatement(
                sql: "SELECT start FROM groupChunk WHERE rowGroup = ? AND start <= ? ORDER BY start DESC LIMIT 1"),
            arguments: [group, lowerBound]) ?? lowerBound
    }

    /// The extents of the chunks of `group` that overlap `range`, in time order.
    static func chunkExtents(_ db: Database, group: Int64, in range: Range<Int64>) throws -> [ChunkExtent] {
        let from = try firstChunkStart(db, group: group, from: range.lowerBound)
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT start, end, count FROM groupChunk INDEXED BY groupChunkExtent
                    WHERE rowGroup = ? AND start >= ? AND start < ? AND end >= ? ORDER BY start
                    """),
            arguments: [group, from, range.upperBound, range.lowerBound])
        var out: [ChunkExtent] = []
        while let row = try rows.next() {
            out.append(ChunkExtent(start: row[0], end: row[1], count: row[2]))
        }
        return out
    }

    /// Reads the chunks of one series that overlap `range` and start in `from...through`, at most `limit` of
    /// them, with one statement, and answers `need` for each straight from SQLite's memory (no copy of the
    /// BLOBs: the series' value chunk is a slice of its row-group chunk). Chunks `need` returns nil for are
    /// skipped undecoded.
    static func fetchSeriesChunks(
        _ db: Database, location: SeriesLocation, from: Int64, through: Int64 = .max, in range: Range<Int64>,
        limit: Int, name: String,
        need: (ChunkExtent) -> ChunkNeed?
    ) throws -> [(extent: ChunkExtent, answer: ChunkAnswer)] {
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT start, end, count, data FROM groupChunk
                    WHERE rowGroup = ? AND start >= ? AND start <= ? AND start < ? AND end >= ?
                    ORDER BY start LIMIT ?
                    """),
            arguments: [location.group, from, through, range.upperBound, range.lowerBound, limit])
        var out: [(extent: ChunkExtent, answer: ChunkAnswer)] = []
        while let row = try rows.next() {
            let extent = ChunkExtent(start: row[0], end: row[1], count: row[2])
            guard let need = need(extent) else { continue }
            let answer = try row.withUnsafeData(atIndex: 3) { data in
                answerChunk(data, extent: extent, location: location, range: range, need: need, name: name)
            }
            out.append((extent, answer))
        }
        return out
    }

    /// Decodes (or reads the header of) one series' columns of a stored row-group chunk and answers `need`;
    /// every problem is a `.failed` naming the series and the chunk's range.
    static func answerChunk(
        _ data: Data?, extent: ChunkExtent, location: SeriesLocation, range: Range<Int64>, need: ChunkNeed,
        name: String
    ) -> ChunkAnswer {
        func corrupt(_ reason: String) -> ChunkAnswer {
            .failed(.corruptChunk(series: name, start: extent.start, end: extent.end, reason: reason))
        }
        guard let data else { return corrupt("the chunk has no data") }
        return data.withUnsafeBytes { bytes in
            do throws(StoredGroupChunk.Failure) {
                let chunk = try StoredGroupChunk(bytes)
                return try answerChunk(chunk, extent: extent, location: location, range: range, need: need)
            } catch {
                return corrupt("series \(location.series): \(error.reason)")
            }
        }
    }

    /// `answerChunk(_:…)` on a chunk whose directory has been checked.
    static func answerChunk(
        _ chunk: StoredGroupChunk, extent: ChunkExtent, location: SeriesLocation, range: Range<Int64>,
        need: ChunkNeed
    ) throws(StoredGroupChunk.Failure) -> ChunkAnswer {
        if case .statistics(let width) = need {
            let value = try chunk.valueChunk(at: location.position)
            let header: StoreChunkHeader
            do throws(StoreCodecError) {
                header = try StoreChunk.readHeader(value)
            } catch {
                throw StoredGroupChunk.Failure(reason: "column \(location.position): \(error)")
            }
            guard header.valueType == location.type, header.count == extent.count else {
                throw StoredGroupChunk.Failure(
                    reason: "column \(location.position): \(header.count) \(header.valueType) values for \(extent.count) rows")
            }
            if let bucket = StoreBucket(start: bucketStart(extent.start, width), header: header) {
                return .statistics(bucket)
            }
            // No usable statistics for this type: decode and fold instead.
        }
        let timestamps = try chunk.timestamps()
        let values = try chunk.values(at: location.position, type: location.type, rows: timestamps.count)
        let lower = timestamps.partitioningIndex { $0 >= range.lowerBound }
        let upper = timestamps.partitioningIndex { $0 >= range.upperBound }
        switch need {
        case .rows:
            if lower == 0 && upper == timestamps.count {
                return .rows(StoreRows(timestamps: timestamps, columns: [values]))
            }
            return .rows(
                lower < upper
                    ? StoreRows(timestamps: Array(timestamps[lower..<upper]), columns: [values.slice(lower..<upper)])
                    : StoreRows(empty: [location.type]))
        case .buckets(let width), .statistics(let width):
            return .buckets(foldBuckets(timestamps, values, lower..<upper, width: width))
        }
    }

    // MARK: - Folding

    /// Buckets of the sorted rows `indices` of `timestamps`/`values` (one per bucket touched, in time order),
    /// folded on the column's own element type (no Double copy of the column).
    static func foldBuckets(
        _ timestamps: [Int64], _ values: StoreColumn, _ indices: Range<Int>, width: Int64
    ) -> [StoreBucket] {
        switch values {
        case .float64(let v): fold(timestamps, v, indices, width) { $0 }
        case .float32(let v): fold(timestamps, v, indices, width) { Double($0) }
        case .int64(let v), .state(let v), .timestamp(let v): fold(timestamps, v, indices, width) { Double($0) }
        case .bool(let v): fold(timestamps, v, indices, width) { $0 ? 1 : 0 }
        case .string: []
        }
    }

    /// The fold behind `foldBuckets`: the same arithmetic as `StoreBucket.add`, value by value, kept in locals.
    @inline(__always)
    static func fold<T>(
        _ timestamps: [Int64], _ values: [T], _ indices: Range<Int>, _ width: Int64, _ convert: (T) -> Double
    ) -> [StoreBucket] {
        precondition(indices.upperBound <= Swift.min(timestamps.count, values.count))
        var out: [StoreBucket] = []
        var i = indices.lowerBound
        let n = indices.upperBound
        let span = UInt64(width)
        while i < n {
            let bucket = bucketStart(timestamps[i], width)
            let first = convert(values[i])
            var count = 0
            var nanCount = 0
            var sum = 0.0
            var minimum = Double.nan
            var maximum = Double.nan
            var last = first
            // Rows are sorted and at or after `bucket`, so the wrapping difference is the exact distance.
            while i < n && UInt64(bitPattern: timestamps[i] &- bucket) < span {
                let v = convert(values[i])
                count &+= 1
                last = v
                if v.isNaN {
                    nanCount &+= 1
                } else {
                    sum += v
                    minimum = minimum.isNaN ? v : Swift.min(minimum, v)
                    maximum = maximum.isNaN ? v : Swift.max(maximum, v)
                }
                i &+= 1
            }
            out.append(
                StoreBucket(
                    start: bucket, count: count, nanCount: nanCount, sum: sum, minimum: minimum, maximum: maximum,
                    first: first, last: last))
        }
        return out
    }
}
