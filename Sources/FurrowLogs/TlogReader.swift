import FurrowWire

/// Byte order of the 8-byte timestamps in a .tlog.
public enum TlogTimestampOrder: String, Sendable {
    /// As pymavlink, MAVProxy and mavlink-router write them.
    case bigEndian = "big-endian"
    /// As some QGroundControl-era tools wrote them (a host-order memcpy on x86/ARM).
    case littleEndian = "little-endian"
}

/// One .tlog record: when the logger received the frame, on which link, and the frame.
public struct TlogRecord {
    /// The raw 64-bit timestamp as stored: microseconds since the Unix epoch, low 2 bits = link number.
    public let rawTimestamp: UInt64
    /// Microseconds since the Unix epoch with the link bits cleared.
    @inlinable public var timestampMicros: Int64 { Int64(bitPattern: rawTimestamp & ~3) }
    /// The link number MAVProxy stores in the low 2 bits.
    @inlinable public var linkID: UInt8 { UInt8(rawTimestamp & 3) }
    /// Seconds since the Unix epoch exactly as pymavlink computes them (`tusec * 1.0e-6`).
    @inlinable public var pymavlinkTimestamp: Double { Double(rawTimestamp) * 1.0e-6 }
    /// The frame, a view valid only during the callback.
    public let frame: MAVLinkFrame

    @inlinable
    init(rawTimestamp: UInt64, frame: MAVLinkFrame) {
        self.rawTimestamp = rawTimestamp
        self.frame = frame
    }

    /// A record of a frame received at `timestampMicros` (UTC), e.g. read back from the raw archive.
    @inlinable
    public init(timestampMicros: Int64, frame: MAVLinkFrame) {
        self.init(rawTimestamp: UInt64(bitPattern: timestampMicros) & ~3, frame: frame)
    }
}

/// What the reader saw beyond the framer's own counters.
public struct TlogStatistics: Sendable, Hashable {
    /// Records delivered (a record whose frame the signing policy rejected is not counted).
    public var records = 0
    /// Times the reader lost the record structure and searched for the next plausible record.
    public var resyncs = 0
    /// Timestamp byte order detected from the first records (nil until known).
    public var timestampOrder: TlogTimestampOrder?
    public init() {}
}

/// Reads a .tlog stream (8-byte timestamp + one MAVLink frame, repeated) fed in chunks of any size.
///
/// The timestamp byte order is detected from the first record. After corruption the reader looks for
/// the next position where a plausible timestamp (within three days of the last good one, as pymavlink
/// does) is followed by a CRC-valid frame, and counts the bytes in between as skipped. A .tlog is never
/// treated as a raw stream: timestamps contain 0xFD/0xFE bytes often enough to create false frames.
public struct TlogReader: Sendable {
    /// The framer that checks frames and keeps the MAVLink counters.
    public var framer: MAVLinkFramer { framerStorage }
    /// Reader counters.
    public var statistics: TlogStatistics { statisticsStorage }

    @usableFromInline var framerStorage: MAVLinkFramer
    @usableFromInline var statisticsStorage = TlogStatistics()

    @usableFromInline var carry: [UInt8] = []
    @usableFromInline var lastTimestamp: UInt64?
    @usableFromInline var bigEndian = true
    @usableFromInline var orderKnown = false
    /// Searching for the next plausible record; kept across chunks so that where a chunk ends never changes
    /// what is counted (a search that ran out of bytes resumes as a search, not as a record attempt).
    @usableFromInline var resyncing = false

    /// Microseconds allowed between consecutive records before a timestamp is implausible (3 days).
    @usableFromInline static let window: UInt64 = 3 * 24 * 3600 * 1_000_000
    /// 2000-01-01 and 2100-01-01 in µs: bounds for a first timestamp.
    @usableFromInline static let plausibleRange: ClosedRange<UInt64> = 946_684_800_000_000...4_102_444_800_000_000

    /// Whether `prefix` (the first bytes of a file) starts like a .tlog: a wall-clock timestamp in either byte
    /// order, then a MAVLink start byte.
    public static func looksLikeTlog(_ prefix: UnsafeRawBufferPointer) -> Bool {
        guard prefix.count >= 9, prefix[8] == 0xFD || prefix[8] == 0xFE else { return false }
        let raw = prefix.loadUnaligned(as: UInt64.self)
        return plausibleRange.contains(UInt64(bigEndian: raw)) || plausibleRange.contains(UInt64(littleEndian: raw))
    }

