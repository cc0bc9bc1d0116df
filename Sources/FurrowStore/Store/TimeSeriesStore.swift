import Foundation
import GRDB

/// The time-series store: row groups buffered in memory per group, flushed as compressed chunks into SQLite.
///
/// Writers append rows; a group's head is flushed when it holds `chunkRows` rows, when it is older than
/// `flushInterval` (`flushDue()`, called by `run()`), or on `flush()`. A flush is one transaction that
/// merges late and out-of-order rows into the chunks they overlap (a duplicate timestamp keeps the last
/// write) and folds a small last chunk into the new one, so appends at the edge do not leave a trail of tiny
/// chunks. Reads see flushed chunks and the unflushed head alike.
public actor TimeSeriesStore {
    public struct Options: Sendable {
        /// Rows per chunk (and the head size that triggers a flush).
        public var chunkRows: Int
        /// Longest time a row waits in memory: what a crash can lose.
        public var flushInterval: Duration
        /// Rollup bucket widths (µs) a *new* database keeps, e.g. `TimeSeriesStore.standardRollups`; an existing
        /// database keeps the widths it was created with, so its rollups are never stale. Off by default: on
        /// the store benchmark they cost 20 bytes/value and cut ingest 100-fold (one SQL row per series and
        /// bucket), which the codecs do not.
        public var rollupWidths: [Int64]
        /// A flush re-encodes the group's last stored chunk together with the new rows when that chunk holds
        /// fewer rows than this (so appends at the edge make few, big chunks). Re-encoding costs CPU on every
        /// flush; a writer that flushes many groups often (the daemon) sets it lower and lets chunks be smaller.
        public var foldLimit: Int

        public init(
            chunkRows: Int = 4096, flushInterval: Duration = .seconds(1), rollupWidths: [Int64] = [],
            foldLimit: Int? = nil
        ) {
            self.chunkRows = Swift.max(1, Swift.min(chunkRows, StoreChunk.maximumValueCount))
            self.flushInterval = flushInterval
            self.rollupWidths = rollupWidths.filter { $0 > 0 }.sorted()
            self.foldLimit = Swift.max(0, foldLimit ?? self.chunkRows)
        }
    }

    struct GroupState {
        let id: Int64
        let channels: [StoreChannel]
        let seriesIDs: [Int64]
        var head: StoreRows
        /// Rows a flush is writing now: still answered from memory until their transaction commits (reads
        /// de-duplicate them against the chunks that then hold them), put back in front of `head` if it fails.
        var inFlight: StoreRows?
        /// When the oldest unflushed row arrived.
        var headSince: ContinuousClock.Instant?
        /// Flushes since `compact` last looked at this group (each may have left a small chunk).
        var flushesSinceCompaction = 0
    }

    public let options: Options
    let pool: DatabasePool
    /// The rollup widths this database keeps (fixed at its creation).
    public let rollupWidths: [Int64]
    var groups: [StoreGroupKey: GroupState] = [:]
    /// Live subscribers (`subscribeLive`): each gets the last row of every append to its project and source.
    var liveSubscribers: [Int: LiveSubscriber] = [:]
    var nextLiveSubscriber = 0
    /// Aggregates of stored chunks per bucket width (`buckets`), so repeated dashboard queries over long
    /// ranges read only the chunk list; entries name their group's generation, which every rewrite of the
    /// group's stored chunks advances.
    nonisolated let bucketCaches = BucketCaches()
    /// Where series live (`locate`), forgotten whenever series are deleted or moved, which advances the epoch.
    var seriesLocations: [StoreSeriesKey: SeriesLocation] = [:]
    var catalogEpoch = 0
    /// Chunk listings of recent bucket queries, for as long as nothing is committed.
    nonisolated let chunkListings = ChunkListCache()
    /// One flush at a time, in call order (so a later write of a timestamp always commits after an earlier
    /// one); the actor itself stays free for appends and queries while a flush's transaction runs.
    var flushGateBusy = false
    var flushGateWaiters: [CheckedContinuation<Void, Never>] = []

    /// Opens the store in the SQLite file at `path` (created if needed).
    public init(path: String, options: Options = Options()) throws {
        try self.init(pool: StoreDatabase.open(path: path), options: options)
    }

    /// A store on an open, migrated database.
    public init(pool: DatabasePool, options: Options = Options()) throws {
        self.pool = pool
        self.options = options
        self.rollupWidths = try pool.write { db in
            if let stored = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'rollupWidths'") {
                return stored.split(separator: ",").compactMap { Int64($0) }
            }
            try db.execute(
                sql: "INSERT INTO setting (key, value) VALUES ('rollupWidths', ?)",
                arguments: [options.rollupWidths.map(String.init).joined(separator: ",")])
            return options.rollupWidths
        }
    }

    // MARK: - Writing

    /// Appends rows to a row group: one timestamp per row (µs since the epoch) and one column per channel.
    ///
    /// The first write of a group fixes its channels; later writes must name the same channels, in the same
    /// order, with the same types.
    public func append(
        _ key: StoreGroupKey, channels: [StoreChannel], timestamps: [Int64], columns: [StoreColumn]
    ) async throws {
        guard columns.count == channels.count else {
            throw StoreError.schemaMismatch(
                group: key.description, stored: channels.map(\.name), written: columns.map { "\($0.valueType)" })
        }
        for (channel, column) in zip(channels, columns) {
            guard column.valueType == channel.valueType else {
                throw StoreError.typeMismatch(
                    group: key.description, channel: channel.name, declared: channel.valueType,
                    written: column.valueType)
            }
            guard column.count == timestamps.count else {
                throw StoreError.rowCountMismatch(
                    group: key.description, timestamps: timestamps.count, column: channel.name, values: column.count)
            }
        }
        if let bad = timestamps.first(where: { $0 == .min }) {
            throw StoreError.invalidTimestamp(group: key.description, value: bad)
        }
        guard !timestamps.isEmpty else { return }
        _ = try groupState(key, channels: channels)
        // In place (through the dictionary's modify accessor): a copy of the state taken out of `groups` would
        // share the head's arrays and make every append copy the whole head.
        let headCount = Self.appendToHead(&groups[key], StoreRows(timestamps: timestamps, columns: columns))
        if !liveSubscribers.isEmpty { publishLive(key, channels: channels, timestamps: timestamps, columns: columns) }
        if headCount >= options.chunkRows { try await flush(key) }
    }

    /// Appends rows to a group's head, which `groupState` made sure exists; returns the head's row count.
    static func appendToHead(_ state: inout GroupState?, _ rows: StoreRows) -> Int {
        guard state != nil else { return 0 }
        state?.head.append(rows)
        if state?.headSince == nil { state?.headSince = .now }
        return state?.head.count ?? 0
    }

    /// Appends to several row groups in one call (one actor hop for a writer's whole batch).
    ///
    /// A group that refuses its rows (its stored channels differ, a bad timestamp) does not stop the others:
    /// its error is returned and its rows are dropped. A database error (a full chunk could not be written)
    /// is thrown after every group had its turn; the rows stay in memory and go with the next flush.
    @discardableResult
    public func append(contentsOf appends: [StoreAppend]) async throws -> [StoreError] {
        var refused: [StoreError] = []
        var writeError: (any Error)?
        do {
            try prepareGroups(appends)
        } catch {
            writeError = error
        }
        for (n, a) in appends.enumerated() {
            // A daemon hands on a second of a fleet at once (~10,000 groups, tens of ms of work): queries queued
            // on the actor get their turn between slices instead of waiting for the whole batch.
            if n > 0 && n % Self.appendSliceGroups == 0 { await Task.yield() }
            do {
                try await append(a.group, channels: a.channels, timestamps: a.timestamps, columns: a.columns)
            } catch let error as StoreError {
                refused.append(error)
            } catch {
                writeError = writeError ?? error
            }
        }
        if let writeError { throw writeError }
        return refused
    }

    /// Groups appended between two chances for other work on the actor (`append(contentsOf:)`): about a
    /// tenth of a millisecond of work.
    static let appendSliceGroups = 64
    /// Groups a flush moves or clears between two chances for other work on the actor.
    static let flushSliceGroups = 512

    /// Flushes every group's head in one transaction, recording `checkpoints` (name → value) in the same
    /// transaction, so a checkpoint is committed exactly when the rows written before it are.
    public func flush(checkpoints: [String: Int64] = [:]) async throws {
        try await flush(Array(groups.keys), checkpoints: checkpoints)
    }

    /// Writes the heads of `keys` now, in one transaction, for writers whose rows exist nowhere else (sensor
    /// readings are not in the raw archive, so they cannot wait for the next checkpoint's re-read).
    public func flush(groups keys: [StoreGroupKey]) async throws {
        try await flush(keys, checkpoints: [:])
    }

    /// Flushes the heads older than `flushInterval`, in one transaction.
    public func flushDue() async throws {
        let now = ContinuousClock.now
        let due = groups.compactMap { key, state in
            state.headSince.map { now - $0 >= options.flushInterval } == true ? key : nil
        }
        try await flush(due, checkpoints: [:])
    }

    /// The value last recorded under `name` by `flush(checkpoints:)`, or nil.
    public func checkpoint(_ name: String) throws -> Int64? {
        try pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT value FROM checkpoint WHERE name = ?", arguments: [name])
        }
    }

    /// Rows waiting in memory across all groups (what a flush would write).
    public var pendingRowCount: Int { groups.values.reduce(0) { $0 + $1.head.count + ($1.inFlight?.count ?? 0) } }

    /// Flushes due heads every `flushInterval / 4` until the task is cancelled, then flushes everything.
    public func run() async throws {
        while !Task.isCancelled {
            try? await Task.sleep(for: options.flushInterval / 4)
            try await flushDue()
        }
        try await flush()
    }

    func flush(_ key: StoreGroupKey) async throws {
        try await flush([key], checkpoints: [:])
    }

    /// Writes the heads of `keys` and the checkpoints in one transaction, then empties those heads.
    ///
    /// The transaction runs on the database's writer while the actor serves appends and queries: the rows
    /// being written move to the group's `inFlight` (still read from memory) and new rows start a new head.
    /// If the write fails, they go back in front of that head for the next flush.
    func flush(_ keys: [StoreGroupKey], checkpoints: [String: Int64]) async throws {
        await acquireFlushGate()
        defer { releaseFlushGate() }
        var flushing: [(key: StoreGroupKey, state: GroupState)] = []
        // A checkpoint of a fleet flushes ~10,000 groups: the actor takes queries between slices of them (each
        // group's head moves as a whole; rows appended meanwhile to a group not moved yet go with this flush).
        for (n, key) in keys.enumerated() {
            if n > 0 && n % Self.flushSliceGroups == 0 { await Task.yield() }
            guard var state = groups[key], state.head.count > 0 else { continue }
            flushing.append((key, state))
            state.inFlight = state.head
            state.head = StoreRows(empty: state.channels.map(\.valueType))
            state.headSince = nil
            groups[key] = state
        }
        guard !flushing.isEmpty || !checkpoints.isEmpty else { return }
        // Sorted and encoded before the transaction, on the caller's executor (the daemon runs ingest on
        // threads of lower priority than the API's): the writer then mostly inserts finished BLOBs.
        let prepared = await Self.prepareHeads(flushing.map(\.state), chunkRows: options.chunkRows)
        let rewritten: [Int64]
        do {
            rewritten = try await writeToEnd { [flushing] db -> [Int64] in
                var rewritten: [Int64] = []
                for ((key, state), chunks) in zip(flushing, prepared)
                where try self.writeHead(db, key: key, state: state, prepared: chunks) {
                    rewritten.append(state.id)
                }
                for (name, value) in checkpoints {
                    try db.execute(
                        sql: "INSERT INTO checkpoint (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                        arguments: [name, value])
                }
                return rewritten
            }
        } catch {
            for (key, original) in flushing {
                guard var state = groups[key], var rows = state.inFlight else { continue }
                rows.append(state.head)
                state.head = rows
                state.inFlight = nil
                state.headSince = original.headSince ?? state.headSince
                groups[key] = state
            }
            throw error
        }
        bucketCaches.advance(rewritten)
        for (n, (key, _)) in flushing.enumerated() {
            if n > 0 && n % Self.flushSliceGroups == 0 { await Task.yield() }
            // A group moved or deleted meanwhile (`moveSource`) is gone: nothing to clear.
            guard var state = groups[key] else { continue }
            state.inFlight = nil
            state.flushesSinceCompaction += 1
            groups[key] = state
        }
    }

    /// A write transaction on the database's writer that runs to its end even when the calling task is
    /// cancelled: GRDB's asynchronous write gives up on a cancelled task, and the last flush of a store happens
    /// in one (`run()` after cancellation, a daemon shutting down), where giving up would lose the rows.
    nonisolated func writeToEnd<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let pool = self.pool
        return try await Task.detached { try await pool.write(updates) }.value
    }

    func acquireFlushGate() async {
        guard flushGateBusy else {
            flushGateBusy = true
            return
        }
        await withCheckedContinuation { flushGateWaiters.append($0) }
    }

    func releaseFlushGate() {
        if flushGateWaiters.isEmpty {
            flushGateBusy = false
        } else {
            flushGateWaiters.removeFirst().resume()
        }
    }

    /// Merges a group's head into its stored chunks (inside the caller's transaction); true if it rewrote or
    /// deleted chunks that were stored before (not only added new ones).
    @discardableResult
    nonisolated func writeHead(
        _ db: Database, key: StoreGroupKey, state: GroupState, prepared: PreparedHead? = nil
    ) throws -> Bool {
        let head = prepared?.rows ?? state.head.sortedKeepingLastWrite()
        let types = state.channels.map(\.valueType)
        let encoding = state.channels.map { StoreEncodingOptions(decimalExponent: $0.decimalExponent) }
        let chunkRows = options.chunkRows
        let foldLimit = options.foldLimit
        let group = state.id
        let seriesIDs = state.seriesIDs
        let name = key.description
        let rollupWidths = self.rollupWidths
        do {
            let low = head.timestamps[0]
            let high = head.timestamps[head.count - 1]
            // Whether the rows only extend the group (rollups add them) or reach into stored time (rollups of
            // the touched buckets are recomputed); asked only when the database keeps rollups.
            let appended =
                rollupWidths.isEmpty
                ? true
                : try Int64.fetchOne(
                    // Chunks never overlap: the last one ends last.
                    db.cachedStatement(sql: "SELECT end FROM groupChunk WHERE rowGroup = ? ORDER BY start DESC LIMIT 1"),
                    arguments: [group]
                ).map { low > $0 } ?? true
            // Seek from the last chunk that starts at or before `low` (only it can reach into the rows from
            // before), not a filter of every earlier chunk on `end`.
            var starts = try Int64.fetchAll(
                db.cachedStatement(
                    sql: "SELECT start FROM groupChunk WHERE rowGroup = ? AND start >= ? AND start <= ? AND end >= ? ORDER BY start"),
                arguments: [group, Self.firstChunkStart(db, group: group, from: low), high, low])
            // Fold a small chunk just before the new rows into them (appends at the edge stay few, big chunks).
            if foldLimit > 0,
                let last = try Row.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT start, count FROM groupChunk WHERE rowGroup = ? AND start < ? ORDER BY start DESC LIMIT 1"),
                    arguments: [group, low]),
                (last["count"] as Int) < Swift.min(chunkRows, foldLimit), !starts.contains(last["start"])
            {
                starts.insert(last["start"], at: 0)
            }
            if starts.isEmpty, let prepared {
                // Only new time (the usual append): the chunks encoded before the transaction go in as they are.
                for chunk in prepared.chunks { try Self.insertEncodedChunk(db, group: group, chunk: chunk) }
                try Self.updateRollups(
                    db, group: group, seriesIDs: seriesIDs, types: types, flushed: head, appended: appended,
                    widths: rollupWidths, name: name)
                return false
            }
            var stored = StoreRows(empty: types)
            for start in starts {
                stored.append(try Self.loadChunk(db, group: group, types: types, start: start, name: name))
            }
            let merged = stored.count == 0 ? head : StoreRows.merge(older: stored, newer: head)
            for start in starts { try Self.deleteChunk(db, group: group, start: start) }
            var offset = 0
            while offset < merged.count {
                let piece = merged.slice(offset..<Swift.min(offset + chunkRows, merged.count))
                offset += piece.count
                try Self.insertChunk(db, group: group, rows: piece, encoding: encoding)
            }
            try Self.updateRollups(
                db, group: group, seriesIDs: seriesIDs, types: types, flushed: head, appended: appended,
                widths: rollupWidths, name: name)
            return !starts.isEmpty
        }
    }

    /// A head sorted (last write kept) and cut and encoded as the chunks it becomes when no stored chunk
    /// overlaps it.
    struct PreparedHead: Sendable {
        struct Chunk: Sendable {
            let start: Int64
            let end: Int64
            let count: Int
            /// The serialized row group (`StoreRowGroup`): time chunk and value chunks, as stored.
            let data: Data
        }
        let rows: StoreRows
        let chunks: [Chunk]
    }

    /// Sorts and encodes heads (away from the actor and outside any transaction).
    nonisolated static func prepareHeads(_ states: [GroupState], chunkRows: Int) async -> [PreparedHead] {
        states.map { state in
            let rows = state.head.sortedKeepingLastWrite()
            let encoding = state.channels.map { StoreEncodingOptions(decimalExponent: $0.decimalExponent) }
            var chunks: [PreparedHead.Chunk] = []
            var offset = 0
            while offset < rows.count {
                let piece = rows.slice(offset..<Swift.min(offset + chunkRows, rows.count))
                offset += piece.count
                chunks.append(encodeChunk(piece, encoding: encoding))
            }
            return PreparedHead(rows: rows, chunks: chunks)
        }
    }

    /// Inserts a chunk encoded by `prepareHeads`.
    static func insertEncodedChunk(_ db: Database, group: Int64, chunk: PreparedHead.Chunk) throws {
        try db.cachedStatement(sql: "INSERT INTO groupChunk (rowGroup, start, end, count, data) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [group, chunk.start, chunk.end, chunk.count, chunk.data])
    }

    /// Deletes the group's chunk at `start` (its time and value chunks are one row).
    static func deleteChunk(_ db: Database, group: Int64, start: Int64) throws {
        try db.cachedStatement(sql: "DELETE FROM groupChunk WHERE rowGroup = ? AND start = ?")
            .execute(arguments: [group, start])
    }

    /// Encodes sorted, non-empty rows as one row-group chunk: a time chunk and one value chunk per series.
    static func encodeChunk(_ rows: StoreRows, encoding: [StoreEncodingOptions]) -> PreparedHead.Chunk {
        let encoded = StoreEncodedRowGroup(
            time: StoreChunk.encode(.timestamp(rows.timestamps)),
            columns: rows.columns.indices.map { StoreChunk.encode(rows.columns[$0], options: encoding[$0]) })
        return PreparedHead.Chunk(
            start: rows.timestamps[0], end: rows.timestamps[rows.count - 1], count: rows.count,
            data: Data(encoded.serialized()))
    }

    /// Encodes sorted, non-empty rows and inserts them as one chunk.
    static func insertChunk(_ db: Database, group: Int64, rows: StoreRows, encoding: [StoreEncodingOptions]) throws {
        try insertEncodedChunk(db, group: group, chunk: encodeChunk(rows, encoding: encoding))
    }

    /// Decodes one stored chunk: its time column and the value columns at `positions` (every column when nil),
    /// typed `types`; a corrupt chunk throws `StoreError.corruptChunk`.
    static func loadChunk(
        _ db: Database, group: Int64, types: [StoreValueType], positions: [Int]? = nil, start: Int64, name: String
    ) throws -> StoreRows {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT end, data FROM groupChunk WHERE rowGroup = ? AND start = ?"),
                arguments: [group, start])
        else { return StoreRows(empty: types) }
        let end: Int64 = row[0]
        let positions = positions ?? Array(types.indices)
        let decoded = try row.withUnsafeData(atIndex: 1) { data -> Result<StoreRows, StoreError> in
            guard let data else { return .failure(.corruptChunk(series: name, start: start, end: end, reason: "no data")) }
            return data.withUnsafeBytes { bytes in
                StoredGroupChunk.decode(bytes, positions: positions, types: types).mapError {
                    .corruptChunk(series: name, start: start, end: end, reason: $0.reason)
                }
            }
        }
        return try decoded.get()
    }

    /// The group's ids, created on first use or checked against what is stored.
    func groupState(_ key: StoreGroupKey, channels: [StoreChannel]) throws -> GroupState {
        if let state = groups[key] {
            guard state.channels.count == channels.count,
                zip(state.channels, channels).allSatisfy({ $0.name == $1.name && $0.valueType == $1.valueType })
            else {
                throw StoreError.schemaMismatch(
                    group: key.description, stored: state.channels.map(\.name), written: channels.map(\.name))
            }
            return state
        }
        let state = try pool.write { db in try Self.loadOrCreateGroup(db, key: key, channels: channels) }
        groups[key] = state
        return state
    }

    /// Creates (or loads) every group of `appends` not known yet in one transaction: a writer that meets
    /// thousands of new groups at once (a fleet coming online) pays one commit, not one per group.
    func prepareGroups(_ appends: [StoreAppend]) throws {
        var missing: [StoreGroupKey: [StoreChannel]] = [:]
        for a in appends where groups[a.group] == nil { missing[a.group] = a.channels }
        guard missing.count > 1 else { return }
        let created = try pool.write { db in
            // A group whose stored channels differ is left out here; its own append reports it.
            try missing.compactMap { key, channels -> (StoreGroupKey, GroupState)? in
                do {
                    return (key, try Self.loadOrCreateGroup(db, key: key, channels: channels))
                } catch is StoreError {
                    return nil
                }
            }
        }
        for (key, state) in created { groups[key] = state }
    }

    static func loadOrCreateGroup(_ db: Database, key: StoreGroupKey, channels: [StoreChannel]) throws -> GroupState {
        do {
            let tags = key.canonicalTags
            if let id = try Int64.fetchOne(
                db, sql: "SELECT id FROM rowGroup WHERE project = ? AND source = ? AND name = ? AND tags = ?",
                arguments: [key.project, key.source, key.name, tags])
            {
                let rows = try Row.fetchAll(
                    db, sql: "SELECT id, channel, valueType, unit, decimalExponent FROM series WHERE rowGroup = ? ORDER BY position",
                    arguments: [id])
                let stored = rows.map { row in
                    StoreChannel(
                        name: row["channel"], valueType: StoreValueType(rawValue: row["valueType"]) ?? .float64,
                        unit: row["unit"], decimalExponent: row["decimalExponent"])
                }
                guard stored.map(\.name) == channels.map(\.name), stored.map(\.valueType) == channels.map(\.valueType)
                else {
                    throw StoreError.schemaMismatch(
                        group: key.description, stored: stored.map(\.name), written: channels.map(\.name))
                }
                return GroupState(
                    id: id, channels: stored, seriesIDs: rows.map { $0["id"] }, head: StoreRows(empty: stored.map(\.valueType)),
                    headSince: nil)
            }
            try db.execute(
                sql: "INSERT INTO rowGroup (project, source, name, tags) VALUES (?, ?, ?, ?)",
                arguments: [key.project, key.source, key.name, tags])
            let id = db.lastInsertedRowID
            var seriesIDs: [Int64] = []
            for (position, channel) in channels.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO series (rowGroup, position, channel, valueType, unit, decimalExponent)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [id, position, channel.name, channel.valueType.rawValue, channel.unit, channel.decimalExponent])
                seriesIDs.append(db.lastInsertedRowID)
            }
            return GroupState(
                id: id, channels: channels, seriesIDs: seriesIDs, head: StoreRows(empty: channels.map(\.valueType)),
                headSince: nil)
        }
    }
}

extension Array where Element == UInt8 {
    /// The bytes as a SQLite BLOB.
    var data: Data { Data(self) }
}
