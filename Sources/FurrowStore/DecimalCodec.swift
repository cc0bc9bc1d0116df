/// Decimal scaling (the ALP idea, Afroozeh et al., SIGMOD 2024): floats that were written with a fixed
/// number of decimals (0.01 V, 1e-7 degrees, 0.1 %) become the integers `round(v * 10^k)`, which the
/// integer engine then codes as deltas or frames of reference — 1-10 bits where XOR codecs need 20-60.
///
/// A value is kept as an integer only if the decoder's formula gives back the *identical bit pattern*:
/// `Double(m) / 10^k` (how `23.4` is parsed from text) or `Double(m) * 10^-k` (how firmware scales
/// `lat_e7 * 1e-7`), whichever the chunk uses. Everything else — NaN, ±inf, -0.0 (its integer 0 would
/// decode to +0.0), integers beyond 2^53, a stray full-precision value — is an *exception*: stored as its
/// raw bit pattern at its position and patched in after decoding, while its integer slot repeats the
/// previous integer so the deltas around it stay small. A declared resolution skips the detection; a
/// detected one is the smallest `k` that makes the most values of a sample exact, and at least half.
///
/// Payload:
/// ```
/// byte     k (0...22 for Double, 0...10 for Float) | 0x80 when decoding multiplies by 10^-k
/// varint   exception count
/// varints  exception positions: the first, then each gap - 1
/// bytes    exception bit patterns (8 or 4 bytes each, little-endian)
/// IntegerSequenceCodec payload of the integers
/// ```
enum DecimalCodec {
    /// How a chunk's integers turn back into floats.
    struct Scale: Hashable, Sendable {
        /// Decimals: the value is `m / 10^k`.
        var exponent: Int
        /// `m * 10^-k` instead of `m / 10^k` (both are tried; they differ in the last bit for some values).
        var multiplies: Bool
    }

    /// The integer that `value` decodes from under `scale`, if there is one.
    @inline(__always)
    static func integer<F: StoreFloatingPoint>(for value: F, scale: Scale) -> Int64? {
        let scaled = (value * F.powerOfTen(scale.exponent)).rounded()
        // NaN fails this comparison, infinities and values beyond exact integers fail the bound.
        guard scaled.magnitude <= F.exactIntegerLimit else { return nil }
        let m = scaled.exactInt64
        let back: F = float(from: m, scale: scale)
        return back.bitPattern == value.bitPattern ? m : nil
    }

    @inline(__always)
    static func float<F: StoreFloatingPoint>(from m: Int64, scale: Scale) -> F {
        let x = F(exactly64: m)
        if scale.multiplies { return x * F.inversePowerOfTen(scale.exponent) }
        return x / F.powerOfTen(scale.exponent)
    }

    /// The scale that makes the most values of an evenly spread sample exact (smallest exponent on ties,
    /// division before multiplication), or nil if none makes any exact.
    ///
    /// Non-decimal data (sensor noise, float32 attitude) is turned away after trying every scale on 8
    /// values, so the detection costs well under a check per value.
    static func detectScale<F: StoreFloatingPoint>(_ values: UnsafeBufferPointer<F>, sampleSize: Int = 64) -> Scale? {
        guard !values.isEmpty else { return nil }
        if values.count > 8 && bestScale(values, sampleSize: 8) == nil { return nil }
        return bestScale(values, sampleSize: sampleSize)
    }

    /// Below this share of exact values in the sample a chunk is not decimal: the exceptions would cost
    /// more than another codec (and float32 noise is "decimal" at 8 digits for ~20 % of its values).
    static let minimumExactShare = 0.5

    static func bestScale<F: StoreFloatingPoint>(_ values: UnsafeBufferPointer<F>, sampleSize: Int) -> Scale? {
        let step = Swift.max(1, values.count / sampleSize)
        var best: Scale? = nil
        var bestHits = 0
        let sampled = (values.count &+ step &- 1) / step
        for exponent in 0...F.maxExactPowerOfTen {
            for multiplies in [false, true] {
                let scale = Scale(exponent: exponent, multiplies: multiplies)
                var hits = 0
                var i = 0
                while i < values.count {
                    if integer(for: values[i], scale: scale) != nil { hits &+= 1 }
                    i &+= step
                }
                if hits > bestHits {
                    bestHits = hits
                    best = scale
                    if hits == sampled { return best }
                }
            }
        }
        return Double(bestHits) >= minimumExactShare * Double(sampled) ? best : nil
    }

