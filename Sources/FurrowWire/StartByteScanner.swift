/// Finds MAVLink start bytes (0xFD, 0xFE) 16 bytes at a time with SIMD compares.
///
/// Noise between frames on a serial link is skipped here, not byte by byte in a state machine. The
/// compare is vector to vector (`(v &- 0xFD) .< 2`), the lane mask is read as two 64-bit words, and the
/// first set lane comes from `trailingZeroBitCount`: no `any()` or horizontal reductions in the loop.
public enum StartByteScanner {
    /// The offset of the first 0xFD or 0xFE in `base[from..<end]`, or `end` if there is none.
    ///
    /// Invariant: `base[from..<end]` is readable.
    @inlinable
    public static func firstStartByte(in base: UnsafeRawPointer, from: Int, to end: Int) -> Int {
        var i = from
        let low = SIMD16<UInt8>(repeating: 0xFD)
        let two = SIMD16<UInt8>(repeating: 2)
        let zero = SIMD16<UInt8>(repeating: 0)
        let ones = SIMD16<UInt8>(repeating: 0xFF)
        while i &+ 16 <= end {
            let v = base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            let lanes = zero.replacing(with: ones, where: (v &- low) .< two)
            let words = unsafeBitCast(lanes, to: SIMD2<UInt64>.self)
            let w0 = UInt64(littleEndian: words[0])
            if w0 != 0 { return i &+ (w0.trailingZeroBitCount &>> 3) }
            let w1 = UInt64(littleEndian: words[1])
            if w1 != 0 { return i &+ 8 &+ (w1.trailingZeroBitCount &>> 3) }
            i &+= 16
        }
        while i < end {
            let byte = base.load(fromByteOffset: i, as: UInt8.self)
            if byte &- 0xFD < 2 { return i }
            i &+= 1
        }
        return end
    }

    /// The offset of the first start byte in `bytes`, or nil: a safe entry point for callers outside hot paths.
    public static func firstStartByte(in bytes: some Sequence<UInt8>) -> Int? {
        let found: Int?? = bytes.withContiguousStorageIfAvailable { buffer in
            guard let base = buffer.baseAddress else { return nil }
            let index = firstStartByte(in: UnsafeRawPointer(base), from: 0, to: buffer.count)
            return index < buffer.count ? index : nil
        }
        if let found { return found }
        return bytes.enumerated().first { $0.element == 0xFD || $0.element == 0xFE }?.offset
    }
}
