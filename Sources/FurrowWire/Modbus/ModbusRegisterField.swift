/// How a value is laid out in one or two 16-bit registers.
public enum ModbusValueType: String, Sendable, Hashable, CaseIterable {
    case int16, uint16, int32, uint32, float32

    /// Registers the value occupies.
    public var registerCount: Int {
        switch self {
        case .int16, .uint16: 1
        case .int32, .uint32, .float32: 2
        }
    }
}

/// Byte order of a 32-bit value across two registers, named by where bytes A (most significant) … D land.
///
/// ABCD is big-endian words and bytes (the Modbus default); CDAB swaps the words (common on meters);
/// BADC swaps the bytes in each word; DCBA is fully little-endian.
public enum ModbusWordOrder: String, Sendable, Hashable, CaseIterable {
    case abcd, cdab, badc, dcba

    /// The 32 bits from two registers as they arrived.
    public func combine(_ first: UInt16, _ second: UInt16) -> UInt32 {
        func swapped(_ w: UInt16) -> UInt16 { w.byteSwapped }
        switch self {
        case .abcd: return UInt32(first) << 16 | UInt32(second)
        case .cdab: return UInt32(second) << 16 | UInt32(first)
        case .badc: return UInt32(swapped(first)) << 16 | UInt32(swapped(second))
        case .dcba: return UInt32(swapped(second)) << 16 | UInt32(swapped(first))
        }
    }
}

/// One channel in a device's register map: where it sits, its type and order, and its scaling to units.
///
/// `value = raw × scale + offset`; a soil probe's temperature as int16 tenths is `(.int16, scale: 0.1)`.
public struct ModbusRegisterField: Sendable, Hashable {
    /// Register index of the value within the block that was read (0 = the first register read).
    public let index: Int
    public let type: ModbusValueType
    public let order: ModbusWordOrder
    public let scale: Double
    public let offset: Double

    public init(index: Int, type: ModbusValueType, order: ModbusWordOrder = .abcd, scale: Double = 1, offset: Double = 0) {
        self.index = index
        self.type = type
        self.order = order
        self.scale = scale
        self.offset = offset
    }

    /// The unscaled value (integer types exactly, float32 as read).
    ///
    /// - Throws: `.invalidRegister` when the block does not hold the field's registers.
    public func raw(from registers: [UInt16]) throws(ModbusError) -> Double {
        guard index >= 0, index + type.registerCount <= registers.count else {
            throw ModbusError(code: .invalidRegister,
                              reason: "a \(type.rawValue) at register \(index) needs registers \(index)...\(index + type.registerCount - 1), the block has \(registers.count)")
        }
        switch type {
        case .uint16: return Double(registers[index])
        case .int16: return Double(Int16(bitPattern: registers[index]))
        case .uint32: return Double(order.combine(registers[index], registers[index + 1]))
        case .int32: return Double(Int32(bitPattern: order.combine(registers[index], registers[index + 1])))
        case .float32: return Double(Float(bitPattern: order.combine(registers[index], registers[index + 1])))
        }
    }

    /// The value in units: `raw × scale + offset`.
    public func value(from registers: [UInt16]) throws(ModbusError) -> Double {
        try raw(from: registers) * scale + offset
    }
}
