/// Finds CRC-checked MAVLink v1 and v2 frames in a byte stream fed in chunks of any size.
///
/// A candidate frame that fails its checks is never trusted: the scan resumes at the byte after its start
/// byte, so a false 0xFD/0xFE in noise (or a corrupted frame) cannot swallow the good frames that follow.
/// The official C parser and pymavlink skip the claimed length instead and lose those frames.
///
/// Frames are handed on as views into the bytes being fed; only a frame split across two chunks is copied
/// (into a buffer of at most a few hundred bytes).
///
/// ```swift
/// var framer = MAVLinkFramer()
/// framer.feed(chunk) { frame in print(frame.messageID) }
/// framer.finish { frame in ... }   // end of stream: resolve the last partial bytes
/// print(framer.counters.crcFailures)
/// ```
public struct MAVLinkFramer: Sendable {
    /// The message definitions used to check CRCs (CRC_EXTRA) and to name messages.
    public let dialect: MAVLinkDialect
    /// Counters over everything fed so far.
    public var statistics: MAVLinkStatistics {
        var result = counters
        for (slot, id) in sourceIDs.enumerated() { result.sources[id] = sourceStates[slot].counters }
        return result
    }

    /// The counters without the per-sender part, which lives in flat arrays for speed.
    @usableFromInline var counters = MAVLinkStatistics()
    @usableFromInline let lookup: MAVLinkDialectLookup
    @usableFromInline var pending: [UInt8] = []
    @usableFromInline var verifier: MAVLinkSignatureVerifier?
    /// Per sender (`sysid << 8 | compid`): index into `sourceIDs`/`sourceStates`, or -1 before its first frame.
    @usableFromInline var sourceSlots: [Int32]
    @usableFromInline var sourceIDs: [MAVLinkSourceID] = []
    @usableFromInline var sourceStates: [SourceState] = []

    /// Counters and the last sequence number of one sender.
    @usableFromInline
    struct SourceState: Sendable {
        @usableFromInline var counters = MAVLinkSourceStatistics()
        @usableFromInline var lastSequence: UInt8
        @usableFromInline init(lastSequence: UInt8) { self.lastSequence = lastSequence }
    }

    /// Creates a framer for `dialect`, verifying signatures when `signing` is given.
    public init(dialect: MAVLinkDialect = .ardupilotmega, signing: MAVLinkSigningPolicy? = nil) {
        self.dialect = dialect
        self.lookup = dialect.lookup
        self.verifier = signing.map(MAVLinkSignatureVerifier.init(policy:))
        self.sourceSlots = [Int32](repeating: -1, count: 65536)
    }

    // MARK: - Feeding

    /// Feeds the next chunk of the stream; `onFrame` is called for each complete frame, in order.
    ///
    /// The frame passed to `onFrame` is a view valid only during the call.
    @inlinable
    public mutating func feed(
        _ chunk: UnsafeRawBufferPointer, _ onFrame: (MAVLinkFrame) throws -> Void
    ) rethrows {
        counters.bytes &+= chunk.count
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        var offset = 0
        if !pending.isEmpty {
            // A frame may straddle the chunk boundary: join the carried bytes with enough of the chunk to
            // complete any frame that starts in them (a frame is at most 280 bytes), then go on in place.
            let carried = pending.count
            let take = Swift.min(chunk.count, 1024)
            pending.append(contentsOf: UnsafeRawBufferPointer(start: base, count: take))
            let joined = pending
            let resume = try joined.withUnsafeBytes { (buffer) -> Int in
                try scan(buffer.baseAddress!, count: buffer.count, limit: carried, final: false, onFrame)
            }
            if resume < carried {
                // Still waiting for the rest of a frame that starts in the carried bytes (only possible
                // when the whole chunk was appended, as a frame is shorter than the bytes joined).
                pending.removeFirst(resume)
                if take < chunk.count {
                    pending.append(contentsOf: UnsafeRawBufferPointer(start: base + take, count: chunk.count - take))
                }
                return
            }
            pending.removeAll(keepingCapacity: true)
            offset = resume - carried
        }
        let resume = try scan(base + offset, count: chunk.count - offset, limit: chunk.count - offset, final: false, onFrame)
        let rest = chunk.count - offset - resume
        if rest > 0 {
            pending.append(contentsOf: UnsafeRawBufferPointer(start: base + offset + resume, count: rest))
        }
    }

