// Integer encodings shared by every codec: zigzag, LEB128 varints, little-endian fixed width.

/// Zigzag mapping of signed to unsigned integers so small magnitudes get small codes.
enum ZigZag {
    @inline(__always)
    static func encode(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    @inline(__always)
    static func decode(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }
}

// MARK: - Writing

extension Array where Element == UInt8 {
    /// Appends a fixed-width integer in little-endian order.
    @inline(__always)
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        let start = count
        appendZeros(MemoryLayout<T>.size)
        withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: start, as: T.self) }
    }

    /// Appends `count` zero bytes (to be filled in place).
    @inline(__always)
    mutating func appendZeros(_ count: Int) {
        if self.count &+ count > capacity { reserveCapacity(Swift.max(self.count &+ count, capacity &* 2)) }
        for _ in 0..<count { append(0) }
    }

    /// Appends an unsigned LEB128 varint (1-10 bytes).
    @inline(__always)
    mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        append(UInt8(v))
    }

    /// Appends a zigzag-encoded signed varint.
    @inline(__always)
    mutating func appendSignedVarint(_ value: Int64) {
        appendVarint(ZigZag.encode(value))
    }
}

/// Bytes a varint of `value` takes.
@inline(__always)
func varintSize(_ value: UInt64) -> Int {
    let bits = 64 &- value.leadingZeroBitCount
    return bits == 0 ? 1 : (bits &+ 6) / 7
}

/// Bits needed to write `value` (0 for 0).
@inline(__always)
func bitWidth(_ value: UInt64) -> Int {
    64 &- value.leadingZeroBitCount
}
