/// CRC-16/MCRF4XX, the checksum of every MAVLink frame (poly 0x1021 reflected, init 0xFFFF, no final XOR).
///
/// The byte-at-a-time form is what the official C parser runs per received byte; Furrow checks whole
/// frames at once with slicing-by-16 tables (16 table lookups per 16 bytes, no data-dependent branch),
/// which is several times faster on the short frames MAVLink carries.
///
/// ```swift
/// var crc = CRC16MCRF4XX()
/// crc.update(bytes)          // any contiguous bytes
/// crc.update(byte: crcExtra) // MAVLink appends the message's CRC_EXTRA
/// let value = crc.value
/// ```
public struct CRC16MCRF4XX: Sendable, Hashable {
    /// The running register; the checksum once all bytes are in.
    public var value: UInt16

    /// Starts a checksum with the MAVLink initial value 0xFFFF.
    @inlinable
    public init(value: UInt16 = 0xFFFF) {
        self.value = value
    }

    /// Adds one byte (the reference byte step from `checksum.h`).
    @inlinable
    public mutating func update(byte: UInt8) {
        var t = byte ^ UInt8(truncatingIfNeeded: value)
        t ^= t << 4
        let t16 = UInt16(t)
        value = (value >> 8) ^ (t16 << 8) ^ (t16 << 3) ^ (t16 >> 4)
    }

    /// Adds contiguous bytes.
    @inlinable
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        value = CRC16MCRF4XX.slicing16(value, bytes.baseAddress, bytes.count)
    }

    /// Adds the bytes of any contiguous collection.
    @inlinable
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            self.update(UnsafeRawBufferPointer(buffer))
        }
        if done == nil {
            for byte in bytes { update(byte: byte) }
        }
    }

    /// The checksum of `bytes` from the initial value.
    @inlinable
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc = CRC16MCRF4XX()
        crc.update(bytes)
        return crc.value
    }

    // MARK: - Slicing-by-16

    /// Runs the table-driven CRC over `count` bytes at `base`.
    ///
    /// Invariant: `base` points at `count` readable bytes (callers validated the range once).
    @inlinable
    static func slicing16(
        _ crc: UInt16, _ base: UnsafeRawPointer?, _ count: Int, tables: UnsafePointer<UInt16> = CRC16Tables.shared.pointer
    ) -> UInt16 {
        guard let base, count > 0 else { return crc }
        let t = tables
        let (crc, p, n) = blocks16(UInt32(crc), base, count, t)
        return UInt16(truncatingIfNeeded: tail(crc, p, n, extra: nil, t))
    }

    /// The CRC of a MAVLink frame: `count` bytes at `base` followed by the message's CRC_EXTRA byte.
    @inlinable
    static func frameChecksum(_ base: UnsafeRawPointer, _ count: Int, extra: UInt8) -> UInt16 {
        frameChecksum(base, count, extra: extra, tables: CRC16Tables.shared.pointer)
    }

    /// `frameChecksum` with the tables passed in, so a hot loop does not re-check the lazy global per frame.
    @inlinable
    static func frameChecksum(_ base: UnsafeRawPointer, _ count: Int, extra: UInt8, tables t: UnsafePointer<UInt16>)
        -> UInt16
    {
        let (crc, p, n) = blocks16(0xFFFF, base, count, t)
        return UInt16(truncatingIfNeeded: tail(crc, p, n, extra: extra, t))
    }

    /// Whether some CRC_EXTRA byte would turn `crc` (over a frame's bytes) into `sent`.
    ///
    /// For a message id the dialect does not define, the CRC cannot be checked, but a genuine frame always
    /// has such a byte (its own CRC_EXTRA) while corrupt bytes have one only 1 time in 256: an 8-bit check
    /// instead of none. The final byte step maps the 256 possible extras to 256 distinct table entries, so
    /// the test is membership of `sent ^ (crc >> 8)` in the first table.
    @inlinable
    static func someExtraMatches(_ crc: UInt16, sent: UInt16) -> Bool {
        let wanted = Int(sent ^ (crc >> 8))
        let bitmap = CRC16Tables.shared.firstTableValues
        return bitmap[wanted >> 6] & (1 << UInt64(wanted & 63)) != 0
    }

    /// Consumes whole 16-byte blocks; returns the register and what is left.
    @inlinable @inline(__always)
    static func blocks16(_ crc: UInt32, _ base: UnsafeRawPointer, _ count: Int, _ t: UnsafePointer<UInt16>)
        -> (UInt32, UnsafeRawPointer, Int)
    {
        var crc = crc
        var p = base
        var n = count
        while n >= 16 {
            let a = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)) ^ UInt64(crc)
            let b = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            var r = UInt32(t[15 &* 256 &+ Int(a & 0xFF)])
            r ^= UInt32(t[14 &* 256 &+ Int((a >> 8) & 0xFF)])
            r ^= UInt32(t[13 &* 256 &+ Int((a >> 16) & 0xFF)])
            r ^= UInt32(t[12 &* 256 &+ Int((a >> 24) & 0xFF)])
            r ^= UInt32(t[11 &* 256 &+ Int((a >> 32) & 0xFF)])
            r ^= UInt32(t[10 &* 256 &+ Int((a >> 40) & 0xFF)])
            r ^= UInt32(t[9 &* 256 &+ Int((a >> 48) & 0xFF)])
            r ^= UInt32(t[8 &* 256 &+ Int(a >> 56)])
            r ^= UInt32(t[7 &* 256 &+ Int(b & 0xFF)])
            r ^= UInt32(t[6 &* 256 &+ Int((b >> 8) & 0xFF)])
            r ^= UInt32(t[5 &* 256 &+ Int((b >> 16) & 0xFF)])
            r ^= UInt32(t[4 &* 256 &+ Int((b >> 24) & 0xFF)])
            r ^= UInt32(t[3 &* 256 &+ Int((b >> 32) & 0xFF)])
            r ^= UInt32(t[2 &* 256 &+ Int((b >> 40) & 0xFF)])
            r ^= UInt32(t[1 &* 256 &+ Int((b >> 48) & 0xFF)])
            r ^= UInt32(t[Int(b >> 56)])
            crc = r
            p += 16
            n &-= 16
        }
        return (crc, p, n)
    }

    /// The last 0...15 bytes, plus an optional extra byte, as one short slice: every table lookup is
    /// independent of the others (the register only enters the first two bytes), so there is no
    /// byte-to-byte dependency chain as in the byte-at-a-time loop.
    @inlinable @inline(__always)
    static func tail(_ crc: UInt32, _ p: UnsafeRawPointer, _ n: Int, extra: UInt8?, _ t: UnsafePointer<UInt16>) -> UInt32 {
        let m = n &+ (extra == nil ? 0 : 1)
        if m == 0 { return crc }
        if m == 1 {
            let byte = n == 1 ? p.load(as: UInt8.self) : extra!
            return (crc >> 8) ^ UInt32(t[Int((crc ^ UInt32(byte)) & 0xFF)])
        }
        var r: UInt32 = 0
        var j = 0
        while j < n {
            var byte = UInt32(p.load(fromByteOffset: j, as: UInt8.self))
            if j < 2 { byte ^= (crc >> (8 &* UInt32(j))) & 0xFF }
            r ^= UInt32(t[(m &- 1 &- j) &* 256 &+ Int(byte)])
            j &+= 1
        }
        if let extra {
            var byte = UInt32(extra)
            if n < 2 { byte ^= (crc >> (8 &* UInt32(n))) & 0xFF }
            r ^= UInt32(t[Int(byte)])
        }
        return r
    }
}