    /// Feeds an array or other contiguous collection of bytes.
    @inlinable
    public mutating func feed(_ chunk: [UInt8], _ onFrame: (MAVLinkFrame) throws -> Void) rethrows {
        try chunk.withUnsafeBytes { (buffer) in try feed(buffer, onFrame) }
    }

    /// Ends the stream: frames still waiting for bytes that will never come are given up, and any good
    /// frame hidden behind them is delivered.
    @inlinable
    public mutating func finish(_ onFrame: (MAVLinkFrame) throws -> Void) rethrows {
        guard !pending.isEmpty else { return }
        let bytes = pending
        pending.removeAll()
        try bytes.withUnsafeBytes { (buffer) in
            let resume = try scan(buffer.baseAddress!, count: buffer.count, limit: buffer.count, final: true, onFrame)
            counters.bytesSkipped &+= buffer.count - resume
        }
    }

    /// Bytes held back waiting for the rest of a frame.
    public var pendingByteCount: Int { pending.count }

    // MARK: - Checking one candidate

    /// Examines the candidate frame at `base[0]` with `available` bytes readable from there.
    ///
    /// This is the whole frame check, used by the framer and by record-oriented readers (.tlog) alike.
    @inlinable
    public func examine(_ base: UnsafeRawPointer, available: Int) -> MAVLinkCandidate {
        Self.examine(base, available: available, lookup: dialect.lookup)
    }

    /// The frame check on its own, to hoist out of a reader's loop.
    @inlinable
    public var checker: MAVLinkFrameChecker { MAVLinkFrameChecker(lookup: dialect.lookup) }

    @inlinable @inline(__always)
    static func examine(
        _ p: UnsafeRawPointer, available: Int, lookup: MAVLinkDialectLookup
    ) -> MAVLinkCandidate {
        let stx = p.load(as: UInt8.self)
        let header: Int
        let total: Int
        let id: Int
        if stx == 0xFE {
            guard available >= 8 else { return .incomplete }
            let length = Int(p.load(fromByteOffset: 1, as: UInt8.self))
            header = 6
            total = length &+ 8
            guard available >= total else { return .incomplete }
            id = Int(p.load(fromByteOffset: 5, as: UInt8.self))
        } else if stx == 0xFD {
            guard available >= 12 else { return .incomplete }
            let word = p.loadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian
            let incompat = UInt8(truncatingIfNeeded: word >> 16)
            guard incompat & ~0x01 == 0 else { return .badIncompatFlags }
            header = 10
            total = Int(UInt8(truncatingIfNeeded: word >> 8)) &+ 12 &+ (incompat == 1 ? 13 : 0)
            guard available >= total else { return .incomplete }
            id = Int(word >> 56) | Int(p.load(fromByteOffset: 8, as: UInt8.self)) << 8
                | Int(p.load(fromByteOffset: 9, as: UInt8.self)) << 16
        } else {
            return .notStartByte
        }
        let payloadEnd = header &+ Int(p.load(fromByteOffset: 1, as: UInt8.self))
        let sent = UInt16(p.load(fromByteOffset: payloadEnd, as: UInt8.self))
            | UInt16(p.load(fromByteOffset: payloadEnd &+ 1, as: UInt8.self)) << 8
        guard id < lookup.slotCount, case let slot = Int(lookup.slots[id]), slot >= 0 else {
            // No CRC_EXTRA to check against; still reject bytes that no CRC_EXTRA could validate.
            let crc = CRC16MCRF4XX.slicing16(0xFFFF, p + 1, payloadEnd &- 1, tables: lookup.crcTables)
            return CRC16MCRF4XX.someExtraMatches(crc, sent: sent) ? .unknown(length: total) : .badChecksum
        }
        let crc = CRC16MCRF4XX.frameChecksum(
            p + 1, payloadEnd &- 1, extra: lookup.checks[slot].crcExtra, tables: lookup.crcTables)
        return crc == sent ? .frame(length: total, messageIndex: slot) : .badChecksum
    }

    // MARK: - Record-oriented input

    /// Delivers a frame that `examine` accepted (`.frame`) or that a container format vouches for (`.unknown`
    /// judged `.accept`): applies the signing policy, counts it and calls `onFrame`.
    ///
    /// Returns false when the signing policy rejected the frame (its bytes are then counted as skipped).
    @inlinable @discardableResult
    public mutating func deliver(
        _ base: UnsafeRawPointer, length: Int, messageIndex: Int?, _ onFrame: (MAVLinkFrame) throws -> Void
    ) rethrows -> Bool {
        try accept(base, length: length, messageIndex: messageIndex, onFrame)
    }

