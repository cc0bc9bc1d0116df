import Foundation
import Testing

@testable import FurrowServer
@testable import FurrowStore

/// The hand-written JSON numbers and times of query answers against Swift's own `description` and parser
/// (strtod) and Foundation's ISO 8601 formatter (code we did not write).
@Suite("JSON text")
struct JSONTextTests {
    /// A seeded source of 64-bit patterns (xorshift64*), so a failure names a value that comes back.
    struct Numbers {
        var state: UInt64
        init(seed: UInt64) { state = seed | 1 }
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
    }

    static func text(_ write: (inout JSONText) -> Void) -> String {
        var out = JSONText()
        write(&out)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    @Test("every finite double reads back bit for bit; fixed decimals print as Swift's shortest form")
    func doubles() throws {
        var rng = Numbers(seed: 2026)
        var values: [Double] = [0, -0.0, 1, -1, 5, 0.1, 0.2, 0.3, 1e-4, 9.999e-5, 1e15, 999_999_999_999_999, 123.456,
                                -0.6, 2.5e-3, 1e-9, .pi, 4_320_000, 0.000_123, 1e300, .leastNonzeroMagnitude,
                                .greatestFiniteMagnitude, .leastNormalMagnitude]
        for _ in 0..<50_000 {
            values.append(Double(bitPattern: rng.next()))  // any bit pattern
            let decimals = Int(rng.next() % 10)
            let scaled = Double(Int64(rng.next() % 2_000_000_001) - 1_000_000_000)
            values.append(scaled / pow(10, Double(decimals)))  // what a fixed-decimal channel stores
            values.append(Double(Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))))
        }
        var fixedDecimals = 0
        for v in values where v.isFinite {
            let written = Self.text { $0.number(v) }
            let parsed = try #require(Double(written), "\(written) does not parse")
            #expect(parsed.bitPattern == v.bitPattern, "\(v.description) written as \(written)")
            if !v.description.contains("e") {
                fixedDecimals += 1
                #expect(written == v.description, "\(v.description) written as \(written)")
            }
        }
        #expect(fixedDecimals > 50_000)
        #expect(Self.text { $0.number(.nan) } == "null")
        #expect(Self.text { $0.number(-.infinity) } == "null")
    }

    @Test("a column of doubles reads back bit for bit, whether it starts with short decimals or not")
    func doubleColumns() throws {
        var rng = Numbers(seed: 77)
        let decimals = (0..<500).map { _ in Double(Int64(rng.next() % 200_001) - 100_000) / 100 }
        let means = (0..<500).map { _ in Double(Int64(rng.next() % 200_001) - 100_000) / 3 }
        for column in [decimals + means, means + decimals, means + [.nan, .infinity] + decimals, []] {
            let written = Self.text { $0.doubles(column) }
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(written.utf8)) as? [Any])
            #expect(parsed.count == column.count)
            for (value, read) in zip(column, parsed) {
                if value.isFinite {
                    #expect((read as? NSNumber)?.doubleValue.bitPattern == value.bitPattern, "\(value)")
                } else {
                    #expect(read is NSNull)
                }
            }
        }
    }

    @Test("integers print exactly, extremes included")
    func integers() {
        var rng = Numbers(seed: 9)
        var values: [Int64] = [0, 1, -1, 9, 10, 99, 100, .max, .min, .max - 1, .min + 1, 1_000_000_000_000_000_000]
        for _ in 0..<20_000 { values.append(Int64(bitPattern: rng.next()) >> (rng.next() % 64)) }
        for v in values { #expect(Self.text { $0.integer(v) } == String(v)) }
    }

    @Test("times are RFC 3339 with µs, equal to Foundation's ISO 8601 formatter, and parse back")
    func times() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var rng = Numbers(seed: 3)
        var values: [Int64] = [0, -1, 1, 86_400_000_000, -86_400_000_000, 951_782_400_000_000, 253_402_300_799_999_999]
        for _ in 0..<20_000 { values.append(Int64(rng.next() % 8_000_000_000_000_000) - 2_000_000_000_000_000) }
        for micros in values {
            let written = Self.text { $0.time(micros) }
            let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
            let fraction = micros - seconds * 1_000_000
            let whole = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))  // ...:SSZ
            let expected = "\"" + whole.dropLast() + "." + String(format: "%06lld", fraction) + "Z\""
            #expect(written == expected)
            #expect(StoreTime.parse(String(written.dropFirst().dropLast())) == micros)
        }
        // Past year 9999 the year is written in full.
        #expect(Self.text { $0.time(253_402_300_800_000_001) } == "\"10000-01-01T00:00:00.000001Z\"")
    }
}
