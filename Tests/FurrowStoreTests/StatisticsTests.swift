import Testing

@testable import FurrowStore

@Suite("Chunk statistics")
struct StatisticsTests {
    @Test("float statistics skip NaN, keep the first of -0.0/+0.0, and carry exact first/last bits")
    func floats() throws {
        let payloadNaN = Double(bitPattern: 0x7FF4_0000_DEAD_BEEF)
        let values: [Double] = [payloadNaN, 1, -0.0, 0.0, -3, .infinity, .nan]
        let header = try StoreChunk.readHeader(StoreChunk.encode(.float64(values)))
        guard case .float64(let s) = header.statistics else {
            Issue.record("expected float64 statistics, got \(header.statistics)")
            return
        }
        #expect(s.minimum == -3 && s.maximum == .infinity)
        #expect(s.first.bitPattern == payloadNaN.bitPattern && s.last.isNaN)
        #expect(s.nanCount == 2 && s.sum == .infinity)

        let zeros = try StoreChunk.readHeader(StoreChunk.encode(.float32([-0.0, 0.0])))
        guard case .float32(let z) = zeros.statistics else {
            Issue.record("expected float32 statistics")
            return
        }
        #expect(
            z.minimum.bitPattern == (-0.0 as Float).bitPattern && z.maximum.bitPattern == (-0.0 as Float).bitPattern)

        let allNaN = try StoreChunk.readHeader(StoreChunk.encode(.float64([.nan, .nan])))
        guard case .float64(let n) = allNaN.statistics else {
            Issue.record("expected float64 statistics")
            return
        }
        #expect(n.minimum.isNaN && n.maximum.isNaN && n.sum.isNaN && n.nanCount == 2)
    }

    @Test("integer sums are exact past Int64 (128-bit)")
    func exactSums() throws {
        let header = try StoreChunk.readHeader(StoreChunk.encode(.int64([.max, .max, .min, 5])))
        guard case .integer(let s) = header.statistics else {
            Issue.record("expected integer statistics")
            return
        }
        // (2^63 - 1) * 2 - 2^63 + 5 = 2^63 + 3
        #expect(s.sum == StoreExactSum(high: 0, low: (1 << 63) + 3))
        #expect(s.sum.int64Value == nil)
        #expect(s.minimum == .min && s.maximum == .max && s.first == .max && s.last == 5)

        var negative = StoreExactSum()
        for _ in 0..<4 { negative.add(.min) }
        #expect(negative == StoreExactSum(high: -2, low: 0))
        #expect(negative.doubleValue == -4 * 9_223_372_036_854_775_808.0)
        var small = StoreExactSum()
        small.add(-7)
        small.add(2)
        #expect(small.int64Value == -5)
    }

    @Test("bool statistics count the trues; strings and empty chunks carry none")
    func boolsAndStrings() throws {
        let header = try StoreChunk.readHeader(StoreChunk.encode(.bool([false, true, true, false, true])))
        guard case .bool(let s) = header.statistics else {
            Issue.record("expected bool statistics")
            return
        }
        #expect(s.trueCount == 3 && !s.first && s.last)
        let strings = try StoreChunk.readHeader(StoreChunk.encode(.string(["a"])))
        guard case .none = strings.statistics else {
            Issue.record("strings carry no statistics")
            return
        }
        let empty = try StoreChunk.readHeader(StoreChunk.encode(.int64([])))
        #expect(empty.count == 0 && empty.byteCount == StoreChunk.fixedHeaderSize)
    }
}