    public init(framer: MAVLinkFramer = MAVLinkFramer()) {
        self.framerStorage = framer
    }

    /// Feeds the next chunk; `onRecord` is called for every record, in order.
    @inlinable
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ onRecord: (TlogRecord) throws -> Void)
        rethrows
    {
        framerStorage.countReceived(chunk.count)
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        var offset = 0
        if !carry.isEmpty {
            let carried = carry.count
            let take = Swift.min(chunk.count, 4096)
            carry.append(contentsOf: UnsafeRawBufferPointer(start: base, count: take))
            let joined = carry
            let resume = try joined.withUnsafeBytes { (buffer) -> Int in
                try scan(buffer.baseAddress!, count: buffer.count, limit: carried, final: false, onRecord)
            }
            if resume < carried {
                carry.removeFirst(resume)
                // A record never needs more look-ahead than the bytes joined here; keep every byte regardless.
                if take < chunk.count {
                    carry.append(contentsOf: UnsafeRawBufferPointer(start: base + take, count: chunk.count - take))
                }
                return
            }
            carry.removeAll(keepingCapacity: true)
            offset = resume - carried
        }
        let count = chunk.count - offset
        let resume = try scan(base + offset, count: count, limit: count, final: false, onRecord)
        if resume < count {
            carry.append(contentsOf: UnsafeRawBufferPointer(start: base + offset + resume, count: count - resume))
        }
    }

    /// Feeds an array of bytes.
    @inlinable
    public mutating func feed(_ chunk: [UInt8], _ onRecord: (TlogRecord) throws -> Void) rethrows {
        try chunk.withUnsafeBytes { (buffer) in try feed(buffer, onRecord) }
    }

    /// Ends the stream: a trailing partial record is counted as skipped.
    @inlinable
    public mutating func finish(_ onRecord: (TlogRecord) throws -> Void) rethrows {
        guard !carry.isEmpty else { return }
        let bytes = carry
        carry.removeAll()
        try bytes.withUnsafeBytes { (buffer) in
            let resume = try scan(buffer.baseAddress!, count: buffer.count, limit: buffer.count, final: true, onRecord)
            framerStorage.countSkipped(buffer.count - resume)
        }
    }

    // MARK: - Scanning

    @inlinable
    func timestamp(at p: UnsafeRawPointer, bigEndian: Bool) -> UInt64 {
        let raw = p.loadUnaligned(as: UInt64.self)
        return bigEndian ? UInt64(bigEndian: raw) : UInt64(littleEndian: raw)
    }

    @inlinable
    func plausible(_ t: UInt64) -> Bool {
        if let last = lastTimestamp {
            return t >= last ? t - last <= Self.window : last - t <= Self.window
        }
        return Self.plausibleRange.contains(t)
    }

    /// Delivers records starting before `limit`; returns the first unresolved offset.
    @inlinable
    mutating func scan(
        _ base: UnsafeRawPointer, count: Int, limit: Int, final: Bool, _ onRecord: (TlogRecord) throws -> Void
    ) rethrows -> Int {
        let checker = framerStorage.checker
        var i = 0
        while i < limit {
            if resyncing {
                switch resync(base, from: i, count: count, final: final) {
                case .found(let next):
                    framerStorage.countSkipped(next - i)
                    i = next
                    resyncing = false
                    continue
                case .undecided(let next):
                    framerStorage.countSkipped(next - i)
                    if final {
                        framerStorage.countSkipped(count - next)
                        return count
                    }
                    return next
                }
            }
            if !orderKnown {
                guard detectOrder(base + i, available: count - i) else {
                    if count - i < 8 + 280 && !final { return i }
                    // No record at i in either byte order: search from the next byte.
                    framerStorage.countSkipped(1)
                    i += 1
                    resyncing = true
                    continue
                }
            }
            guard count - i >= 8 + 8 else {
                if final { break }
                return i
            }
            let t = timestamp(at: base + i, bigEndian: bigEndian)
            let frameStart = base + i + 8
            let after = i + 8
            var delivered: Int? = nil
            var accepted = false
            if plausible(t) {
                let candidate = checker.examine(frameStart, available: count - after)
                switch candidate {
                case .frame(let length, let index):
                    accepted = try framerStorage.deliver(frameStart, length: length, messageIndex: index) { frame in
                        try onRecord(TlogRecord(rawTimestamp: t, frame: frame))
                    }
                    delivered = length
                case .unknown(let length):
                    // Plausible timestamp, start byte, CRC reachable by some CRC_EXTRA: pass it through unless
                    // a frame we can prove starts inside it.
                    switch checker.judgeUnknown(frameStart, length: length, available: count - after, final: final) {
                    case .accept:
                        accepted = try framerStorage.deliver(frameStart, length: length, messageIndex: nil) { frame in
                            try onRecord(TlogRecord(rawTimestamp: t, frame: frame))
                        }
                        delivered = length
                    case .wait:
                        return i
                    case .reject:
                        break
                    }
                case .incomplete:
                    if !final { return i }
                case .badChecksum, .badIncompatFlags:
                    framerStorage.countRejected(candidate)
                case .notStartByte:
                    break
                }
            }
            if let length = delivered {
                // A well-formed record; one the signing policy rejected is skipped whole (its frame bytes were
                // counted by the framer), but the record structure holds, so no search.
                if accepted {
                    statisticsStorage.records += 1
                } else {
                    framerStorage.countSkipped(8)
                }
                lastTimestamp = t
                i = after + length
                continue
            }
            // Corrupt or misaligned: search for the next plausible record from the next byte.
            statisticsStorage.resyncs += 1
            framerStorage.countSkipped(1)
            i += 1
            resyncing = true
        }
        return i
    }

    /// Detects the timestamp byte order from a record at `p`; false if neither order gives a record here.
    @inlinable
    mutating func detectOrder(_ p: UnsafeRawPointer, available: Int) -> Bool {
        guard available >= 8 + 12 else { return false }
        let stx = p.load(fromByteOffset: 8, as: UInt8.self)
        guard stx == 0xFD || stx == 0xFE else { return false }
        guard case .frame = framerStorage.examine(p + 8, available: available - 8) else { return false }
        let raw = p.loadUnaligned(as: UInt64.self)
        if Self.plausibleRange.contains(UInt64(bigEndian: raw)) {
            bigEndian = true
        } else if Self.plausibleRange.contains(UInt64(littleEndian: raw)) {
            bigEndian = false
        } else {
            // Not wall-clock time (a logger with a boot-relative clock): keep the standard order and do not
            // judge plausibility against calendar bounds.
            bigEndian = true
            lastTimestamp = UInt64(bigEndian: raw)
        }
        orderKnown = true
        statisticsStorage.timestampOrder = bigEndian ? .bigEndian : .littleEndian
        return true
    }

    /// Where the search for the next record ended.
    @usableFromInline
    enum Resync {
        /// A plausible timestamp followed by a CRC-valid frame starts here.
        case found(Int)
        /// Nothing found yet; bytes before this offset can never start a record, bytes from it might once
        /// more data arrives.
        case undecided(Int)
    }

    /// Searches from `from` for a plausible timestamp followed by a CRC-valid frame.
    @inlinable
    func resync(_ base: UnsafeRawPointer, from: Int, count: Int, final: Bool) -> Resync {
        var j = from + 8
        while true {
            j = StartByteScanner.firstStartByte(in: base, from: j, to: count)
            guard j < count else { return .undecided(Swift.max(from, count - 8)) }
            let candidate = framerStorage.examine(base + j, available: count - j)
            if case .incomplete = candidate, !final { return .undecided(j - 8) }
            switch candidate {
            case .frame:
                let t = timestamp(at: base + j - 8, bigEndian: bigEndian)
                if !orderKnown || plausible(t) { return .found(j - 8) }
            case .unknown(let length) where orderKnown:
                // An unknown id after garbage: only with a plausible time and nothing provable inside it.
                let t = timestamp(at: base + j - 8, bigEndian: bigEndian)
                if plausible(t) {
                    switch framerStorage.checker.judgeUnknown(base + j, length: length, available: count - j, final: final) {
                    case .accept: return .found(j - 8)
                    case .wait: return .undecided(j - 8)
                    case .reject: break
                    }
                }
            default:
                break
            }
            j += 1
        }
    }
}