/// The 16 lookup tables of slicing-by-16 (8 KiB), built once and kept for the life of the process.
///
/// `@unchecked Sendable`: the memory is written once in `init` and only read afterwards; it is never freed,
/// so the pointer stays valid wherever it is shared.
@usableFromInline
final class CRC16Tables: @unchecked Sendable {
    @usableFromInline static let shared = CRC16Tables()

    /// `pointer[k * 256 + b]`: the CRC contribution of byte `b` followed by `k` zero bytes.
    @usableFromInline let pointer: UnsafePointer<UInt16>
    /// A 65536-bit set of the values in the first table (for `someExtraMatches`).
    @usableFromInline let firstTableValues: UnsafePointer<UInt64>

    private init() {
        let tables = UnsafeMutablePointer<UInt16>.allocate(capacity: 16 * 256)
        for b in 0..<256 {
            var crc = CRC16MCRF4XX(value: 0)
            crc.update(byte: UInt8(b))
            tables[b] = crc.value
        }
        for k in 1..<16 {
            for b in 0..<256 {
                let previous = tables[(k - 1) * 256 + b]
                tables[k * 256 + b] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        pointer = UnsafePointer(tables)
        let bitmap = UnsafeMutablePointer<UInt64>.allocate(capacity: 1024)
        bitmap.initialize(repeating: 0, count: 1024)
        for b in 0..<256 {
            let v = Int(tables[b])
            bitmap[v >> 6] |= 1 << UInt64(v & 63)
        }
        firstTableValues = UnsafePointer(bitmap)
    }
}
