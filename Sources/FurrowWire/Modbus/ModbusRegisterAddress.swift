/// A register as vendor documentation numbers it ("40001", "30001", "400001") turned into table and PDU address.
///
/// Modbus PDUs carry 0-based addresses; many manuals use the 1-based "Modicon" numbering where the first
/// digit names the table (4 = holding, 3 = input) and register 40001 is PDU address 0 — the classic
/// off-by-one. Device profiles say which convention a manual uses.
public struct ModbusRegisterAddress: Sendable, Hashable {
    /// Which register table.
    public enum Table: Sendable, Hashable {
        /// Read with FC 03, written with FC 06/16.
        case holding
        /// Read-only, read with FC 04.
        case input
    }

    public let table: Table
    /// The 0-based address that goes into the PDU.
    public let address: UInt16

    public init(table: Table, address: UInt16) {
        self.table = table
        self.address = address
    }

    /// A 1-based register number within a table (register 1 is PDU address 0).
    public init(table: Table, oneBased number: Int) throws(ModbusError) {
        guard (1...65_536).contains(number) else {
            throw ModbusError(code: .invalidRegister, reason: "1-based register number \(number) is outside 1-65536")
        }
        self.init(table: table, address: UInt16(number - 1))
    }

    /// Parses a documentation number: 5 digits `40001`…`49999` / `30001`…`39999`, or 6 digits
    /// `400001`…`465536` / `300001`…`365536`.
    ///
    /// - Throws: `.invalidRegister` for other prefixes (0/1 are coils and discrete inputs, not registers)
    ///   or numbers out of range.
    public init(documentation text: String) throws(ModbusError) {
        let digits = Array(text.utf8)
        guard digits.count == 5 || digits.count == 6, digits.allSatisfy({ (0x30...0x39).contains($0) }),
              let number = Int(text)
        else {
            throw ModbusError(code: .invalidRegister, reason: "\"\(text)\" is not a 5- or 6-digit register number such as 40001 or 300001")
        }
        let divisor = digits.count == 5 ? 10_000 : 100_000
        let table: Table
        switch number / divisor {
        case 4: table = .holding
        case 3: table = .input
        default:
            throw ModbusError(code: .invalidRegister,
                              reason: "\"\(text)\" does not name a register table (4xxxx holding, 3xxxx input)")
        }
        try self.init(table: table, oneBased: number % divisor)
    }

    /// The read request for `count` registers starting here.
    public func readRequest(slave: UInt8, count: Int) -> ModbusRequest {
        switch table {
        case .holding: ModbusRequest(slave: slave, function: .readHoldingRegisters(address: address, count: count))
        case .input: ModbusRequest(slave: slave, function: .readInputRegisters(address: address, count: count))
        }
    }
}
