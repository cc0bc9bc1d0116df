/// A Modbus exception code: why a slave refused a request (Application Protocol V1.1b3 §7).
public struct ModbusExceptionCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// 01: the slave does not support this function code.
    public static let illegalFunction = ModbusExceptionCode(rawValue: 0x01)
    /// 02: the register address (or address + count) is not in the slave's map.
    public static let illegalDataAddress = ModbusExceptionCode(rawValue: 0x02)
    /// 03: a value in the request is not allowed (count out of range, bad value to write).
    public static let illegalDataValue = ModbusExceptionCode(rawValue: 0x03)
    /// 04: the slave failed while performing the action.
    public static let slaveDeviceFailure = ModbusExceptionCode(rawValue: 0x04)
    /// 05: accepted, but it takes long; poll again later.
    public static let acknowledge = ModbusExceptionCode(rawValue: 0x05)
    /// 06: the slave is busy with a long command; retry later.
    public static let slaveDeviceBusy = ModbusExceptionCode(rawValue: 0x06)
    /// 08: memory parity error reading extended memory.
    public static let memoryParityError = ModbusExceptionCode(rawValue: 0x08)
    /// 0A: a gateway had no path to the target.
    public static let gatewayPathUnavailable = ModbusExceptionCode(rawValue: 0x0A)
    /// 0B: a gateway's target did not respond.
    public static let gatewayTargetFailedToRespond = ModbusExceptionCode(rawValue: 0x0B)

    public var description: String {
        switch self {
        case .illegalFunction: "illegal function"
        case .illegalDataAddress: "illegal data address"
        case .illegalDataValue: "illegal data value"
        case .slaveDeviceFailure: "slave device failure"
        case .acknowledge: "acknowledge (processing, poll later)"
        case .slaveDeviceBusy: "slave device busy"
        case .memoryParityError: "memory parity error"
        case .gatewayPathUnavailable: "gateway path unavailable"
        case .gatewayTargetFailedToRespond: "gateway target device failed to respond"
        default: "exception 0x\(String(rawValue, radix: 16, uppercase: true))"
        }
    }
}

/// Why a Modbus request could not be built or a response could not be used.
///
/// A stable `code`, the slave and function involved, and a message that says what to check (the slave id
/// set on the probe, the register map, the wiring), so a gateway log can be acted on.
public struct ModbusError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem; stable across releases.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The request itself is invalid (slave id, count or address out of range).
        public static let invalidRequest = Code(rawValue: "invalid-request")
        /// The slave answered with an exception; see `exception`.
        public static let exception = Code(rawValue: "exception")
        /// The frame ended before its format says it should.
        public static let truncated = Code(rawValue: "truncated")
        /// The frame is longer than the response to this request can be.
        public static let tooLong = Code(rawValue: "too-long")
        /// The CRC does not match (noise, wrong baud rate or parity).
        public static let crcMismatch = Code(rawValue: "crc-mismatch")
        /// The response is from another slave id.
        public static let wrongSlave = Code(rawValue: "wrong-slave")
        /// The response carries another function code.
        public static let wrongFunction = Code(rawValue: "wrong-function")
        /// The byte count does not match the number of registers asked for.
        public static let byteCount = Code(rawValue: "byte-count")
        /// A write echo does not repeat the request's address, value or count.
        public static let echoMismatch = Code(rawValue: "echo-mismatch")
        /// Registers do not hold the value asked for (too few registers for the type, a 40001-style number out of range).
        public static let invalidRegister = Code(rawValue: "invalid-register")

        public var description: String { rawValue }
    }

    public let code: Code
    /// The slave id involved, if known.
    public let slave: UInt8?
    /// The function code involved, if known.
    public let function: UInt8?
    /// The exception code, for `.exception`.
    public let exception: ModbusExceptionCode?
    /// What is wrong, for a human.
    public let reason: String

    public init(code: Code, slave: UInt8? = nil, function: UInt8? = nil, exception: ModbusExceptionCode? = nil, reason: String) {
        self.code = code
        self.slave = slave
        self.function = function
        self.exception = exception
        self.reason = reason
    }

    public var description: String {
        var where_ = ""
        if let slave { where_ += " slave \(slave)" }
        if let function { where_ += " function \(function)" }
        return "Modbus\(where_): \(reason) [\(code)]"
    }
}
