/// Floats as order-preserving integers (`orderedKey`), coded by the integer engine at order 1 or 2.
///
/// For a smooth signal sampled fast — 50 Hz attitude from an EKF — consecutive values are close, so the
/// difference of their ordered keys is the step in units of the value's ulp: about the bits an XOR of
/// the two patterns has, without Gorilla's window bookkeeping, and fewer than the front-bit dictionary,
/// which pays every mantissa bit. Zero crossings (a jump of ~2^31 keys) become PFOR exceptions. Fixed
/// widths pay each block's widest step; `EntropyCodedDeltaCodec` codes the same deltas at variable
/// width (smaller on noisy data, half the decode speed). The mapping is a bijection on bit patterns,
/// so NaN payloads and -0.0 round-trip.
///
/// Payload: an `IntegerSequenceCodec` payload of the keys.
enum OrderedDeltaCodec {
    static func encode<F: StoreFloatingPoint>(_ values: UnsafeBufferPointer<F>, into out: inout [UInt8]) {
        let keys = values.map(\.orderedKey)
        keys.withUnsafeBufferPointer { IntegerSequenceCodec.encode($0, orders: [1, 2], into: &out) }
    }

    static func decode<F: StoreFloatingPoint>(
        _ reader: inout ByteReader, count n: Int, into out: UnsafeMutablePointer<F>
    ) throws(StoreCodecError) {
        var keys = [Int64](repeating: 0, count: n)
        try keys.withUnsafeMutableBufferPointer { (keys) throws(StoreCodecError) in
            try IntegerSequenceCodec.decode(&reader, count: n, into: keys.baseAddress.unsafelyUnwrapped)
            for i in 0..<n { out[i] = F(orderedKey: keys[i]) }
        }
    }
}
