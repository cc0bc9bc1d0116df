/// Floats as prediction residuals of integer keys, with a Huffman code over each residual's bit *length*
/// (and, in sign-magnitude keys, a sign flip): `EntropyCodedDeltaCodec` generalised by two choices made
/// per chunk by measuring, so noisy sensor floats cost what their noise costs and not more.
///
/// * **Keys.** Ordered keys (`orderedKey`: monotone in the value) or sign-magnitude keys (the magnitude
///   bits as an integer, the sign apart). Ordered keys of a value near zero are huge (`+x` and `-x` are
///   2·key(x) apart), so a noisy level signal that crosses zero — roll and pitch of a hovering or level
///   drone, a rate gyro at rest — pays ~31 bits at every crossing; in sign-magnitude keys a crossing
///   costs the magnitude step plus a flip, which the Huffman code prices by how often it happens.
/// * **Predictor.** The previous key; the average of the two previous keys (white noise on a level
///   signal: residual variance 1.5σ² instead of 2σ²); or the previous key plus half the last step (a
///   trend under noise). Any deterministic function of earlier keys round-trips, because the decoder
///   computes the same prediction with the same wrapping arithmetic.
///
/// The encoder prices every applicable (keys, predictor) pair exactly from its symbol histogram (the
/// Huffman code's bits, its table and the raw bits below each leading one) and writes only the
/// cheapest; the previous-key/ordered-key pair is exactly what `EntropyCodedDeltaCodec` writes, one
/// byte more, so the choice is never more than a byte larger than that codec.
///
/// Payload:
/// ```
/// byte     mode: bits 0-1 predictor (0 previous, 1 average of two, 2 previous + half step),
///          bit 2 sign-magnitude keys; other bits 0
/// varint   the first value's ordered key (zigzag), whatever the keys; nothing follows for a single value
/// byte     smallest symbol s0; symbol = L = bitWidth(zigzag(residual)) (0...64) with ordered keys,
///          2 · L + flip (0...129) with sign-magnitude keys
/// byte     symbol count k (at most 65 - s0, or 130 - s0)
/// bytes    ceil(k / 2): code length of symbol s0 + i in nibble i (low nibble first; 0 = unused)
/// bits     per later value: the canonical Huffman code of its symbol, LSB first (bit-reversed, as in
///          DEFLATE), then the L - 1 bits of zigzag(residual) below its leading one
/// ```
/// `flip` is 1 when the value's sign differs from the previous value's. With ordered keys and the
/// previous-key predictor the payload is `EntropyCodedDeltaCodec`'s after the mode byte.
enum ResidualHuffmanCodec {
    /// Longest code: 2^11 decode table entries, enough for 130 symbols.
    static let maxCodeLength = 11
    static let symbolCount = 130

    enum Predictor: UInt8, CaseIterable {
        case previous = 0
        case average = 1
        case halfStep = 2

        /// The prediction of the next key from the two before it (`k1` the latest).
        @inline(__always)
        func predict(_ k1: Int64, _ k2: Int64) -> Int64 {
            switch self {
            case .previous: k1
            case .average: k2 &+ ((k1 &- k2) >> 1)
            case .halfStep: k1 &+ ((k1 &- k2) >> 1)
            }
        }
    }

    struct Mode: Equatable {
        var predictor: Predictor
        var signMagnitude: Bool

        var byte: UInt8 { predictor.rawValue | (signMagnitude ? 4 : 0) }
    }

    // MARK: - Keys

    @inline(__always)
    static func magnitudeMask<F: StoreFloatingPoint>(_: F.Type) -> UInt64 {
        (UInt64(1) << UInt64(F.patternBitWidth &- 1)) &- 1
    }

    /// The key of `value` in the mode's key space, and its sign bit (sign-magnitude keys only).
    @inline(__always)
    static func key<F: StoreFloatingPoint>(_ value: F, signMagnitude: Bool) -> (key: Int64, sign: UInt64) {
        if signMagnitude {
            let pattern = value.pattern64
            return (Int64(bitPattern: pattern & magnitudeMask(F.self)), pattern >> UInt64(F.patternBitWidth &- 1))
        }
        return (value.orderedKey, 0)
    }

    /// Inverse of `key` (keys outside the type's range are truncated: only corrupt data has them).
    @inline(__always)
    static func value<F: StoreFloatingPoint>(key: Int64, sign: UInt64, signMagnitude: Bool) -> F {
        if signMagnitude {
            let signBit = (sign & 1) << UInt64(F.patternBitWidth &- 1)
            let pattern = (UInt64(bitPattern: key) & magnitudeMask(F.self)) | signBit
            return F(pattern64: pattern)
        }
        return F(orderedKey: key)
    }

    // MARK: - Encoding

