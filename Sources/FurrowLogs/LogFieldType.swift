/// The primitive type of a flight-log field, little-endian on disk.
public enum LogFieldType: UInt8, Sendable, Hashable, CaseIterable {
    case int8, uint8, int16, uint16, int32, uint32, int64, uint64
    /// IEEE half precision (DataFlash `g`).
    case float16
    case float32, float64
    /// ULog `bool` (one byte).
    case bool
    /// ULog `char` / DataFlash character bytes (one byte).
    case char

    /// Bytes per element.
    @inlinable public var size: Int {
        switch self {
        case .int8, .uint8, .bool, .char: 1
        case .int16, .uint16, .float16: 2
        case .int32, .uint32, .float32: 4
        case .int64, .uint64, .float64: 8
        }
    }

    /// The ULog type name (`int8_t` … `double`, `bool`, `char`), or nil for a type ULog does not have.
    public init?(ulogName: Substring) {
        switch ulogName {
        case "int8_t": self = .int8
        case "uint8_t": self = .uint8
        case "int16_t": self = .int16
        case "uint16_t": self = .uint16
        case "int32_t": self = .int32
        case "uint32_t": self = .uint32
        case "int64_t": self = .int64
        case "uint64_t": self = .uint64
        case "float": self = .float32
        case "double": self = .float64
        case "bool": self = .bool
        case "char": self = .char
        default: return nil
        }
    }

    /// Loads one element at `p` (no alignment needed) as the value pyulog / pymavlink would show unscaled.
    @inlinable
    public func load(_ p: UnsafeRawPointer) -> LogValue {
        switch self {
        case .int8, .bool, .char: .signed(Int64(p.load(as: Int8.self)))
        case .uint8: .unsigned(UInt64(p.load(as: UInt8.self)))
        case .int16: .signed(Int64(Int16(littleEndian: p.loadUnaligned(as: Int16.self))))
        case .uint16: .unsigned(UInt64(UInt16(littleEndian: p.loadUnaligned(as: UInt16.self))))
        case .int32: .signed(Int64(Int32(littleEndian: p.loadUnaligned(as: Int32.self))))
        case .uint32: .unsigned(UInt64(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self))))
        case .int64: .signed(Int64(littleEndian: p.loadUnaligned(as: Int64.self)))
        case .uint64: .unsigned(UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)))
        case .float16: .float(Self.halfToFloat(UInt16(littleEndian: p.loadUnaligned(as: UInt16.self))))
        case .float32: .float(Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(as: UInt32.self))))
        case .float64: .double(Double(bitPattern: UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))))
        }
    }

    /// Loads one integer element widened to Int64 (unsigned 64-bit values keep their bit pattern).
    @inlinable
    public func loadInteger(_ p: UnsafeRawPointer) -> Int64 {
        switch self {
        case .int8, .bool, .char: Int64(p.load(as: Int8.self))
        case .uint8: Int64(p.load(as: UInt8.self))
        case .int16: Int64(Int16(littleEndian: p.loadUnaligned(as: Int16.self)))
        case .uint16, .float16: Int64(UInt16(littleEndian: p.loadUnaligned(as: UInt16.self)))
        case .int32: Int64(Int32(littleEndian: p.loadUnaligned(as: Int32.self)))
        case .uint32, .float32: Int64(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
        case .int64, .uint64, .float64: Int64(littleEndian: p.loadUnaligned(as: Int64.self))
        }
    }

    /// IEEE 754 binary16 to binary32, exact for every input (subnormals, infinities, NaN payloads).
    @inlinable
    public static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = UInt32(h >> 10) & 0x1F
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0 {
            // Zero or subnormal: mantissa × 2^-24, exact in a Float.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        }
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }
}
