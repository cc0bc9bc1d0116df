/// Gorilla XOR coding of floats (Pelkonen et al., VLDB 2015), for `Double` and `Float` bit patterns.
///
/// Each value is XORed with the previous one: an identical value costs one bit (`0`); otherwise the
/// meaningful (non-zero) bits of the XOR are written, reusing the previous leading/trailing-zero window
/// when they fit in it (`10`), or with a new window (`11` + 5-bit leading zeros + length - 1 in 6 bits
/// for Double, 5 for Float). It is the reference codec of Prometheus and InfluxDB and does well on
/// values that repeat or change in few bits; it works on bit patterns, so it is exact for everything.
///
/// Payload: the first pattern in full, then the bit stream; the unused bits of the last byte are zero.
enum GorillaCodec {
    static func encode<F: StoreFloatingPoint>(_ values: UnsafeBufferPointer<F>, into out: inout [UInt8]) {
        guard let first = values.first else { return }
        let width = F.patternBitWidth
        let lengthBits = width == 64 ? 6 : 5
        let unused = 64 &- width
        var writer = BitWriter(maximumBits: width &+ (values.count &- 1) &* (7 &+ lengthBits &+ width))
        var previous = first.pattern64
        writer.write(previous, bits: width)
        var windowLeading = -1
        var windowTrailing = 0
        for i in 1..<values.count {
            let current = values[i].pattern64
            let x = current ^ previous
            previous = current
            if x == 0 {
                writer.write(0, bits: 1)
                continue
            }
            let leading = Swift.min(x.leadingZeroBitCount &- unused, 31)
            let trailing = x.trailingZeroBitCount
            if windowLeading >= 0 && leading >= windowLeading && trailing >= windowTrailing {
                writer.write(0b01, bits: 2)
                writer.write(x >> UInt64(windowTrailing), bits: width &- windowLeading &- windowTrailing)
            } else {
                let length = width &- leading &- trailing
                writer.write(0b11, bits: 2)
                writer.write(UInt64(leading), bits: 5)
                writer.write(UInt64(length &- 1), bits: lengthBits)
                writer.write(x >> UInt64(trailing), bits: length)
                windowLeading = leading
                windowTrailing = trailing
            }
        }
        out.append(contentsOf: writer.finish())
    }

    /// Decodes `count` values from the rest of the reader's region.
    static func decode<F: StoreFloatingPoint>(
        _ reader: inout ByteReader, count: Int, into out: UnsafeMutablePointer<F>
    ) throws(StoreCodecError) {
        guard count > 0 else { return }
        let width = F.patternBitWidth
        let lengthBits = width == 64 ? 6 : 5
        let start = reader.offset
        let region = reader.remaining
        let base = reader.buffer.baseAddress.unsafelyUnwrapped + start
        var bits = BitReader(base: base, byteCount: region, readable: reader.buffer.count &- start, origin: start)
        var previous = try bits.read(width)
        out[0] = F(pattern64: previous)
        var windowLeading = -1
        var windowTrailing = 0
        for i in 1..<count {
            if try bits.read(1) == 1 {
                if try bits.read(1) == 0 {
                    guard windowLeading >= 0 else {
                        throw StoreCodecError(
                            .corruptPayload, offset: start &+ bits.bytesConsumed,
                            "value \(i) reuses an XOR window before any was set")
                    }
                    let meaningful = try bits.read(width &- windowLeading &- windowTrailing)
                    previous ^= meaningful << UInt64(windowTrailing)
                } else {
                    let leading = Int(try bits.read(5))
                    let length = Int(try bits.read(lengthBits)) &+ 1
                    guard leading &+ length <= width else {
                        throw StoreCodecError(
                            .corruptPayload, offset: start &+ bits.bytesConsumed,
                            "value \(i): XOR window of \(leading) + \(length) bits exceeds \(width)")
                    }
                    let trailing = width &- leading &- length
                    let meaningful = try bits.read(length)
                    previous ^= meaningful << UInt64(trailing)
                    windowLeading = leading
                    windowTrailing = trailing
                }
            }
            out[i] = F(pattern64: previous)
        }
        reader.offset = start &+ bits.bytesConsumed
    }
}