    /// Symbols and residuals of `values` under `mode` (entry i for value i + 1), and the symbol histogram.
    static func residuals<F: StoreFloatingPoint>(
        _ values: UnsafeBufferPointer<F>, mode: Mode, zigzags: inout [UInt64], symbols: inout [UInt8],
        frequency: inout [Int]
    ) -> Int {
        let n = values.count
        for i in frequency.indices { frequency[i] = 0 }
        var (k1, s1) = key(values[0], signMagnitude: mode.signMagnitude)
        var k2 = k1
        var rawBits = 0
        for i in 1..<n {
            let (k, s) = key(values[i], signMagnitude: mode.signMagnitude)
            let z = ZigZag.encode(k &- mode.predictor.predict(k1, k2))
            let length = bitWidth(z)
            let symbol = mode.signMagnitude ? length &<< 1 | Int(truncatingIfNeeded: s ^ s1) : length
            zigzags[i &- 1] = z
            symbols[i &- 1] = UInt8(truncatingIfNeeded: symbol)
            frequency[symbol] &+= 1
            rawBits &+= Swift.max(length &- 1, 0)
            k2 = k1
            k1 = k
            s1 = s
        }
        return rawBits
    }

    /// Bits of the Huffman-coded symbols and their code-length table for a histogram: exact, so the
    /// chosen mode is never larger than another (an entropy estimate is not: it prices a symbol of
    /// probability 0.9 at 0.15 bits where any prefix code pays 1).
    static func codedBits(_ frequency: [Int]) -> Int {
        let lengths = HuffmanCode.lengths(frequency, limit: maxCodeLength)
        var bits = 0
        var first = -1
        var last = 0
        for symbol in lengths.indices where lengths[symbol] > 0 {
            bits &+= frequency[symbol] &* lengths[symbol]
            if first < 0 { first = symbol }
            last = symbol
        }
        return bits &+ ((last &- first &+ 2) / 2) &* 8
    }

    /// The modes worth pricing for `values`: every predictor with ordered keys, and with sign-magnitude
    /// keys when the chunk has values of both signs (otherwise they cost the same as ordered keys).
    static func modes<F: StoreFloatingPoint>(for values: UnsafeBufferPointer<F>) -> [Mode] {
        var negatives = 0
        for v in values where v.sign == .minus { negatives &+= 1 }
        let mixed = negatives != 0 && negatives != values.count
        var modes: [Mode] = []
        for predictor in Predictor.allCases {
            modes.append(Mode(predictor: predictor, signMagnitude: false))
            if mixed { modes.append(Mode(predictor: predictor, signMagnitude: true)) }
        }
        return modes
    }

    /// Encodes `values` in the mode whose estimated size is smallest.
    static func encode<F: StoreFloatingPoint>(_ values: UnsafeBufferPointer<F>, into out: inout [UInt8]) {
        let n = values.count
        guard n > 1 else {
            encode(values, mode: Mode(predictor: .previous, signMagnitude: false), into: &out)
            return
        }
        var zigzags = [UInt64](repeating: 0, count: n &- 1)
        var symbols = [UInt8](repeating: 0, count: n &- 1)
        var frequency = [Int](repeating: 0, count: symbolCount)
        var best: (mode: Mode, bits: Int) = (Mode(predictor: .previous, signMagnitude: false), .max)
        for mode in modes(for: values) {
            let raw = residuals(values, mode: mode, zigzags: &zigzags, symbols: &symbols, frequency: &frequency)
            let bits = raw &+ codedBits(frequency)
            if bits < best.bits { best = (mode, bits) }
        }
        encode(values, mode: best.mode, into: &out)
    }

    /// Encodes `values` in the given mode.
    static func encode<F: StoreFloatingPoint>(_ values: UnsafeBufferPointer<F>, mode: Mode, into out: inout [UInt8]) {
        let n = values.count
        guard n > 0 else { return }
        out.append(mode.byte)
        out.appendSignedVarint(values[0].orderedKey)
        guard n > 1 else { return }
        var zigzags = [UInt64](repeating: 0, count: n &- 1)
        var symbols = [UInt8](repeating: 0, count: n &- 1)
        var frequency = [Int](repeating: 0, count: symbolCount)
        _ = residuals(values, mode: mode, zigzags: &zigzags, symbols: &symbols, frequency: &frequency)
        let lengths = HuffmanCode.lengths(frequency, limit: maxCodeLength)
        HuffmanCode.appendLengthTable(lengths, to: &out)
        let codes = HuffmanCode.canonicalCodes(lengths)
        var bits = 0
        let lengthShift = mode.signMagnitude ? 1 : 0
        for i in 0..<(n &- 1) {
            let symbol = Int(symbols[i])
            bits &+= lengths[symbol] &+ Swift.max(symbol >> lengthShift &- 1, 0)
        }
        var writer = BitWriter(maximumBits: bits)
        for i in 0..<(n &- 1) {
            let symbol = Int(symbols[i])
            writer.write(UInt64(codes[symbol]), bits: lengths[symbol])
            let length = symbol >> lengthShift
            if length >= 2 { writer.write(zigzags[i], bits: length &- 1) }
        }
        out.append(contentsOf: writer.finish())
    }

    // MARK: - Decoding

