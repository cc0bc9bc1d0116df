import Testing

@testable import FurrowStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("Row groups: one time column, N value columns")
struct RowGroupTests {
    static func group(seed: UInt64, rows: Int) -> StoreRowGroup {
        var rng = SplitMix64(seed: seed)
        var t = Int64(1_718_000_000_000_000)
        let time = (0..<rows).map { _ in
            t += 20_000 + Int64.random(in: -3000...3000, using: &rng)
            return t
        }
        let roll = (0..<rows).map { Float(sin(Double($0) / 50)) * 0.1 }
        let voltage = (0..<rows).map { Double(2460 - $0 / 40) / 100 }
        let mode = (0..<rows).map { Int64($0 / 300 % 3) }
        let armed = (0..<rows).map { $0 > 10 }
        let text = (0..<rows).map { $0 % 500 == 0 ? "EKF3 IMU0 is using GPS" : "" }
        return StoreRowGroup(
            timestamps: time, columns: [.float32(roll), .float64(voltage), .state(mode), .bool(armed), .string(text)])
    }

    @Test("round trip of the whole group and of single columns", arguments: [0, 1, 129, 1024])
    func roundTrip(rows: Int) throws {
        let group = Self.group(seed: UInt64(rows), rows: rows)
        let bytes = group.encode()
        let decoded = try StoreRowGroup.decode(bytes)
        #expect(decoded.timestamps == group.timestamps)
        #expect(decoded.columns.count == group.columns.count)
        for (a, b) in zip(decoded.columns, group.columns) { #expect(a.isIdentical(to: b)) }
        for i in group.columns.indices {
            let (time, column) = try StoreRowGroup.decodeColumn(bytes, at: i)
            #expect(time == group.timestamps)
            #expect(column.isIdentical(to: group.columns[i]))
        }
        #expect(throws: StoreCodecError.self) { try StoreRowGroup.decodeColumn(bytes, at: group.columns.count) }
    }

    @Test("the time column is stored once: the group is the sum of its chunks plus a small directory")
    func timeStoredOnce() {
        let group = Self.group(seed: 9, rows: 1024)
        let chunks = group.encodeChunks()
        #expect(group.encode().count == chunks.byteCount + 8 + 4 * (group.columns.count + 1))
    }

    @Test("a column whose length differs from the time column is reported, not returned")
    func rowCountMismatch() throws {
        let short = StoreEncodedRowGroup(
            time: StoreChunk.encode(.timestamp([1, 2, 3])),
            columns: [StoreChunk.encode(.float64([1, 2, 3])), StoreChunk.encode(.float64([1, 2]))])
        let error = try #require(throws: StoreCodecError.self) { try StoreRowGroup.decode(short.serialized()) }
        #expect(error.code == .rowCountMismatch)
        #expect(error.message.contains("column 1"))
        let notTime = StoreEncodedRowGroup(time: StoreChunk.encode(.int64([1])), columns: [])
        #expect(throws: StoreCodecError.self) { try StoreRowGroup.decode(notTime.serialized()) }
    }

    @Test("every flipped byte of a serialized group throws or decodes to the identical group")
    func flips() {
        let group = Self.group(seed: 4, rows: 200)
        let bytes = group.encode()
        for i in bytes.indices {
            var damaged = bytes
            damaged[i] ^= 0x5A
            if let decoded = try? StoreRowGroup.decode(damaged) {
                #expect(
                    decoded.timestamps == group.timestamps
                        && zip(decoded.columns, group.columns).allSatisfy { $0.isIdentical(to: $1) }, "byte \(i)")
            }
            _ = try? StoreRowGroup.decode(damaged, verifyingChecksums: false)
        }
        for cut in 0..<bytes.count {
            #expect(throws: StoreCodecError.self) { try StoreRowGroup.decode(Array(bytes[..<cut])) }
        }
    }
}
