/// Who flew: vehicle type, autopilot, firmware and hardware as far as the log says.
public struct FlightVehicle: Sendable, Codable, Hashable {
    /// Vehicle type (`FIXED_WING`, `QUADROTOR`, `ArduPlane`, `PX4 rotary wing`).
    public var vehicleType: String?
    /// Autopilot stack (`ArduPilot`, `PX4`).
    public var autopilot: String?
    /// Firmware version (`ArduPlane V3.8.2-dev (8178ab40)`, a PX4 git hash).
    public var firmware: String?
    /// Board / hardware name (`AUAV_X21`, `PX4v4`).
    public var hardware: String?
    /// Hardware identifier (board serial / UID) where the log records it.
    public var hardwareID: String?
    /// MCU description (ULog `sys_mcu`).
    public var mcu: String?
    /// MAVLink system id of the vehicle (.tlog).
    public var systemID: Int?

    /// Nothing known yet.
    public init() {}
}
