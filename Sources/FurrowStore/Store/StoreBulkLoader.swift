import Foundation
import GRDB

/// Loads a new source fast: rows that come in time order per row group are cut into full chunks, encoded on
/// every core at once and written in large transactions, bypassing the store's head and merge path.
///
/// For importers of whole files (an uploaded flight log) into a source nobody else writes. A group whose rows
/// go back in time, or a database that keeps rollups, falls back to the store's own `append`, which merges;
/// either way every row ends up stored exactly as `TimeSeriesStore.append` would store it.
///
/// ```swift
/// let loader = StoreBulkLoader(store: store)
/// for batch in batches { try await loader.append(batch) }
/// try await loader.finish()
/// ```
public final class StoreBulkLoader {
    struct Pending {
        let groupID: Int64
        let seriesIDs: [Int64]
        let channels: [StoreChannel]
        var rows: StoreRows
        var last = Int64.min
        /// Rows went back in time: the group is written through the store's merging append from then on.
        var merging = false
    }

    /// A full or final piece of one group, to encode and insert.
    struct Piece: Sendable {
        let groupID: Int64
        let seriesIDs: [Int64]
        let encoding: [StoreEncodingOptions]
        let rows: StoreRows
    }

    /// A piece encoded.
    struct Encoded: Sendable {
        let groupID: Int64
        let chunk: TimeSeriesStore.PreparedHead.Chunk
    }

    public let store: TimeSeriesStore
    let chunkRows: Int
    /// Pieces encoded and written together (one transaction each batch).
    let batchPieces: Int
    var pending: [StoreGroupKey: Pending] = [:]
    var ready: [Piece] = []
    /// Rows written through the fast path and through the store's merging append.
    public private(set) var fastRows = 0
    public private(set) var mergedRows = 0

    public init(store: TimeSeriesStore, batchPieces: Int = 64) {
        self.store = store
        self.chunkRows = store.options.chunkRows
        self.batchPieces = Swift.max(1, batchPieces)
    }

    /// Adds rows of one group (timestamps µs since the epoch, columns as the channels say).
    public func append(_ append: StoreAppend) async throws {
        guard !append.timestamps.isEmpty else { return }
        var state: Pending
        if let known = pending[append.group] {
            state = known
        } else {
            state = try await open(append)
        }
        if !state.merging {
            let increasing = zip(append.timestamps, append.timestamps.dropFirst()).allSatisfy { $0 < $1 }
            if !increasing || append.timestamps[0] <= state.last || !store.rollupWidths.isEmpty {
                // Hand what is buffered to the store first, so rows keep their order of arrival.
                state.merging = true
                if state.rows.count > 0 {
                    try await store.append(
                        append.group, channels: state.channels, timestamps: state.rows.timestamps,
                        columns: state.rows.columns)
                    mergedRows += state.rows.count
                    state.rows = StoreRows(empty: state.channels.map(\.valueType))
                }
            }
        }
        if state.merging {
            pending[append.group] = state
            try await store.append(
                append.group, channels: append.channels, timestamps: append.timestamps, columns: append.columns)
            mergedRows += append.timestamps.count
            return
        }
        try check(append, against: state)
        state.rows.append(StoreRows(timestamps: append.timestamps, columns: append.columns))
        state.last = append.timestamps[append.timestamps.count - 1]
        if state.rows.count >= chunkRows {
            var offset = 0
            while state.rows.count - offset >= chunkRows {
                ready.append(piece(state, state.rows.slice(offset..<offset + chunkRows)))
                offset += chunkRows
            }
            state.rows = state.rows.slice(offset..<state.rows.count)
        }
        pending[append.group] = state
        if ready.count >= batchPieces { try await writeReady() }
    }

    /// Writes every buffered row (the last, partly filled chunk of each group) and flushes the store.
    public func finish() async throws {
        for (key, state) in pending where !state.merging && state.rows.count > 0 {
            ready.append(piece(state, state.rows))
            pending[key]?.rows = StoreRows(empty: state.channels.map(\.valueType))
        }
        try await writeReady()
        try await store.flush()
    }

    func piece(_ state: Pending, _ rows: StoreRows) -> Piece {
        Piece(
            groupID: state.groupID, seriesIDs: state.seriesIDs,
            encoding: state.channels.map { StoreEncodingOptions(decimalExponent: $0.decimalExponent) }, rows: rows)
    }

    func check(_ append: StoreAppend, against state: Pending) throws {
        let name = append.group.description
        guard append.columns.count == state.channels.count else {
            throw StoreError.schemaMismatch(
                group: name, stored: state.channels.map(\.name), written: append.columns.map { "\($0.valueType)" })
        }
        for (channel, column) in zip(state.channels, append.columns) {
            guard column.valueType == channel.valueType else {
                throw StoreError.typeMismatch(
                    group: name, channel: channel.name, declared: channel.valueType, written: column.valueType)
            }
            guard column.count == append.timestamps.count else {
                throw StoreError.rowCountMismatch(
                    group: name, timestamps: append.timestamps.count, column: channel.name, values: column.count)
            }
        }
    }

    /// Creates the group (or loads it); a group that already holds chunks is written through the merging path.
    func open(_ append: StoreAppend) async throws -> Pending {
        let key = append.group
        let channels = append.channels
        let (group, stored) = try await store.pool.write { db -> (TimeSeriesStore.GroupState, Bool) in
            let group = try TimeSeriesStore.loadOrCreateGroup(db, key: key, channels: channels)
            let stored = try Bool.fetchOne(db, sql: "SELECT 1 FROM groupChunk WHERE rowGroup = ? LIMIT 1", arguments: [group.id]) ?? false
            return (group, stored)
        }
        return Pending(
            groupID: group.id, seriesIDs: group.seriesIDs, channels: group.channels,
            rows: StoreRows(empty: group.channels.map(\.valueType)), merging: stored)
    }

    /// Encodes the ready pieces on all cores, then inserts them in one transaction.
    func writeReady() async throws {
        guard !ready.isEmpty else { return }
        let pieces = ready
        ready.removeAll(keepingCapacity: true)
        let workers = Swift.max(1, Swift.min(ProcessInfo.processInfo.activeProcessorCount, pieces.count))
        let encoded = await withTaskGroup(of: [(Int, Encoded)].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    stride(from: worker, to: pieces.count, by: workers).map { i in (i, Self.encode(pieces[i])) }
                }
            }
            var all = [Encoded?](repeating: nil, count: pieces.count)
            for await part in group { for (i, e) in part { all[i] = e } }
            return all.compactMap { $0 }
        }
        try await store.pool.write { db in
            for e in encoded {
                try TimeSeriesStore.insertEncodedChunk(db, group: e.groupID, chunk: e.chunk)
            }
        }
        fastRows += pieces.reduce(0) { $0 + $1.rows.count }
    }

    static func encode(_ piece: Piece) -> Encoded {
        Encoded(groupID: piece.groupID, chunk: TimeSeriesStore.encodeChunk(piece.rows, encoding: piece.encoding))
    }
}