    static func decode<F: StoreFloatingPoint>(
        _ reader: inout ByteReader, count n: Int, into out: UnsafeMutablePointer<F>
    ) throws(StoreCodecError) {
        guard n > 0 else { return }
        let modeByte = try reader.readByte("mode")
        guard modeByte & ~7 == 0, let predictor = Predictor(rawValue: modeByte & 3) else {
            throw reader.corrupt("mode \(modeByte) is not a known predictor and key kind")
        }
        let signMagnitude = modeByte & 4 != 0
        // The first value is written as its ordered key in every mode (a bijection on bit patterns).
        out[0] = F(orderedKey: try reader.readSignedVarint("first key"))
        let (k1, sign) = key(out[0], signMagnitude: signMagnitude)
        guard n > 1 else { return }
        let first = Int(try reader.readByte("smallest symbol"))
        let count = Int(try reader.readByte("symbol count"))
        let symbols = signMagnitude ? symbolCount : 65
        guard first < symbols, count >= 1, first &+ count <= symbols else {
            throw reader.corrupt("symbols \(first)..<\(first + count) are not within 0..<\(symbols)")
        }
        var lengths = [Int](repeating: 0, count: symbolCount)
        let packed = try reader.region(count: (count &+ 1) / 2, "code lengths")
        for i in 0..<count {
            let byte = reader.buffer.load(fromByteOffset: packed &+ i / 2, as: UInt8.self)
            lengths[first &+ i] = Int(i & 1 == 0 ? byte & 0x0F : byte >> 4)
        }
        let tableBits = lengths.max() ?? 1
        let table = try HuffmanCode.decodingTable(lengths, limit: maxCodeLength, tableBits: tableBits, reader: reader)
        // One specialised loop per mode: no per-value branch on the predictor or the key kind.
        func stream<P: KeyPrediction, K: KeyKind>(_: P.Type, _: K.Type) throws(StoreCodecError) {
            try decodeStream(
                &reader, count: n, into: out, table: table, tableBits: tableBits, first: (k1, sign), P.self, K.self)
        }
        switch (predictor, signMagnitude) {
        case (.previous, false): try stream(PreviousKey.self, OrderedKeys.self)
        case (.average, false): try stream(AverageKey.self, OrderedKeys.self)
        case (.halfStep, false): try stream(HalfStepKey.self, OrderedKeys.self)
        case (.previous, true): try stream(PreviousKey.self, SignMagnitudeKeys.self)
        case (.average, true): try stream(AverageKey.self, SignMagnitudeKeys.self)
        case (.halfStep, true): try stream(HalfStepKey.self, SignMagnitudeKeys.self)
        }
    }

    /// The bit stream of values 1..<n, given the first value's keys and the decoding table.
    static func decodeStream<F: StoreFloatingPoint, P: KeyPrediction, K: KeyKind>(
        _ reader: inout ByteReader, count n: Int, into out: UnsafeMutablePointer<F>, table: [UInt16], tableBits: Int,
        first: (key: Int64, sign: UInt64), _: P.Type, _: K.Type
    ) throws(StoreCodecError) {
        var k1 = first.key
        var k2 = first.key
        var sign = first.sign
        let tableMask = (UInt64(1) << UInt64(tableBits)) &- 1
        let start = reader.offset
        let regionBits = reader.remaining &* 8
        let readable = reader.buffer.count &- start
        let base = reader.buffer.baseAddress.unsafelyUnwrapped + start
        var bit = 0
        try table.withUnsafeBufferPointer { (table) throws(StoreCodecError) in
            let stream = LengthCodedStream(
                base: base, readable: readable, regionBits: regionBits, start: start, table: table, tableMask: tableMask)
            for i in 1..<n {
                let (z, symbol) = try stream.next(&bit, index: i, signMagnitude: K.signMagnitude)
                let k = P.predict(k1, k2) &+ ZigZag.decode(z)
                if K.signMagnitude { sign ^= UInt64(symbol & 1) }
                out[i] = value(key: k, sign: sign, signMagnitude: K.signMagnitude)
                k2 = k1
                k1 = k
            }
        }
        reader.offset = start &+ (bit &+ 7) / 8
    }
}

// MARK: - Specialisation of the decoding loop

/// `ResidualHuffmanCodec.Predictor` as a type, so the decoding loop is specialised per predictor.
protocol KeyPrediction { static func predict(_ k1: Int64, _ k2: Int64) -> Int64 }
/// Ordered or sign-magnitude keys as a type, so the decoding loop is specialised per key kind.
protocol KeyKind { static var signMagnitude: Bool { get } }

enum PreviousKey: KeyPrediction {
    @inline(__always) static func predict(_ k1: Int64, _ k2: Int64) -> Int64 { k1 }
}
enum AverageKey: KeyPrediction {
    @inline(__always) static func predict(_ k1: Int64, _ k2: Int64) -> Int64 { k2 &+ ((k1 &- k2) >> 1) }
}
enum HalfStepKey: KeyPrediction {
    @inline(__always) static func predict(_ k1: Int64, _ k2: Int64) -> Int64 { k1 &+ ((k1 &- k2) >> 1) }
}
enum OrderedKeys: KeyKind { static var signMagnitude: Bool { false } }
enum SignMagnitudeKeys: KeyKind { static var signMagnitude: Bool { true } }

