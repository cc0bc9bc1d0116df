import GRDB

// MARK: - Sealing on demand

extension RawArchive {
    /// Seals every open segment whose first record is `maximumSegmentAge` older than `now` (µs since the
    /// epoch), in one transaction. Call it periodically (e.g. every second, with the receive clock) so a
    /// source that went quiet still reaches the database within the age.
    public func sealExpired(now: Int64) async throws {
        // Entries emptied by a seal go too, so sources that stopped leave nothing behind.
        let keys = open.compactMap { key, segment in
            segment.recordCount == 0 || segment.isExpired(at: now, maximumAge: maximumAge) ? key : nil
        }
        var expired: [RawSegmentBuilder] = []
        for key in keys {
            if let segment = open.removeValue(forKey: key), segment.recordCount > 0 {
                openRawBytes &-= segment.buffer.count
                expired.append(segment)
            }
        }
        if !expired.isEmpty || !pending.isEmpty {
            try await seal(expired)
        }
    }

    /// Seals every open segment in one transaction and waits for the seals already under way, so
    /// everything appended before the call is committed (or its error was thrown to its appender and it
    /// is pending) when it returns; then retries pending segments. Call it on graceful shutdown and
    /// before reading back what was just appended.
    ///
    /// Seals started by appends after this call are not waited for, so a flush finishes under any load.
    public func flush() async throws {
        let segments = open.values.filter { $0.recordCount > 0 }
        open.removeAll()
        openRawBytes = 0
        let before = nextSealID
        if !segments.isEmpty || !pending.isEmpty {
            try await seal(segments)
        }
        if let oldest = sealsInFlight.min(), oldest < before {
            await withCheckedContinuation { flushWaiters.append((before, $0)) }
        }
        if !pending.isEmpty {
            try await seal([])
        }
    }

    /// Running totals of the write side (open and pending bytes are not in the database yet).
    public var counters: RawArchiveCounters {
        var counters = totals
        for segment in open.values where segment.recordCount > 0 {
            counters.openSegments &+= 1
            counters.openBytes &+= segment.byteCount
        }
        counters.pendingSegments = pending.count
        counters.pendingBytes = pending.reduce(0) { $0 &+ $1.byteCount }
        return counters
    }

    // MARK: - Sealing

    /// Compresses `segments` off the actor, then commits them and any pending ones in one transaction.
    ///
    /// The actor is free while this awaits (compression on the global executor, the write on GRDB's
    /// writer queue), so other sources keep appending and other seals run at the same time.
    func seal(_ segments: [RawSegmentBuilder]) async throws {
        let id = nextSealID
        nextSealID &+= 1
        sealsInFlight.insert(id)
        defer {
            sealsInFlight.remove(id)
            resumeFlushes()
        }
        let sealed = await Self.compress(segments, level: level)
        // Taken after the compression, right before writing, so a retry carries whatever failed meanwhile.
        var batch = pending
        pending.removeAll()
        batch.append(contentsOf: sealed)
        guard !batch.isEmpty else { return }
        let rows = batch
        do {
            try await database.write { db in
                for segment in rows { try segment.insert(db) }
            }
        } catch {
            keepPending(batch)
            throw error
        }
        totals.storedSegments &+= batch.count
        for segment in batch {
            totals.storedBytes &+= segment.byteCount
            totals.storedBlobBytes &+= segment.data.count
        }
    }

    /// Deflates segments on the global concurrent executor, so the actor keeps taking appends meanwhile
    /// and seals triggered by different tasks use every core.
    @concurrent
    nonisolated static func compress(_ segments: [RawSegmentBuilder], level: Int32) async -> [RawSealedSegment] {
        segments.map { RawSealedSegment($0, level: level) }
    }

    /// Resumes the flushes whose earlier seals have all finished.
    func resumeFlushes() {
        guard !flushWaiters.isEmpty else { return }
        let oldest = sealsInFlight.min() ?? .max
        flushWaiters.removeAll { waiter in
            guard waiter.before <= oldest else { return false }
            waiter.continuation.resume()
            return true
        }
    }

    /// Puts segments whose write failed back in front of the queue, dropping the oldest beyond
    /// `maximumPendingBytes`.
    func keepPending(_ batch: [RawSealedSegment]) {
        // `pending` was emptied when this batch was taken, so whatever is there now came later.
        pending = batch + pending
        var bytes = pending.reduce(0) { $0 &+ $1.data.count }
        var dropped = 0
        while bytes > configuration.maximumPendingBytes, dropped < pending.count {
            bytes &-= pending[dropped].data.count
            totals.droppedSegments &+= 1
            totals.droppedBytes &+= pending[dropped].byteCount
            dropped &+= 1
        }
        pending.removeFirst(dropped)
    }
}