    /// For a declared exponent: whichever of division and multiplication makes more sampled values exact.
    static func detectMode<F: StoreFloatingPoint>(
        _ values: UnsafeBufferPointer<F>, exponent: Int, sampleSize: Int = 64
    ) -> Scale {
        let step = Swift.max(1, values.count / sampleSize)
        var hits = [0, 0]
        for (k, multiplies) in [false, true].enumerated() {
            let scale = Scale(exponent: exponent, multiplies: multiplies)
            var i = 0
            while i < values.count {
                if integer(for: values[i], scale: scale) != nil { hits[k] &+= 1 }
                i &+= step
            }
        }
        return Scale(exponent: exponent, multiplies: hits[1] > hits[0])
    }

    /// Appends `values` coded at `scale`; returns the number of exceptions.
    @discardableResult
    static func encode<F: StoreFloatingPoint>(
        _ values: UnsafeBufferPointer<F>, scale: Scale, into out: inout [UInt8]
    ) -> Int {
        precondition(
            (0...F.maxExactPowerOfTen).contains(scale.exponent), "decimal exponent \(scale.exponent) out of range")
        let n = values.count
        var integers = [Int64](repeating: 0, count: n)
        var exceptions: [Int] = []
        integers.withUnsafeMutableBufferPointer { integers in
            var previous: Int64 = 0
            for i in 0..<n {
                if let m = integer(for: values[i], scale: scale) {
                    previous = m
                } else {
                    exceptions.append(i)
                }
                integers[i] = previous
            }
        }
        out.append(UInt8(scale.exponent) | (scale.multiplies ? 0x80 : 0))
        out.appendVarint(UInt64(exceptions.count))
        var last = -1
        for position in exceptions {
            out.appendVarint(UInt64(position &- last &- 1))
            last = position
        }
        for position in exceptions {
            out.appendLittleEndian(values[position].bitPattern)
        }
        integers.withUnsafeBufferPointer { IntegerSequenceCodec.encode($0, into: &out) }
        return exceptions.count
    }

    static func decode<F: StoreFloatingPoint>(
        _ reader: inout ByteReader, count n: Int, into out: UnsafeMutablePointer<F>
    ) throws(StoreCodecError) {
        let header = try reader.readByte("decimal exponent")
        let scale = Scale(exponent: Int(header & 0x7F), multiplies: header & 0x80 != 0)
        guard scale.exponent <= F.maxExactPowerOfTen else {
            throw reader.corrupt("decimal exponent \(scale.exponent) is above \(F.maxExactPowerOfTen)")
        }
        // Each position takes at least one byte, so this bound also caps the allocation below.
        let exceptionCount = try reader.readCount(atMost: Swift.min(n, reader.remaining), "exception count")
        var positions = [Int](repeating: 0, count: exceptionCount)
        var last = -1
        for k in 0..<exceptionCount {
            let gap = try reader.readCount(atMost: n, "exception position")
            let position = last &+ 1 &+ gap
            guard position < n else { throw reader.corrupt("exception position \(position) is past the \(n) values") }
            positions[k] = position
            last = position
        }
        let size = MemoryLayout<F.Bits>.size
        let patterns = try reader.region(count: exceptionCount &* size, "exception values")
        var integers = [Int64](repeating: 0, count: n)
        try integers.withUnsafeMutableBufferPointer { (m) throws(StoreCodecError) in
            try IntegerSequenceCodec.decode(&reader, count: n, into: m.baseAddress.unsafelyUnwrapped)
            if scale.multiplies {
                let factor = F.inversePowerOfTen(scale.exponent)
                for i in 0..<n { out[i] = F(exactly64: m[i]) * factor }
            } else {
                let divisor = F.powerOfTen(scale.exponent)
                for i in 0..<n { out[i] = F(exactly64: m[i]) / divisor }
            }
        }
        for k in 0..<exceptionCount {
            let bits = F.Bits(
                littleEndian: reader.buffer.loadUnaligned(fromByteOffset: patterns &+ k &* size, as: F.Bits.self))
            out[positions[k]] = F(bitPattern: bits)
        }
    }
}
