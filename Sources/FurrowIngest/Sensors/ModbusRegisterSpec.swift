import FurrowWire

/// Where one value sits in a Modbus slave: table, 0-based PDU address, layout.
public struct ModbusRegisterSpec: Sendable, Hashable {
    public let table: ModbusRegisterAddress.Table
    /// The 0-based PDU address of the value's first register (profiles may write 1-based numbers).
    public let address: UInt16
    public let type: ModbusValueType
    public let order: ModbusWordOrder

    /// A value of `type` at PDU address `address` of `table`.
    public init(table: ModbusRegisterAddress.Table, address: UInt16, type: ModbusValueType, order: ModbusWordOrder = .abcd) {
        self.table = table
        self.address = address
        self.type = type
        self.order = order
    }
}
