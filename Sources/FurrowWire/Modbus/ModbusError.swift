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

        /// No answer within the response timeout (the master's verdict; nothing on the wire says so).
        public static let timeout = Code(rawValue: "timeout")

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
