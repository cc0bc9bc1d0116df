import Testing

@testable import FurrowStore

/// Property tests: many seeded random chunks of every type, each encoded with the codec the encoder
/// picks *and* with every other codec that can hold the type, must decode to the same bits.
@Suite("Bit-exact round trips")
struct RoundTripTests {
    /// Encodes `column` every way, decodes, and checks values, header and statistics.
    static func check(_ column: StoreColumn, _ context: String, options: StoreEncodingOptions = .init()) {
        var encodings = [StoreChunk.encode(column, options: options)]
        for codec in StoreCodec.allCases {
            if let bytes = StoreChunk.encode(column, codec: codec, options: options) { encodings.append(bytes) }
        }
        for bytes in encodings {
            do {
                let chunk = try StoreChunk.decode(bytes)
                let codec = chunk.header.codec
                #expect(
                    chunk.values.isIdentical(to: column),
                    "\(context): \(column.valueType) x \(column.count) via \(codec)")
                #expect(chunk.header.count == column.count && chunk.header.valueType == column.valueType)
                #expect(chunk.header.byteCount == bytes.count)
                checkStatistics(chunk.header.statistics, column, context)
            } catch {
                Issue.record("\(context): \(column.valueType) x \(column.count): \(error)")
            }
        }
        // The chosen codec is never larger than raw (the encoder may take a good codec without trying the
        // rest, so it is not always the very smallest).
        if let raw = StoreChunk.encode(column, codec: .raw, options: options) {
            #expect(encodings[0].count <= raw.count, "\(context): chosen \(encodings[0].count) B, raw \(raw.count) B")
        }
    }

    static func checkStatistics(_ statistics: StoreChunkStatistics, _ column: StoreColumn, _ context: String) {
        func same<F: StoreFloatingPoint>(_ a: StoreFloatStatistics<F>, _ b: StoreFloatStatistics<F>) -> Bool {
            a.minimum.bitPattern == b.minimum.bitPattern && a.maximum.bitPattern == b.maximum.bitPattern
                && a.first.bitPattern == b.first.bitPattern && a.last.bitPattern == b.last.bitPattern
                && a.sum.bitPattern == b.sum.bitPattern && a.nanCount == b.nanCount
        }
        switch (statistics, column) {
        case (.none, _) where column.count == 0: break
        case (.none, .string): break
        case (.float64(let s), .float64(let v)): #expect(same(s, StoreFloatStatistics(v)), "\(context)")
        case (.float32(let s), .float32(let v)): #expect(same(s, StoreFloatStatistics(v)), "\(context)")
        case (.integer(let s), .int64(let v)), (.integer(let s), .timestamp(let v)), (.integer(let s), .state(let v)):
            #expect(s == StoreIntegerStatistics(v), "\(context)")
        case (.bool(let s), .bool(let v)):
            #expect(s.trueCount == v.filter { $0 }.count && s.first == v.first && s.last == v.last, "\(context)")
        default:
            Issue.record("\(context): statistics \(statistics) for a \(column.valueType) column")
        }
    }

    @Test("float64: bit patterns, NaN payloads, -0.0, ±inf, subnormals, decimals, smooth, constant")
    func float64() {
        var g = ColumnGenerator(seed: 0xF64)
        for i in 0..<160 { Self.check(.float64(g.doubles()), "float64 case \(i)") }
    }

    @Test("float32: bit patterns, NaN payloads, -0.0, ±inf, subnormals, decimals, smooth")
    func float32() {
        var g = ColumnGenerator(seed: 0xF32)
        for i in 0..<160 { Self.check(.float32(g.floats()), "float32 case \(i)") }
    }

    @Test("int64, timestamp and state: extremes, jitter, gaps, non-monotonic, runs, common factors")
    func integers() {
        var g = ColumnGenerator(seed: 0x164)
        for i in 0..<120 {
            Self.check(.int64(g.integers()), "int64 case \(i)")
            Self.check(.timestamp(g.integers()), "timestamp case \(i)")
            Self.check(.state(g.integers()), "state case \(i)")
        }
    }

    @Test("bool and string (canonically equivalent strings stay distinct bytes)")
    func boolsAndStrings() {
        var g = ColumnGenerator(seed: 0xB001)
        for i in 0..<150 {
            Self.check(.bool(g.bools()), "bool case \(i)")
            Self.check(.string(g.strings()), "string case \(i)")
        }
        let tricky = ["é", "e\u{301}", "é", "Å", "A\u{30A}", "", "nul\u{0}inside"]
        Self.check(.string(tricky), "canonical equivalence")
        let decoded = try? StoreChunk.decode(StoreChunk.encode(.string(tricky)))
        if case .string(let values) = decoded?.values {
            #expect(values.map { Array($0.utf8) } == tricky.map { Array($0.utf8) })
        } else {
            Issue.record("strings did not decode")
        }
    }

    @Test("empty chunks and single values of every type")
    func emptyAndSingle() {
        let single: [StoreColumn] = [
            .float64([-0.0]), .float64([.nan]), .float64([Double(bitPattern: 0x7FF4_0000_DEAD_BEEF)]),
            .float32([Float(bitPattern: 0x7FA0_BEEF)]), .float32([-.infinity]), .int64([.min]), .int64([.max]),
            .timestamp([0]), .state([-1]), .bool([true]), .string(["RTL"]), .string([""]),
        ]
        let empty: [StoreColumn] = [
            .float64([]), .float32([]), .int64([]), .timestamp([]), .state([]), .bool([]), .string([]),
        ]
        for column in single + empty { Self.check(column, "single/empty") }
        let bytes = StoreChunk.encode(.float64([]))
        #expect(bytes.count == StoreChunk.fixedHeaderSize)
    }

    @Test("many random columns of mixed types (seed sweep)", arguments: [1, 2, 3, 4] as [UInt64])
    func mixed(seed: UInt64) {
        var g = ColumnGenerator(seed: seed &* 0x9E37)
        for i in 0..<60 { Self.check(g.column(), "seed \(seed) case \(i)") }
    }

    // MARK: - Decimal scaling

    @Test("lat/lon at 1e-7 degrees: both scaling formulas are found and coded without exceptions")
    func latitudeLongitude() throws {
        var rng = SplitMix64(seed: 7)
        var latE7 = Int64(-337_123_456)
        var integers: [Int64] = []
        for _ in 0..<1024 {
            latE7 += Int64.random(in: 30...60, using: &rng)
            integers.append(latE7)
        }
        let divided = integers.map { Double($0) / 1e7 }
        let multiplied = integers.map { Double($0) * 1e-7 }
        #expect(divided.map(\.bitPattern) != multiplied.map(\.bitPattern), "the two formulas differ for some values")
        for values in [divided, multiplied] {
            let bytes = StoreChunk.encode(.float64(values))
            let chunk = try StoreChunk.decode(bytes)
            #expect(chunk.header.codec == .decimal)
            #expect(chunk.values.isIdentical(to: .float64(values)))
            // ~6 bits of delta per value; XOR would need ~30.
            #expect(chunk.header.payloadSize < 1024)
        }
    }

    @Test("-0.0, NaN and a stray full-precision value in a decimal chunk are patched exceptions")
    func decimalExceptions() throws {
        var values = (0..<500).map { Double(2400 - $0 / 10) / 100 }
        values[3] = -0.0
        values[100] = .nan
        values[101] = Double(bitPattern: 0x7FF4_0000_DEAD_BEEF)
        values[200] = 24.123456789012345
        values[499] = .infinity
        let bytes = StoreChunk.encode(.float64(values))
        let chunk = try StoreChunk.decode(bytes)
        #expect(chunk.header.codec == .decimal)
        #expect(chunk.values.isIdentical(to: .float64(values)))
        Self.check(.float64(values), "decimal exceptions")
        Self.check(.float64(values), "declared exponent", options: StoreEncodingOptions(decimalExponent: 2))
        Self.check(.float64(values), "wrong declared exponent", options: StoreEncodingOptions(decimalExponent: 0))
    }

    @Test("float32 decimals (0.1 % soil moisture as Float)")
    func float32Decimals() throws {
        let values: [Float] = (0..<1000).map { Float(300 - $0 % 97) / 10 }
        let chunk = try StoreChunk.decode(StoreChunk.encode(.float32(values)))
        #expect(chunk.header.codec == .decimal)
        #expect(chunk.values.isIdentical(to: .float32(values)))
    }

    // MARK: - Integers

    @Test("ordered keys are a bijection that keeps the order of values")
    func orderedKeys() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<10_000 {
            let a = Double(bitPattern: rng.next())
            #expect(Double(orderedKey: a.orderedKey).bitPattern == a.bitPattern)
            let b = Double(bitPattern: rng.next())
            if !a.isNaN && !b.isNaN && a < b { #expect(a.orderedKey < b.orderedKey) }
            let f = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
            #expect(Float(orderedKey: f.orderedKey).bitPattern == f.bitPattern)
        }
        #expect((-0.0).orderedKey == -1 && (0.0).orderedKey == 0)
    }

    @Test("every order of the integer engine round-trips alone, whatever the data")
    func everyOrder() throws {
        var g = ColumnGenerator(seed: 99)
        for _ in 0..<60 {
            let values = g.integers()
            for order in IntegerSequenceCodec.allOrders {
                var out: [UInt8] = []
                values.withUnsafeBufferPointer { IntegerSequenceCodec.encode($0, order: order, into: &out) }
                var decoded = [Int64](repeating: 0, count: values.count)
                try out.withUnsafeBytes { buffer in
                    var reader = ByteReader(buffer)
                    try decoded.withUnsafeMutableBufferPointer { d in
                        if let base = d.baseAddress {
                            try IntegerSequenceCodec.decode(&reader, count: values.count, into: base)
                        }
                    }
                    #expect(reader.offset == buffer.count)
                }
                #expect(decoded == values, "order \(order)")
            }
        }
    }

    @Test("bit packing round-trips every width 0...64 at every count 0...70")
    func bitPacking() throws {
        var rng = SplitMix64(seed: 5)
        for width in 0...64 {
            for count in 0...70 {
                let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
                let values = (0..<count).map { _ in rng.next() & mask }
                var out: [UInt8] = []
                values.withUnsafeBufferPointer { BitPacking.pack($0, width: width, into: &out) }
                #expect(out.count == BitPacking.byteCount(count: count, width: width))
                var decoded = [UInt64](repeating: 0, count: count)
                try out.withUnsafeBytes { buffer in
                    var reader = ByteReader(buffer)
                    try decoded.withUnsafeMutableBufferPointer { d in
                        if let base = d.baseAddress {
                            try BitPacking.unpack(&reader, count: count, width: width, adding: 0, into: base)
                        }
                    }
                }
                #expect(decoded == values, "width \(width) count \(count)")
            }
        }
    }
}
