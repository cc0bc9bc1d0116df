/// A Modbus RTU master request to one slave: what a gateway polls soil probes, flow meters and weather sensors with.
///
/// Addresses here are PDU addresses (0-based); convert "40001"-style documentation numbers with
/// `ModbusRegisterAddress`.
///
/// ```swift
/// let request = ModbusRequest(slave: 1, function: .readHoldingRegisters(address: 0, count: 1))
/// try request.frame()   // 01 03 00 00 00 01 84 0A
/// ```
public struct ModbusRequest: Sendable, Hashable {
    /// The function and its parameters.
    public enum Function: Sendable, Hashable {
        /// FC 03: read 1–125 holding registers.
        case readHoldingRegisters(address: UInt16, count: Int)
        /// FC 04: read 1–125 input registers.
        case readInputRegisters(address: UInt16, count: Int)
        /// FC 06: write one holding register.
        case writeSingleRegister(address: UInt16, value: UInt16)
        /// FC 16: write 1–123 consecutive holding registers.
        case writeMultipleRegisters(address: UInt16, values: [UInt16])

        /// The function code byte.
        public var code: UInt8 {
            switch self {
            case .readHoldingRegisters: 0x03
            case .readInputRegisters: 0x04
            case .writeSingleRegister: 0x06
            case .writeMultipleRegisters: 0x10
            }
        }

        /// Whether this function writes (only writes may be broadcast to slave 0).
        public var isWrite: Bool {
            switch self {
            case .writeSingleRegister, .writeMultipleRegisters: true
            default: false
            }
        }
    }

    /// The slave id: 1–247, or 0 to broadcast a write (no response comes back).
    public let slave: UInt8
    public let function: Function

    public init(slave: UInt8, function: Function) {
        self.slave = slave
        self.function = function
    }

    /// The length of a normal response frame, CRC included; nil for a broadcast (no response).
    public var expectedResponseLength: Int? {
        guard slave != 0 else { return nil }
        switch function {
        case .readHoldingRegisters(_, let count), .readInputRegisters(_, let count):
            return 5 + 2 * count
        case .writeSingleRegister, .writeMultipleRegisters:
            return 8
        }
    }

    /// Checks the slave id, counts and address range against the protocol limits.
    public func validate() throws(ModbusError) {
        func invalid(_ reason: String) -> ModbusError {
            ModbusError(code: .invalidRequest, slave: slave, function: function.code, reason: reason)
        }
        guard slave <= 247 else { throw invalid("slave id \(slave) is outside 0-247") }
        if slave == 0 && !function.isWrite {
            throw invalid("slave 0 is broadcast and only takes writes; reads need a slave id 1-247")
        }
        switch function {
        case .readHoldingRegisters(let address, let count), .readInputRegisters(let address, let count):
            guard (1...125).contains(count) else { throw invalid("a read asks for 1-125 registers, not \(count)") }
            guard Int(address) + count <= 0x10000 else {
                throw invalid("registers \(address)+\(count) run past 65535")
            }
        case .writeSingleRegister:
            break
        case .writeMultipleRegisters(let address, let values):
            guard (1...123).contains(values.count) else {
                throw invalid("a multiple write carries 1-123 registers, not \(values.count)")
            }
            guard Int(address) + values.count <= 0x10000 else {
                throw invalid("registers \(address)+\(values.count) run past 65535")
            }
        }
    }

    /// The PDU (function code and data) without slave id and CRC.
    public func pdu() throws(ModbusError) -> [UInt8] {
        try validate()
        func be(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(truncatingIfNeeded: v)] }
        switch function {
        case .readHoldingRegisters(let address, let count), .readInputRegisters(let address, let count):
            return [function.code] + be(address) + be(UInt16(count))
        case .writeSingleRegister(let address, let value):
            return [function.code] + be(address) + be(value)
        case .writeMultipleRegisters(let address, let values):
            var out = [function.code] + be(address) + be(UInt16(values.count)) + [UInt8(values.count * 2)]
            for v in values { out += be(v) }
            return out
        }
    }

    /// The complete RTU frame: slave id, PDU, CRC-16/MODBUS low byte first.
    public func frame() throws(ModbusError) -> [UInt8] {
        CRC16Modbus.appending(to: [slave] + (try pdu()))
    }
}
