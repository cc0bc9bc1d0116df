/// Writes variable-width bit fields, least significant bit first, for codecs whose fields are not all
/// the same width (the Gorilla XOR stream).
///
/// The caller states the most bits it will write, so the buffer is allocated once and every full
/// 64-bit word is stored with one write, with no capacity check per field.
struct BitWriter {
    private var bytes: [UInt8]
    /// Bytes of `bytes` already holding full words.
    private var wordsEnd = 0
    private var accumulator: UInt64 = 0
    /// Bits waiting in `accumulator` (always < 64).
    private var pending = 0

    init(maximumBits: Int) {
        bytes = [UInt8](repeating: 0, count: (maximumBits &+ 63) / 64 &* 8 &+ 8)
    }

    /// Appends the low `bits` (0...64) bits of `value`; at most the stated maximum in total.
    @inline(__always)
    mutating func write(_ value: UInt64, bits: Int) {
        guard bits > 0 else { return }
        let v = bits == 64 ? value : value & ((1 << UInt64(bits)) &- 1)
        accumulator |= v &<< UInt64(pending)
        if pending &+ bits >= 64 {
            let word = accumulator
            let at = wordsEnd
            precondition(at &+ 8 <= bytes.count, "BitWriter overflow: more bits than declared")
            bytes.withUnsafeMutableBytes { $0.storeBytes(of: word.littleEndian, toByteOffset: at, as: UInt64.self) }
            wordsEnd &+= 8
            let used = 64 &- pending
            accumulator = used >= 64 ? 0 : v &>> UInt64(used)
            pending = pending &+ bits &- 64
        } else {
            pending &+= bits
        }
    }

    /// The bytes written; the unused high bits of the last byte are zero.
    mutating func finish() -> [UInt8] {
        let tail = (pending &+ 7) / 8
        let word = accumulator
        let at = wordsEnd
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: word.littleEndian, toByteOffset: at, as: UInt64.self) }
        bytes.removeLast(bytes.count &- (wordsEnd &+ tail))
        return bytes
    }
}

/// Reads what `BitWriter` wrote from a validated region of a chunk; every read is bounds-checked
/// against the region, so a corrupt stream throws instead of reading past it.
struct BitReader {
    /// First byte of the region.
    let base: UnsafeRawPointer
    /// Bytes in the region.
    let byteCount: Int
    /// Bytes readable from `base` (the region plus whatever follows it in the chunk), for wide loads.
    let readable: Int
    /// Chunk offset of `base`, for error messages.
    let origin: Int
    /// Next bit to read.
    private(set) var bit = 0

    init(base: UnsafeRawPointer, byteCount: Int, readable: Int, origin: Int) {
        self.base = base
        self.byteCount = byteCount
        self.readable = readable
        self.origin = origin
    }

    /// Bytes touched so far (a partly read last byte counts).
    var bytesConsumed: Int { (bit &+ 7) >> 3 }

    /// Reads `bits` (0...64) bits.
    @inline(__always)
    mutating func read(_ bits: Int) throws(StoreCodecError) -> UInt64 {
        guard bits > 0 else { return 0 }
        guard bit &+ bits <= byteCount &* 8 else {
            throw StoreCodecError(
                .truncated, offset: origin &+ (bit >> 3), "bit stream ends inside a \(bits)-bit field")
        }
        let value: UInt64
        if bits <= 56 {
            let index = bit >> 3
            if index &+ 8 <= readable {
                let word = UInt64(littleEndian: (base + index).loadUnaligned(as: UInt64.self))
                value = (word &>> UInt64(bit & 7)) & ((1 << UInt64(bits)) &- 1)
            } else {
                value = BitPacking.readSlow(base, bit: bit, width: bits) & ((1 << UInt64(bits)) &- 1)
            }
        } else {
            let mask: UInt64 = bits == 64 ? ~0 : (1 << UInt64(bits)) &- 1
            value = BitPacking.readSlow(base, bit: bit, width: bits) & mask
        }
        bit &+= bits
        return value
    }
}
