import Foundation
import GRDB
import Testing

@testable import FurrowStore

/// A flush's transaction runs beside the actor, not on it: while SQLite's write lock is held elsewhere (a
/// slow disk, a long checkpoint), appends and queries go on and see every row exactly once.
@Suite("Flush beside queries")
struct FlushConcurrencyTests {
    typealias Base = TimeSeriesStoreTests

    /// Holds SQLite's write lock on the file from another connection, on its own thread, until `release()`.
    final class WriteLock: @unchecked Sendable {
        private let taken = DispatchSemaphore(value: 0)
        private let released = DispatchSemaphore(value: 0)
        private let done = DispatchSemaphore(value: 0)

        init(path: String) throws {
            let queue = try DatabaseQueue(path: path)
            Thread.detachNewThread { [taken, released, done] in
                try? queue.inTransaction(.immediate) { _ in
                    taken.signal()
                    released.wait()
                    return .rollback
                }
                done.signal()
            }
            taken.wait()
        }

        func release() {
            released.signal()
            done.wait()
        }
    }

    @Test("queries answer while a flush waits for the write lock; its rows are read once before and after it commits")
    func queriesDuringAFlush() async throws {
        let temp = try Base.TemporaryDatabase()
        let store = try TimeSeriesStore(path: temp.path, options: .init(chunkRows: 100_000))
        var rng = SplitMix64(seed: 11)
        var model: [Int64: Base.Row] = [:]
        func write(_ count: Int, from start: Int64) async throws {
            var times: [Int64] = []
            var rows: [Base.Row] = []
            for i in 0..<count {
                times.append(start + Int64(i) * 20_000)
                rows.append(Base.randomRow(&rng))
            }
            try await store.append(Base.group, channels: Base.channels, timestamps: times, columns: Base.columns(rows))
            for (t, row) in zip(times, rows) { model[t] = row }
        }
        try await write(3_000, from: 0)
        try await store.flush()  // stored chunks
        try await write(2_000, from: 3_000 * 20_000)  // the head the blocked flush will take
        // Overwrite some stored rows too (late duplicates: the flush rewrites the chunk that holds them).
        try await write(10, from: 1_000 * 20_000)

        // Another connection takes SQLite's write lock, so the store's flush cannot commit.
        let lock = try WriteLock(path: temp.path)
        let flush = Task { try await store.flush() }
        try await Task.sleep(for: .milliseconds(300))
        let pendingDuringFlush = await store.pendingRowCount
        #expect(pendingDuringFlush == 2_010)  // moved to the flush, still held in memory

        // The actor is free: a query and an append finish while the flush waits.
        let clock = ContinuousClock()
        let began = clock.now
        try await Base.expectMatches(store, model)
        let voltage = StoreSeriesKey(group: Base.group, channel: "voltage")
        let buckets = try await store.buckets(voltage, in: 0..<Int64.max, width: 10_000_000)
        #expect(buckets.buckets.reduce(0) { $0 + $1.count } == model.count)
        try await write(500, from: 5_000 * 20_000)
        #expect(clock.now - began < .seconds(5))
        // Still in memory: the 2,010 rows of the waiting flush and the 500 that came after it.
        #expect(await store.pendingRowCount == 2_510)

        lock.release()
        try await flush.value
        #expect(await store.pendingRowCount == 500)  // what arrived during the flush
        try await Base.expectMatches(store, model)
        let after = try await store.buckets(voltage, in: 0..<Int64.max, width: 10_000_000)
        #expect(after.buckets.reduce(0) { $0 + $1.count } == model.count)
        try await store.flush()
        let reopened = try TimeSeriesStore(path: temp.path)
        try await Base.expectMatches(reopened, model)
    }

    @Test("the flush after cancellation (run() ending, a shutdown) still writes every row")
    func flushAfterCancellation() async throws {
        let temp = try Base.TemporaryDatabase()
        let store = try TimeSeriesStore(path: temp.path, options: .init(chunkRows: 100_000, flushInterval: .seconds(60)))
        var rng = SplitMix64(seed: 13)
        var model: [Int64: Base.Row] = [:]
        let times = Array(stride(from: Int64(0), to: 3_000_000, by: 1_000))
        let rows = times.map { _ in Base.randomRow(&rng) }
        try await store.append(Base.group, channels: Base.channels, timestamps: times, columns: Base.columns(rows))
        for (t, row) in zip(times, rows) { model[t] = row }
        let runner = Task { try await store.run() }
        runner.cancel()
        try await runner.value  // its last flush runs in a cancelled task
        #expect(await store.pendingRowCount == 0)
        let reopened = try TimeSeriesStore(path: temp.path)
        try await Base.expectMatches(reopened, model)
    }

    @Test("a flush that fails keeps its rows, in front of the rows that came during it, for the next flush")
    func failedFlushKeepsRows() async throws {
        let temp = try Base.TemporaryDatabase()
        let store = try TimeSeriesStore(path: temp.path, options: .init(chunkRows: 100_000))
        var rng = SplitMix64(seed: 12)
        var model: [Int64: Base.Row] = [:]
        func write(_ times: [Int64]) async throws {
            let rows = times.map { _ in Base.randomRow(&rng) }
            try await store.append(Base.group, channels: Base.channels, timestamps: times, columns: Base.columns(rows))
            for (t, row) in zip(times, rows) { model[t] = row }
        }
        try await write(Array(stride(from: 0, to: 1_000_000, by: 1_000)))
        // The write lock stays taken past SQLite's busy timeout: the flush fails with SQLITE_BUSY.
        let lock = try WriteLock(path: temp.path)
        let flush = Task { try await store.flush() }
        try await Task.sleep(for: .milliseconds(200))
        // Same timestamps again (last write wins) while the flush waits.
        try await write(Array(stride(from: 0, to: 500_000, by: 1_000)))
        try await Base.expectMatches(store, model)
        let result = await flush.result
        #expect(throws: (any Error).self) { try result.get() }
        lock.release()
        #expect(await store.pendingRowCount == 1_500)
        try await Base.expectMatches(store, model)
        try await store.flush()
        let reopened = try TimeSeriesStore(path: temp.path)
        try await Base.expectMatches(reopened, model)
    }
}
