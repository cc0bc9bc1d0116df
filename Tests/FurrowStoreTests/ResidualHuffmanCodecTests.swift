import Testing

@testable import FurrowStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ResidualHuffmanCodec`: every (keys, predictor) mode round-trips every bit pattern, the encoder's
/// choice is never worse than `EntropyCodedDeltaCodec` by more than its mode byte, sign-magnitude keys
/// pay off on a noisy signal around zero, and random bytes never trap the decoder.
@Suite("Residual-Huffman float codec")
struct ResidualHuffmanCodecTests {
    static let allModes: [ResidualHuffmanCodec.Mode] = ResidualHuffmanCodec.Predictor.allCases.flatMap {
        [ResidualHuffmanCodec.Mode(predictor: $0, signMagnitude: false), .init(predictor: $0, signMagnitude: true)]
    }

    /// Every mode forced, then nil: the mode the encoder chooses.
    static let modesAndChosen: [ResidualHuffmanCodec.Mode?] = allModes.map { Optional($0) } + [nil]

    /// Encodes `values` in `mode` (or the chosen mode) and decodes them back through a whole chunk.
    static func roundTrip<F: StoreFloatingPoint>(
        _ values: [F], mode: ResidualHuffmanCodec.Mode?
    ) throws -> (decoded: [F], payload: Int) {
        var payload: [UInt8] = []
        values.withUnsafeBufferPointer { values in
            if let mode {
                ResidualHuffmanCodec.encode(values, mode: mode, into: &payload)
            } else {
                ResidualHuffmanCodec.encode(values, into: &payload)
            }
        }
        var decoded = [F](repeating: 0, count: values.count)
        try payload.withUnsafeBytes { bytes in
            var reader = ByteReader(bytes)
            try decoded.withUnsafeMutableBufferPointer { out in
                guard let base = out.baseAddress else { return }
                try ResidualHuffmanCodec.decode(&reader, count: values.count, into: base)
            }
            #expect(reader.offset == bytes.count, "the decoder consumes exactly the payload")
        }
        return (decoded, payload.count)
    }

    @Test("float32: every mode round-trips NaN payloads, -0.0, ±inf, subnormals and noise bit for bit")
    func float32EveryMode() throws {
        var g = ColumnGenerator(seed: 0x5EED_F32)
        for i in 0..<120 {
            let values = g.floats()
            for mode in Self.modesAndChosen {
                let (decoded, _) = try Self.roundTrip(values, mode: mode)
                #expect(decoded.map(\.bitPattern) == values.map(\.bitPattern), "case \(i), \(String(describing: mode))")
            }
        }
    }

    @Test("float64: every mode round-trips NaN payloads, -0.0, ±inf, subnormals and extremes bit for bit")
    func float64EveryMode() throws {
        var g = ColumnGenerator(seed: 0x5EED_F64)
        for i in 0..<120 {
            let values = g.doubles()
            for mode in Self.modesAndChosen {
                let (decoded, _) = try Self.roundTrip(values, mode: mode)
                #expect(decoded.map(\.bitPattern) == values.map(\.bitPattern), "case \(i), \(String(describing: mode))")
            }
        }
    }

    @Test("sign flips between extremes: ±0, ±subnormal, ±greatest, NaNs of both signs, alternating")
    func alternatingExtremes() throws {
        let floats: [Float] = [
            0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .greatestFiniteMagnitude,
            -.greatestFiniteMagnitude, .infinity, -.infinity, Float(bitPattern: 0x7FA0_BEEF),
            Float(bitPattern: 0xFFC0_0001), -0.0, 0, 1, -1,
        ]
        let doubles: [Double] = [
            -0.0, 0, .leastNonzeroMagnitude, -.greatestFiniteMagnitude, Double(bitPattern: 0xFFF8_0000_0000_1234),
            .infinity, -.leastNormalMagnitude, Double(bitPattern: 0x7FF4_0000_DEAD_BEEF), 0, -0.0,
        ]
        for mode in Self.modesAndChosen {
            for values in [floats, floats.reversed(), Array(repeating: floats, count: 40).flatMap { $0 }] {
                #expect(try Self.roundTrip(values, mode: mode).decoded.map(\.bitPattern) == values.map(\.bitPattern))
            }
            for values in [doubles, doubles.reversed(), Array(repeating: doubles, count: 40).flatMap { $0 }] {
                #expect(try Self.roundTrip(values, mode: mode).decoded.map(\.bitPattern) == values.map(\.bitPattern))
            }
        }
    }

    @Test("a noisy level signal around zero: sign-magnitude keys, smaller than ordered-key deltas")
    func levelSignalAroundZero() throws {
        var rng = SplitMix64(seed: 42)
        func gaussian() -> Double {
            let u = Double.random(in: Double.ulpOfOne..<1, using: &rng)
            let v = Double.random(in: 0..<1, using: &rng)
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
        // A level attitude angle: 1.5 mrad of noise on a small slow wobble (as a hovering drone's roll).
        let values: [Float] = (0..<4096).map { i in Float(0.003 * sin(Double(i) / 150) + 0.0015 * gaussian()) }
        var chosen: [UInt8] = []
        var previous: [UInt8] = []
        values.withUnsafeBufferPointer {
            ResidualHuffmanCodec.encode($0, into: &chosen)
            EntropyCodedDeltaCodec.encode($0, into: &previous)
        }
        #expect(chosen[0] & 4 != 0, "sign-magnitude keys chosen")
        #expect(Double(chosen.count) < Double(previous.count) * 0.97, "\(chosen.count) B vs \(previous.count) B")
        #expect(try Self.roundTrip(values, mode: nil).decoded.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test("the chosen mode is never larger than ordered-key deltas plus the mode byte")
    func neverWorseThanOrderedDeltas() throws {
        var g = ColumnGenerator(seed: 0xC0DE)
        for _ in 0..<200 {
            let values = g.floats()
            var chosen: [UInt8] = []
            var previous: [UInt8] = []
            values.withUnsafeBufferPointer {
                ResidualHuffmanCodec.encode($0, into: &chosen)
                EntropyCodedDeltaCodec.encode($0, into: &previous)
            }
            #expect(chosen.count <= previous.count + 1, "\(chosen.count) vs \(previous.count)")
        }
    }

    @Test("random bytes into the decoder never trap: they decode to something or throw", arguments: [1, 2] as [UInt64])
    func randomBytes(seed: UInt64) {
        var rng = SplitMix64(seed: 0xF022 &+ seed)
        for _ in 0..<20_000 {
            let count = [1, 2, 3, 7, 128, 4096][Int.random(in: 0...5, using: &rng)]
            var bytes = (0..<Int.random(in: 0...120, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Often a valid mode and a plausible symbol table, so the bit-stream paths are reached too.
            if bytes.count > 4 && Bool.random(using: &rng) {
                bytes[0] = UInt8.random(in: 0...6, using: &rng)
                bytes[1] = UInt8.random(in: 0...0x7F, using: &rng)
                bytes[2] = UInt8.random(in: 0...40, using: &rng)
                bytes[3] = UInt8.random(in: 1...30, using: &rng)
            }
            bytes.withUnsafeBytes { raw in
                var reader = ByteReader(raw)
                var f = [Float](repeating: 0, count: count)
                f.withUnsafeMutableBufferPointer { out in
                    _ = try? ResidualHuffmanCodec.decode(&reader, count: count, into: out.baseAddress!)
                }
                reader = ByteReader(raw)
                var d = [Double](repeating: 0, count: count)
                d.withUnsafeMutableBufferPointer { out in
                    _ = try? ResidualHuffmanCodec.decode(&reader, count: count, into: out.baseAddress!)
                }
            }
        }
    }

    @Test("a chunk of the codec with a flipped payload bit is reported corrupt, never returned")
    func flippedBit() throws {
        let values: [Float] = (0..<500).map { Float(sin(Double($0) / 20) * 0.01) }
        let bytes = try #require(StoreChunk.encode(.float32(values), codec: .residualHuffman))
        var rng = SplitMix64(seed: 9)
        for _ in 0..<200 {
            var broken = bytes
            let bit = Int.random(in: 0..<(bytes.count * 8), using: &rng)
            broken[bit / 8] ^= 1 << UInt8(bit % 8)
            #expect(throws: (any Error).self) { try StoreChunk.decode(broken) }
        }
    }
}
