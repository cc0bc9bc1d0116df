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