    /// Counts a candidate that a container reader rejected (CRC or flags).
    public mutating func countRejected(_ candidate: MAVLinkCandidate) {
        switch candidate {
        case .badChecksum: counters.crcFailures &+= 1
        case .badIncompatFlags: counters.incompatRejected &+= 1
        default: break
        }
    }

    /// Counts bytes a container reader received (its own framing included).
    public mutating func countReceived(_ n: Int) { counters.bytes &+= n }

    /// Counts bytes a container reader skipped as not part of any frame.
    public mutating func countSkipped(_ n: Int) { counters.bytesSkipped &+= n }

    // MARK: - Scanning

    /// Delivers every frame starting before `limit` in `base[0..<count]`; returns the offset of the first byte
    /// not yet resolved (the start of an incomplete frame), or where it stopped at `limit`.
    @inlinable
    mutating func scan(
        _ base: UnsafeRawPointer, count: Int, limit: Int, final: Bool, _ onFrame: (MAVLinkFrame) throws -> Void
    ) rethrows -> Int {
        let lookup = self.lookup
        var i = 0
        var skipped = 0
        defer { counters.bytesSkipped &+= skipped }
        while i < limit {
            let byte = base.load(fromByteOffset: i, as: UInt8.self)
            if byte &- 0xFD >= 2 {
                let next = StartByteScanner.firstStartByte(in: base, from: i &+ 1, to: limit)
                skipped &+= next &- i
                i = next
                continue
            }
            let candidate = Self.examine(base + i, available: count &- i, lookup: lookup)
            switch candidate {
            case .frame(let length, let index):
                try accept(base + i, length: length, messageIndex: index, onFrame)
                i &+= length
            case .unknown(let length):
                switch Self.judgeUnknown(
                    base, at: i, length: length, count: count, final: final, lookup: lookup)
                {
                case .accept:
                    try accept(base + i, length: length, messageIndex: nil, onFrame)
                    i &+= length
                case .reject:
                    skipped &+= 1
                    i &+= 1
                case .wait:
                    return i
                }
            case .badChecksum:
                counters.crcFailures &+= 1
                skipped &+= 1
                i &+= 1
            case .badIncompatFlags:
                counters.incompatRejected &+= 1
                skipped &+= 1
                i &+= 1
            case .incomplete:
                if !final { return i }
                skipped &+= 1
                i &+= 1
            case .notStartByte:
                skipped &+= 1
                i &+= 1
            }
        }
        return i
    }

    /// Decides whether a structurally complete frame with an id the dialect lacks (so no full CRC check) is real.
    ///
    /// `examine` already required its CRC to be reachable by some CRC_EXTRA (1 in 256 for random bytes). It is
    /// passed through unless a CRC-valid known frame starts inside it: accepting it must never swallow a frame
    /// we can prove, so a false start with an unknown id costs at most one junk `UNKNOWN_<id>` frame.
    @inlinable
    static func judgeUnknown(
        _ base: UnsafeRawPointer, at i: Int, length: Int, count: Int, final: Bool,
        lookup: MAVLinkDialectLookup
    ) -> MAVLinkUnknownVerdict {
        let end = i &+ length
        var j = StartByteScanner.firstStartByte(in: base, from: i &+ 1, to: end)
        while j < end {
            switch examine(base + j, available: count &- j, lookup: lookup) {
            case .frame: return .reject
            case .incomplete: if !final { return .wait }
            default: break
            }
            j = StartByteScanner.firstStartByte(in: base, from: j &+ 1, to: end)
        }
        return .accept
    }

    /// Applies the signing policy, counts the frame and hands it on; false if the policy rejected it.
    @inlinable @discardableResult
    mutating func accept(
        _ p: UnsafeRawPointer, length: Int, messageIndex: Int?, _ onFrame: (MAVLinkFrame) throws -> Void
    ) rethrows -> Bool {
        let frame = MAVLinkFrame(start: p, length: length, messageIndex: messageIndex)
        if verifier != nil {
            let verdict = verifier!.verify(
                UnsafeRawBufferPointer(start: p, count: length), signed: frame.isSigned, systemID: frame.systemID,
                componentID: frame.componentID)
            switch verdict {
            case .accepted: counters.signaturesVerified &+= 1
            case .unsignedAllowed: break
            case .badSignature:
                counters.badSignatures &+= 1
                counters.bytesSkipped &+= length
                return false
            case .replayed:
                counters.replayedSignatures &+= 1
                counters.bytesSkipped &+= length
                return false
            case .unsignedRejected:
                counters.unsignedRejected &+= 1
                counters.bytesSkipped &+= length
                return false
            }
        }
        if messageIndex == nil { counters.unknownIDs &+= 1 }
        count(frame)
        try onFrame(frame)
        return true
    }

