/// What the float codecs need to know about `Double` and `Float`, so each codec is written once and
/// specialised for both widths.
protocol StoreFloatingPoint: BinaryFloatingPoint, Sendable {
    /// The IEEE-754 bit pattern type (`UInt64` or `UInt32`).
    associatedtype Bits: FixedWidthInteger & UnsignedInteger & Sendable

    init(bitPattern: Bits)
    var bitPattern: Bits { get }

    /// Largest `k` for which `10^k` is exactly representable (22 for Double, 10 for Float).
    static var maxExactPowerOfTen: Int { get }
    /// `10^k`, exact for `k <= maxExactPowerOfTen`.
    static func powerOfTen(_ k: Int) -> Self
    /// The nearest value to `10^-k`.
    static func inversePowerOfTen(_ k: Int) -> Self
    /// `2^(significand bits + 1)`: every integer of at most this magnitude converts exactly.
    static var exactIntegerLimit: Self { get }

    /// `Int64(self)` for an integral value within `exactIntegerLimit` (the concrete conversion; the
    /// generic `BinaryFloatingPoint` one is several times slower).
    var exactInt64: Int64 { get }
    /// The value nearest to `value` (exact within `exactIntegerLimit`), through the concrete conversion.
    init(exactly64 value: Int64)
}

extension StoreFloatingPoint {
    /// Bits in the pattern.
    static var patternBitWidth: Int { Bits.bitWidth }

    /// The bit pattern as a `UInt64` (zero-extended).
    @inline(__always)
    var pattern64: UInt64 { UInt64(truncatingIfNeeded: bitPattern) }

    @inline(__always)
    init(pattern64: UInt64) { self.init(bitPattern: Bits(truncatingIfNeeded: pattern64)) }

    /// A signed integer with the same order as the float's value (negative values flip their magnitude
    /// bits), so nearby floats get nearby integers and a smooth signal gets small deltas. It is a
    /// bijection on bit patterns, so NaN payloads, -0.0 and infinities come back exactly.
    @inline(__always)
    var orderedKey: Int64 {
        let shift = Self.patternBitWidth &- 1
        let signed =
            Int64(bitPattern: pattern64 << UInt64(64 &- Self.patternBitWidth)) >> UInt64(64 &- Self.patternBitWidth)
        return signed ^ ((signed >> 63) & ((1 << Int64(shift)) &- 1))
    }

    /// Inverse of `orderedKey` (keys outside the type's range are truncated: only corrupt data has them).
    @inline(__always)
    init(orderedKey key: Int64) {
        let shift = Self.patternBitWidth &- 1
        let signed = key ^ ((key >> 63) & ((1 << Int64(shift)) &- 1))
        self.init(pattern64: UInt64(bitPattern: signed))
    }
}

extension Double: StoreFloatingPoint {
    static var maxExactPowerOfTen: Int { 22 }
    @inline(__always)
    static func powerOfTen(_ k: Int) -> Double { DecimalTables.double[k] }
    @inline(__always)
    static func inversePowerOfTen(_ k: Int) -> Double { DecimalTables.inverseDouble[k] }
    static var exactIntegerLimit: Double { 9_007_199_254_740_992 }
    @inline(__always) var exactInt64: Int64 { Int64(self) }
    @inline(__always) init(exactly64 value: Int64) { self.init(value) }
}

extension Float: StoreFloatingPoint {
    static var maxExactPowerOfTen: Int { 10 }
    @inline(__always)
    static func powerOfTen(_ k: Int) -> Float { DecimalTables.float[k] }
    @inline(__always)
    static func inversePowerOfTen(_ k: Int) -> Float { DecimalTables.inverseFloat[k] }
    static var exactIntegerLimit: Float { 16_777_216 }
    @inline(__always) var exactInt64: Int64 { Int64(self) }
    @inline(__always) init(exactly64 value: Int64) { self.init(value) }
}

/// Powers of ten as literals (a literal is correctly rounded, `pow` is not guaranteed to be).
enum DecimalTables {
    static let double: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
        1e18, 1e19, 1e20, 1e21, 1e22,
    ]
    static let inverseDouble: [Double] = [
        1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12, 1e-13, 1e-14, 1e-15,
        1e-16, 1e-17, 1e-18, 1e-19, 1e-20, 1e-21, 1e-22,
    ]
    static let float: [Float] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10]
    static let inverseFloat: [Float] = [1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10]
}
