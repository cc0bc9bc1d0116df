/// Fixed-width bit packing: `count` unsigned values of `width` bits (0...64), least significant bit
/// first, value `i` at bits `i * width ..< (i + 1) * width` of a little-endian byte string.
///
/// This is the inner loop of every integer path (timestamps, integers, scaled decimals, dictionary
/// indices), so decoding validates the region once and then reads each value with one unaligned 8-byte
/// load, a shift and a mask, with no branch on the data.
enum BitPacking {
    /// Bytes that `count` values of `width` bits occupy.
    @inline(__always)
    static func byteCount(count: Int, width: Int) -> Int {
        (count &* width &+ 7) >> 3
    }

    /// Appends `values` packed at `width` bits each; bits above `width` are ignored.
    static func pack(_ values: UnsafeBufferPointer<UInt64>, width: Int, into out: inout [UInt8]) {
        guard width > 0, !values.isEmpty else { return }
        let size = byteCount(count: values.count, width: width)
        let start = out.count
        // Whole 64-bit words are stored as they fill; 8 slack bytes take the last partial word and are
        // removed afterwards.
        out.appendZeros(size &+ 8)
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) &- 1
        let w = UInt64(width)
        out.withUnsafeMutableBytes { buffer in
            var p = buffer.baseAddress.unsafelyUnwrapped + start
            var word: UInt64 = 0
            var filled: UInt64 = 0
            for value in values {
                let v = value & mask
                word |= v &<< filled
                filled &+= w
                if filled >= 64 {
                    p.storeBytes(of: word.littleEndian, as: UInt64.self)
                    p += 8
                    filled &-= 64
                    // The bits of `v` that did not fit (none when it ended exactly on the word).
                    word = filled == 0 ? 0 : v &>> (w &- filled)
                }
            }
            if filled > 0 { p.storeBytes(of: word.littleEndian, as: UInt64.self) }
        }
        out.removeLast(8)
    }

    /// Reads `count` values of `width` bits from `reader` into `out`, adding `reference` (wrapping) to
    /// each; advances the reader past the packed bytes.
    ///
    /// Throws `truncated` if the bytes are not all there and `corruptPayload` for a width above 64.
    @inline(__always)
    static func unpack(
        _ reader: inout ByteReader, count: Int, width: Int, adding reference: UInt64,
        into out: UnsafeMutablePointer<UInt64>
    ) throws(StoreCodecError) {
        guard width <= 64 else { throw reader.corrupt("bit width \(width) is above 64") }
        if width == 0 {
            out.update(repeating: reference, count: count)
            return
        }
        let size = byteCount(count: count, width: width)
        let start = try reader.region(count: size, "\(count) values of \(width) bits")
        guard count > 0 else { return }
        let base = reader.buffer.baseAddress.unsafelyUnwrapped + start
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) &- 1
        // Fast path: every 8-byte load stays inside the buffer (the last value starts at byte
        // `(count - 1) * width / 8`), and a value of at most 56 bits never needs a ninth byte.
        let lastLoad = start &+ (((count &- 1) &* width) >> 3) &+ 8
        if width <= 56 && lastLoad <= reader.buffer.count {
            var bit = 0
            for i in 0..<count {
                let word = UInt64(littleEndian: (base + (bit >> 3)).loadUnaligned(as: UInt64.self))
                out[i] = ((word &>> UInt64(bit & 7)) & mask) &+ reference
                bit &+= width
            }
        } else {
            var bit = 0
            for i in 0..<count {
                out[i] = (readSlow(base, bit: bit, width: width) & mask) &+ reference
                bit &+= width
            }
        }
    }

    /// One value assembled byte by byte, never touching a byte past the value's last bit.
    @inline(__always)
    static func readSlow(_ base: UnsafeRawPointer, bit: Int, width: Int) -> UInt64 {
        var index = bit >> 3
        let shift = bit & 7
        var value = UInt64(base.load(fromByteOffset: index, as: UInt8.self)) >> UInt64(shift)
        var got = 8 &- shift
        while got < width {
            index &+= 1
            value |= UInt64(base.load(fromByteOffset: index, as: UInt8.self)) << UInt64(got)
            got &+= 8
        }
        return value
    }
}