    /// Updates the counters for an accepted frame.
    @inlinable
    mutating func count(_ frame: MAVLinkFrame) {
        // Header bytes read once here (v1: seq at 2, v2: seq at 4; sysid and compid follow).
        let p = frame.start
        let isV1 = p.load(as: UInt8.self) == 0xFE
        let o = isV1 ? 2 : 4
        let sequence = p.load(fromByteOffset: o, as: UInt8.self)
        let systemID = p.load(fromByteOffset: o &+ 1, as: UInt8.self)
        let componentID = p.load(fromByteOffset: o &+ 2, as: UInt8.self)
        counters.frames &+= 1
        if isV1 {
            counters.framesV1 &+= 1
        } else {
            counters.framesV2 &+= 1
            counters.signedFrames &+= Int(p.load(fromByteOffset: 2, as: UInt8.self) & 0x01)
            let index = frame.index
            if index >= 0, Int(p.load(fromByteOffset: 1, as: UInt8.self)) < Int(lookup.checks[index].maxLength) {
                counters.truncatedPayloads &+= 1
            }
        }
        let source = Int(systemID) << 8 | Int(componentID)
        let slot = sourceSlots.withUnsafeBufferPointer { Int($0[source]) }
        if slot < 0 {
            sourceSlots[source] = Int32(sourceIDs.count)
            sourceIDs.append(MAVLinkSourceID(systemID: systemID, componentID: componentID))
            var state = SourceState(lastSequence: sequence)
            state.counters.frames = 1
            sourceStates.append(state)
            return
        }
        sourceStates.withUnsafeMutableBufferPointer { states in
            let gap = Int(sequence &- states[slot].lastSequence &- 1)
            states[slot].lastSequence = sequence
            states[slot].counters.frames &+= 1
            if gap != 0 {
                states[slot].counters.sequenceGaps &+= 1
                states[slot].counters.framesLost &+= gap
            }
        }
    }
}

/// Checks candidate frames against a dialect; cheap to copy, safe to keep for the life of a loop.
public struct MAVLinkFrameChecker: Sendable {
    @usableFromInline let lookup: MAVLinkDialectLookup

    @inlinable
    init(lookup: MAVLinkDialectLookup) {
        self.lookup = lookup
    }

    /// Examines the candidate frame at `base[0]` with `available` bytes readable from there.
    @inlinable
    public func examine(_ base: UnsafeRawPointer, available: Int) -> MAVLinkCandidate {
        MAVLinkFramer.examine(base, available: available, lookup: lookup)
    }

    /// Judges an `.unknown(length:)` candidate at `base[0]`: rejected when a CRC-valid known frame starts
    /// inside it, `.wait` when one might but the bytes are not all there yet (and `final` is false).
    @inlinable
    public func judgeUnknown(_ base: UnsafeRawPointer, length: Int, available: Int, final: Bool)
        -> MAVLinkUnknownVerdict
    {
        MAVLinkFramer.judgeUnknown(base, at: 0, length: length, count: available, final: final, lookup: lookup)
    }
}

/// Whether an unknown-id frame (which no CRC_EXTRA can fully check) is passed through.
public enum MAVLinkUnknownVerdict: Sendable, Equatable {
    case accept
    /// A CRC-valid known frame starts inside it: it is noise.
    case reject
    /// More bytes are needed to decide.
    case wait
}

/// The verdict on the bytes at one position: a checked frame, an unknown id, or why it is not a frame.
public enum MAVLinkCandidate: Sendable, Equatable {
    /// A frame of a known message whose CRC matched.
    case frame(length: Int, messageIndex: Int)
    /// A structurally complete frame whose id the dialect does not define (its CRC cannot be checked).
    case unknown(length: Int)
    /// The CRC did not match.
    case badChecksum
    /// MAVLink 2 incompatibility flags other than "signed" were set.
    case badIncompatFlags
    /// More bytes are needed to decide.
    case incomplete
    /// The first byte is not 0xFD or 0xFE.
    case notStartByte
}
