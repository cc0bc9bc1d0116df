@testable import FurrowStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Seeded generators of awkward columns: every shape a codec has a special case for, plus the values
/// that break naive float and integer code (NaN payloads, -0.0, ±inf, subnormals, Int64 extremes).
struct ColumnGenerator {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }

    /// 0, 1, 2, block edges (127...129, 255...257) or a random length up to 3,000.
    mutating func length() -> Int {
        switch int(0...9) {
        case 0: return [0, 1, 2, 3][int(0...3)]
        case 1: return [127, 128, 129, 255, 256, 257, 1024, 1025][int(0...7)]
        default: return int(1...3000)
        }
    }

    // MARK: - Doubles

    static let specialDoubles: [Double] = [
        0.0, -0.0, .infinity, -.infinity, .nan, -.nan,
        Double(bitPattern: 0x7FF0_0000_0000_0001),  // signalling NaN, smallest payload
        Double(bitPattern: 0x7FF4_0000_DEAD_BEEF),  // signalling NaN with a payload
        Double(bitPattern: 0xFFF8_0000_0000_1234),  // negative quiet NaN with a payload
        .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
        Double(bitPattern: 0x000F_FFFF_FFFF_FFFF),  // largest subnormal
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .ulpOfOne, 1, -1, 0.1, 1e300, 9_007_199_254_740_994,
    ]

    mutating func special() -> Double { Self.specialDoubles[int(0...(Self.specialDoubles.count - 1))] }

    mutating func doubles() -> [Double] {
        let n = length()
        var values: [Double]
        switch int(0...7) {
        case 0:  // arbitrary bit patterns: NaN payloads, subnormals, everything
            values = (0..<n).map { _ in Double(bitPattern: rng.next()) }
        case 1:  // fixed decimals, either scaling formula
            let k = int(0...9)
            let multiply = chance(0.5)
            var m = Int64(int(-100_000...100_000))
            values = (0..<n).map { _ in
                m += Int64(int(-50...50))
                return multiply ? Double(m) * DecimalTables.inverseDouble[k] : Double(m) / DecimalTables.double[k]
            }
        case 2:  // smooth signal with noise
            let step = Double.random(in: 1e-4...0.1, using: &rng)
            let amplitude = Double.random(in: 1e-3...1e6, using: &rng)
            values = (0..<n).map { i in amplitude * sin(Double(i) * step) + Double.random(in: -1e-3...1e-3, using: &rng)
            }
        case 3:  // constant
            let v = chance(0.5) ? special() : Double.random(in: -1e9...1e9, using: &rng)
            values = Array(repeating: v, count: n)
        case 4:  // float32 values widened
            values = (0..<n).map { _ in Double(Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))) }
        case 5:  // runs of specials and small integers
            values = []
            while values.count < n {
                let v = chance(0.5) ? special() : Double(int(-3...3))
                values += Array(repeating: v, count: Swift.min(n - values.count, int(1...40)))
            }
        case 6:  // huge and tiny magnitudes mixed
            values = (0..<n).map { _ in
                Double(
                    sign: chance(0.5) ? .minus : .plus, exponent: int(-1074...1023),
                    significand: Double.random(in: 1..<2, using: &rng))
            }
        default:  // decimals with specials sprinkled in (exceptions)
            var m = Int64(int(0...10_000))
            values = (0..<n).map { _ in
                m += Int64(int(-5...5))
                return Double(m) / 100
            }
        }
        // Sprinkle specials into a third of the chunks.
        if n > 0 && chance(0.33) {
            for _ in 0..<int(1...Swift.max(1, n / 20)) { values[int(0...(n - 1))] = special() }
        }
        return values
    }

    // MARK: - Floats

    static let specialFloats: [Float] = [
        0, -0.0, .infinity, -.infinity, .nan, -.nan,
        Float(bitPattern: 0x7F80_0001),  // signalling NaN
        Float(bitPattern: 0x7FA0_BEEF),  // signalling NaN with a payload
        Float(bitPattern: 0xFFC0_1234),  // negative quiet NaN with a payload
        .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
        Float(bitPattern: 0x007F_FFFF), .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0.1, 16_777_218,
    ]

    mutating func floats() -> [Float] {
        let n = length()
        var values: [Float]
        switch int(0...4) {
        case 0:
            values = (0..<n).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())) }
        case 1:
            let k = int(0...4)
            var m = Int64(int(-10_000...10_000))
            values = (0..<n).map { _ in
                m += Int64(int(-20...20))
                return Float(m) / DecimalTables.float[k]
            }
        case 2:
            let step = Float.random(in: 1e-3...0.1, using: &rng)
            values = (0..<n).map { i in 0.1 * sin(Float(i) * step) + Float.random(in: -1e-3...1e-3, using: &rng) }
        case 3:
            values = Array(repeating: Self.specialFloats[int(0...(Self.specialFloats.count - 1))], count: n)
        default:
            values = (0..<n).map { _ in Float(int(-2...2)) }
        }
        if n > 0 && chance(0.33) {
            for _ in 0..<int(1...Swift.max(1, n / 20)) {
                values[int(0...(n - 1))] = Self.specialFloats[int(0...(Self.specialFloats.count - 1))]
            }
        }
        return values
    }

    // MARK: - Integers

    mutating func integers() -> [Int64] {
        let n = length()
        var values: [Int64]
        switch int(0...6) {
        case 0:
            values = (0..<n).map { _ in Int64(bitPattern: rng.next()) }
        case 1:  // extremes next to each other: every delta overflows
            values = (0..<n).map { _ in [Int64.min, .max, 0, -1, 1, .min + 1, .max - 1][int(0...6)] }
        case 2:  // regular timestamps with jitter and gaps
            let period = Int64(int(1...1_000_000))
            let jitter = Int64(int(0...5000))
            var t = Int64(int(0...1_800_000_000)) * 1_000_000
            values = (0..<n).map { _ in
                t += period + Int64.random(in: -jitter...jitter, using: &rng)
                if chance(0.005) { t += Int64(int(1...10_000_000_000)) }
                return t
            }
        case 3:  // non-monotonic timestamps: out-of-order, duplicates, backwards jumps
            var t = Int64(1_700_000_000_000_000)
            values = (0..<n).map { _ in
                t += Int64(int(-30_000...50_000))
                return chance(0.05) ? t - Int64(int(0...1_000_000_000)) : t
            }
        case 4:  // huge jitter around a period
            var t = Int64(0)
            values = (0..<n).map { _ in
                t = t &+ 20_000 &+ Int64.random(in: -(1 << 40)...(1 << 40), using: &rng)
                return t
            }
        case 5:  // runs of states
            values = []
            while values.count < n {
                values += Array(repeating: Int64(int(-3...20)), count: Swift.min(n - values.count, int(1...200)))
            }
        default:  // multiples of a common factor around a drifting level
            let factor = Int64(int(1...5000))
            var level = Int64(int(-1_000_000...1_000_000))
            values = (0..<n).map { _ in
                level += Int64(int(-3...3))
                return level * factor
            }
        }
        if n > 0 && chance(0.2) {
            values[int(0...(n - 1))] = chance(0.5) ? .min : .max
        }
        return values
    }

    mutating func bools() -> [Bool] {
        let n = length()
        switch int(0...2) {
        case 0: return (0..<n).map { _ in chance(0.5) }
        case 1: return Array(repeating: chance(0.5), count: n)
        default:
            var values: [Bool] = []
            var v = chance(0.5)
            while values.count < n {
                values += Array(repeating: v, count: Swift.min(n - values.count, int(1...300)))
                v.toggle()
            }
            return values
        }
    }

    static let words = [
        "", "AUTO", "RTL", "LAND", "GUIDED", "LOITER", "PreArm: Battery below minimum arming voltage",
        "é", "e\u{301}", "Å", "A\u{30A}", "\u{1F69C} tractor", "nul\u{0}inside",
        "ünïcödé ṫëxt", "中文状态",
    ]

    mutating func strings() -> [String] {
        let n = length()
        let distinct = int(1...Self.words.count)
        switch int(0...2) {
        case 0:
            return (0..<n).map { _ in Self.words[int(0...(distinct - 1))] }
        case 1:
            var values: [String] = []
            while values.count < n {
                values += Array(
                    repeating: Self.words[int(0...(distinct - 1))], count: Swift.min(n - values.count, int(1...100)))
            }
            return values
        default:
            return (0..<n).map { _ in
                String(decoding: (0..<int(0...40)).map { _ in UInt8(int(0x20...0x7E)) }, as: UTF8.self)
                    + (chance(0.1) ? "ß" : "")
            }
        }
    }

    /// One random column of any type.
    mutating func column() -> StoreColumn {
        switch int(0...6) {
        case 0: .float64(doubles())
        case 1: .float32(floats())
        case 2: .int64(integers())
        case 3: .timestamp(integers())
        case 4: .state(integers())
        case 5: .bool(bools())
        default: .string(strings())
        }
    }
}
