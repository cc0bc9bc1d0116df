/// The values of one column chunk, typed: what the encoder takes and the decoder gives back.
///
/// Equality of floats here is *bitwise* (`isIdentical(to:)`), which is what the store promises: NaN
/// payloads, -0.0 and the exact UTF-8 bytes of strings come back unchanged. The type deliberately does
/// not conform to `Equatable`, whose `==` on floats would call two equal NaNs different and -0.0 equal
/// to 0.0.
public enum StoreColumn: Sendable {
    /// Microseconds since the Unix epoch, in row order (not necessarily sorted).
    case timestamp([Int64])
    case float64([Double])
    case float32([Float])
    case int64([Int64])
    case bool([Bool])
    /// Small integer states and enums (run-length coded first).
    case state([Int64])
    case string([String])

    /// The type tag stored in the chunk header.
    public var valueType: StoreValueType {
        switch self {
        case .timestamp: .timestamp
        case .float64: .float64
        case .float32: .float32
        case .int64: .int64
        case .bool: .bool
        case .state: .state
        case .string: .string
        }
    }

    /// Number of values.
    public var count: Int {
        switch self {
        case .timestamp(let v), .int64(let v), .state(let v): v.count
        case .float64(let v): v.count
        case .float32(let v): v.count
        case .bool(let v): v.count
        case .string(let v): v.count
        }
    }

    /// Whether both columns have the same type and the same values bit for bit (floats by bit pattern,
    /// strings by UTF-8 bytes).
    public func isIdentical(to other: StoreColumn) -> Bool {
        switch (self, other) {
        case (.timestamp(let a), .timestamp(let b)), (.int64(let a), .int64(let b)), (.state(let a), .state(let b)):
            return a == b
        case (.float64(let a), .float64(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
        case (.float32(let a), .float32(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
        case (.bool(let a), .bool(let b)):
            return a == b
        case (.string(let a), .string(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
        default:
            return false
        }
    }
}
