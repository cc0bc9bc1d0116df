import FurrowLogs
import FurrowWire

/// What a .tlog reader delivered over a whole input: comparable across chunk plans.
struct TlogOutcome {
    struct Record: Equatable {
        let rawTimestamp: UInt64
        let frame: [UInt8]
    }

    var records: [Record] = []
    var framer = MAVLinkStatistics()
    var reader = TlogStatistics()

    static func requireSame(_ a: TlogOutcome, _ b: TlogOutcome, what: String) {
        require(a.records.count == b.records.count, "\(what): \(a.records.count) vs \(b.records.count) records")
        if let i = a.records.indices.first(where: { a.records[$0] != b.records[$0] }) {
            require(false, "\(what): record \(i) differs: \(a.records[i]) vs \(b.records[i])")
        }
        var (framerA, framerB, readerA, readerB) = (a.framer, b.framer, a.reader, b.reader)
        if FuzzOptions.lenientTlogCounters {
            // Known: after a resync stops for lack of bytes, the next chunk resumes as a record attempt, which
            // counts rejections and a resync that the unsplit stream's resync search does not (README.md).
            (framerA.crcFailures, framerB.crcFailures) = (0, 0)
            (framerA.incompatRejected, framerB.incompatRejected) = (0, 0)
            (readerA.resyncs, readerB.resyncs) = (0, 0)
        }
        require(framerA == framerB, "\(what): framer counters differ: \(a.framer) vs \(b.framer)")
        require(readerA == readerB, "\(what): reader counters differ: \(a.reader) vs \(b.reader)")
    }
}

/// One .tlog reader over one chunk plan.
struct TlogRun {
    let input: UnsafeRawBufferPointer
    let plan: ChunkPlan
    let signing: SigningMode

    func run() -> TlogOutcome {
        var reader = TlogReader(framer: signing.framer)
        var tally = FrameTally()
        var outcome = TlogOutcome()
        var inPlaceEnd = 0
        let deep = signing == .none && plan.isWhole
        plan.forEachChunk(of: input) { chunk, chunkOffset in
            reader.feed(chunk) { record in
                FrameChecks.check(record.frame, signing: signing, deep: deep)
                record.frame.withUnsafeBytes { b in
                    if let p = b.baseAddress, let base = chunk.baseAddress, p >= base, p < base + chunk.count {
                        let offset = p - base
                        require(offset + b.count <= chunk.count, "record frame at \(offset) of \(b.count) bytes past a \(chunk.count)-byte chunk")
                        // The timestamp sits right before the frame, in either byte order.
                        if offset >= 8 {
                            let raw = UnsafeRawBufferPointer(rebasing: chunk[(offset - 8)..<offset]).loadUnaligned(as: UInt64.self)
                            require(
                                record.rawTimestamp == UInt64(bigEndian: raw) || record.rawTimestamp == UInt64(littleEndian: raw),
                                "record timestamp \(record.rawTimestamp) is not the 8 bytes before its frame")
                            require(chunkOffset + offset - 8 >= inPlaceEnd, "record at \(chunkOffset + offset - 8) overlaps the previous one")
                        }
                        inPlaceEnd = chunkOffset + offset + b.count
                    }
                    outcome.records.append(TlogOutcome.Record(rawTimestamp: record.rawTimestamp, frame: Array(b)))
                }
                require(record.timestampMicros == Int64(bitPattern: record.rawTimestamp & ~3), "timestampMicros")
                require(record.linkID == UInt8(record.rawTimestamp & 3), "linkID")
                tally.add(record.frame)
                if FuzzOptions.trace {
                    trace("  record @\(chunkOffset)+ t=\(record.rawTimestamp) \(record.frame.bytes.count) bytes: \(hex(record.frame.bytes))")
                }
            }
        }
        reader.finish { record in
            FrameChecks.check(record.frame, signing: signing, deep: deep)
            outcome.records.append(TlogOutcome.Record(rawTimestamp: record.rawTimestamp, frame: record.frame.bytes))
            tally.add(record.frame)
        }
        outcome.framer = reader.framer.statistics
        outcome.reader = reader.statistics
        if FuzzOptions.trace {
            trace("tlog \(signing) \(plan.name): \(outcome.records.count) records, \(outcome.reader), \(outcome.framer)")
        }
        let s = outcome.framer
        tally.requireConsistent(with: s, inputCount: input.count, signing: signing, tlog: true)
        let rejected = s.badSignatures + s.replayedSignatures + s.unsignedRejected
        // `records` also counts records whose frame the signing policy then rejected (see README.md).
        require(
            outcome.reader.records == tally.frames || outcome.reader.records == tally.frames + rejected,
            "records counter \(outcome.reader.records), \(tally.frames) delivered, \(rejected) rejected")
        // Every byte is a record's timestamp, a delivered frame, or skipped (rejected frames count as skipped).
        require(
            8 * outcome.reader.records + tally.bytes + s.bytesSkipped == input.count,
            "8 × \(outcome.reader.records) records + \(tally.bytes) frame bytes + \(s.bytesSkipped) skipped != \(input.count)")
        require(outcome.reader.records == 0 || outcome.reader.timestampOrder != nil, "records without a timestamp order")
        return outcome
    }
}
