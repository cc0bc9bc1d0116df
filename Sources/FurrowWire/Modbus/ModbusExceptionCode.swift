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
