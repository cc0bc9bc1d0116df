/// A slave's normal answer to a `ModbusRequest`, checked against it.
public enum ModbusResponse: Sendable, Hashable {
    /// FC 03/04: the registers read, in order, big-endian words as sent.
    case registers([UInt16])
    /// FC 06: the echo of the register written and its value.
    case wroteSingleRegister(address: UInt16, value: UInt16)
    /// FC 16: the first register written and how many.
    case wroteMultipleRegisters(address: UInt16, count: Int)

    /// Parses a complete response frame (CRC included) to `request`.
    ///
    /// - Throws: `ModbusError` with `.exception` and the slave's `exception` code for an exception response
    ///   (function | 0x80); `.crcMismatch`, `.wrongSlave`, `.wrongFunction`, `.byteCount`, `.truncated`,
    ///   `.tooLong`, `.echoMismatch` when the frame does not answer the request.
    public static func parse(_ frame: some Collection<UInt8>, for request: ModbusRequest) throws(ModbusError) -> ModbusResponse {
        let bytes = Array(frame)
        let fc = request.function.code
        func error(_ code: ModbusError.Code, _ reason: String, exception: ModbusExceptionCode? = nil) -> ModbusError {
            ModbusError(code: code, slave: request.slave, function: fc, exception: exception, reason: reason)
        }
        guard bytes.count >= 5 else {
            throw error(.truncated, "a response has at least 5 bytes (id, function, 1 data byte, CRC), got \(bytes.count)")
        }
        guard CRC16Modbus.isValid(frame: bytes) else {
            throw error(.crcMismatch, "CRC mismatch in a \(bytes.count)-byte response (check baud rate, parity, wiring, termination)")
        }
        guard bytes[0] == request.slave else {
            throw error(.wrongSlave, "answer from slave \(bytes[0]), request went to \(request.slave) (two devices on one id?)")
        }
        if bytes[1] == fc | 0x80 {
            guard bytes.count == 5 else {
                throw error(.tooLong, "an exception response is 5 bytes, got \(bytes.count)")
            }
            let code = ModbusExceptionCode(rawValue: bytes[2])
            throw error(.exception, "the slave refused: \(code)", exception: code)
        }
        guard bytes[1] == fc else {
            throw error(.wrongFunction, "answer carries function \(bytes[1]), request was function \(fc)")
        }
        func word(_ i: Int) -> UInt16 { UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]) }
        switch request.function {
        case .readHoldingRegisters(_, let count), .readInputRegisters(_, let count):
            let byteCount = Int(bytes[2])
            guard byteCount == 2 * count else {
                throw error(.byteCount, "byte count \(byteCount), \(2 * count) expected for \(count) registers")
            }
            guard bytes.count == 5 + byteCount else {
                throw error(bytes.count < 5 + byteCount ? .truncated : .tooLong,
                            "a response with byte count \(byteCount) is \(5 + byteCount) bytes, got \(bytes.count)")
            }
            return .registers((0..<count).map { word(3 + 2 * $0) })
        case .writeSingleRegister(let address, let value):
            guard bytes.count == 8 else {
                throw error(bytes.count < 8 ? .truncated : .tooLong, "a write-single echo is 8 bytes, got \(bytes.count)")
            }
            guard word(2) == address, word(4) == value else {
                throw error(.echoMismatch, "the echo says register \(word(2)) = \(word(4)), the request wrote \(address) = \(value)")
            }
            return .wroteSingleRegister(address: address, value: value)
        case .writeMultipleRegisters(let address, let values):
            guard bytes.count == 8 else {
                throw error(bytes.count < 8 ? .truncated : .tooLong, "a write-multiple answer is 8 bytes, got \(bytes.count)")
            }
            guard word(2) == address, Int(word(4)) == values.count else {
                throw error(.echoMismatch, "the answer says \(word(4)) registers from \(word(2)), the request wrote \(values.count) from \(address)")
            }
            return .wroteMultipleRegisters(address: address, count: values.count)
        }
    }
}
