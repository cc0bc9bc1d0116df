/// What a chunk header records about its values, so aggregates over whole chunks (count, min, max, sum,
/// mean, first, last) are answered without decoding the payload.
public enum StoreChunkStatistics: Sendable {
    /// Strings and empty chunks carry no statistics.
    case none
    case float64(StoreFloatStatistics<Double>)
    case float32(StoreFloatStatistics<Float>)
    /// Timestamps, int64 and state columns.
    case integer(StoreIntegerStatistics)
    case bool(StoreBoolStatistics)

    /// Bytes the statistics of a non-empty chunk of `type` take in the header.
    static func size(of type: StoreValueType) -> Int {
        switch type {
        case .float64: 44
        case .float32: 28
        case .timestamp, .int64, .state: 48
        case .bool: 6
        case .string: 0
        }
    }
}

/// Statistics of a float chunk.
///
/// NaNs are counted, not compared: `minimum`, `maximum` and `sum` cover the other values (so
/// `sum / Double(count - nanCount)` is the mean), and are NaN when every value is NaN. Values compare
/// numerically, so between -0.0 and +0.0 the first one seen is kept. `first` and `last` are the exact
/// first and last values, NaN or not.
public struct StoreFloatStatistics<Value: BinaryFloatingPoint & Sendable>: Sendable {
    public var minimum: Value
    public var maximum: Value
    public var first: Value
    public var last: Value
    /// Sum of the non-NaN values in `Double` (±inf if one is infinite, NaN if both infinities occur).
    public var sum: Double
    /// Values that are NaN.
    public var nanCount: Int

    init<C: Collection<Value>>(_ values: C) where Value: StoreFloatingPoint {
        var minimum = Value.nan
        var maximum = Value.nan
        var sum = 0.0
        var nanCount = 0
        for v in values {
            if v.isNaN {
                nanCount &+= 1
                continue
            }
            if !(v >= minimum) { minimum = v }
            if !(v <= maximum) { maximum = v }
            sum += Double(v)
        }
        self.minimum = minimum
        self.maximum = maximum
        self.first = values.first ?? .nan
        self.last = values.isEmpty ? .nan : values[values.index(values.endIndex, offsetBy: -1)]
        self.sum = nanCount == values.count ? .nan : sum
        self.nanCount = nanCount
    }

    init(minimum: Value, maximum: Value, first: Value, last: Value, sum: Double, nanCount: Int) {
        self.minimum = minimum
        self.maximum = maximum
        self.first = first
        self.last = last
        self.sum = sum
        self.nanCount = nanCount
    }
}

/// Statistics of a timestamp, int64 or state chunk; the sum is exact (128-bit).
public struct StoreIntegerStatistics: Sendable, Hashable {
    public var minimum: Int64
    public var maximum: Int64
    public var first: Int64
    public var last: Int64
    public var sum: StoreExactSum

    init(_ values: [Int64]) {
        var minimum = Int64.max
        var maximum = Int64.min
        var sum = StoreExactSum()
        for v in values {
            minimum = Swift.min(minimum, v)
            maximum = Swift.max(maximum, v)
            sum.add(v)
        }
        self.init(minimum: minimum, maximum: maximum, first: values.first ?? 0, last: values.last ?? 0, sum: sum)
    }

    init(minimum: Int64, maximum: Int64, first: Int64, last: Int64, sum: StoreExactSum) {
        self.minimum = minimum
        self.maximum = maximum
        self.first = first
        self.last = last
        self.sum = sum
    }
}

/// The exact sum of up to 2^64 Int64 values, as a 128-bit two's complement integer (the chunk format
/// caps counts far lower, so it never overflows).
///
/// A struct rather than `Int128` because the package still deploys to macOS 14, where `Int128` is not
/// available.
public struct StoreExactSum: Sendable, Hashable {
    /// Upper 64 bits (signed).
    public var high: Int64
    /// Lower 64 bits.
    public var low: UInt64

    public init(high: Int64 = 0, low: UInt64 = 0) {
        self.high = high
        self.low = low
    }

    /// Adds one value.
    @inline(__always)
    public mutating func add(_ value: Int64) {
        let (sum, carry) = low.addingReportingOverflow(UInt64(bitPattern: value))
        low = sum
        high = high &+ (value >> 63) &+ (carry ? 1 : 0)
    }

    /// The sum as a Double (rounded), e.g. for a mean.
    public var doubleValue: Double {
        Double(high) * 18_446_744_073_709_551_616.0 + Double(low)
    }

    /// The sum if it fits an `Int64`.
    public var int64Value: Int64? {
        let fits = (high == 0 && low >> 63 == 0) || (high == -1 && low >> 63 == 1)
        return fits ? Int64(bitPattern: low) : nil
    }
}

/// Statistics of a boolean chunk.
public struct StoreBoolStatistics: Sendable, Hashable {
    /// Values that are true (the sum; the minimum is `trueCount == count`, the maximum `trueCount > 0`).
    public var trueCount: Int
    public var first: Bool
    public var last: Bool
}
