import Foundation
import FurrowLogs
import FurrowWire

/// Re-encodes a DataFlash (.bin) or ULog (.ulg) flight log as the MAVLink 2 telemetry a ground station would
/// have received, so `furrow replay --file` can send onboard logs like a .tlog.
///
/// Each frame is timed by its log message (DataFlash `TimeUS`, ULog `timestamp`, µs since boot). What the
/// data allow, and nothing invented:
///
/// | MAVLink | DataFlash (.bin) | ULog (.ulg) |
/// |---|---|---|
/// | HEARTBEAT | on each MODE (custom_mode = ModeNum), ARM / EV 10·11 (armed flag), then every 1 s of log time | on each `vehicle_status` (armed = arming_state 2, custom_mode from nav_state, type from vehicle_type / is_vtol), then every 1 s |
/// | GPS_RAW_INT | every GPS (instance 0): Status, Lat/Lng → degE7, Alt → mm, HDop, Spd, GCrs, NSats | every `vehicle_gps_position` (else `sensor_gps`) instance 0: fix_type, lat/lon (or latitude_deg/longitude_deg) → degE7, alt → mm, hdop/vdop, vel_m_s, cog_rad, satellites_used |
/// | GLOBAL_POSITION_INT | every POS: Lat/Lng, Alt, RelHomeAlt; velocity from the last GPS Spd/GCrs/VZ | every `vehicle_global_position` (lat, lon, alt, vel_n/e/d); until one is seen, every GPS fix (relative_alt = −`vehicle_local_position.z`) |
/// | ATTITUDE | every ATT: Roll, Pitch, Yaw (deg → rad, yaw in −π…π) | every `vehicle_attitude` instance 0: quaternion q → roll, pitch, yaw |
/// | SYS_STATUS | every BAT (else CURR) instance 0: Volt → mV, Curr → cA, remaining −1 (or RemPct) | every `battery_status` instance 0: voltage_v, current_a, remaining × 100 |
/// | VFR_HUD | every GPS (instance 0): Spd, GCrs, Alt, climb −VZ | every GPS fix: vel_m_s, cog_rad, alt, climb −vel_d_m_s |
///
/// All frames come from system 1, component 1, with their own sequence numbers; HEARTBEAT's autopilot is
/// ARDUPILOTMEGA (3) for DataFlash and PX4 (12) for ULog.
public struct FlightLogMAVLink: Sendable {
    /// One re-encoded frame and the log time it stands for (µs since boot).
    public struct Frame: Sendable, Hashable {
        public var time: Int64
        public var bytes: [UInt8]
    }

    var encoder: MAVLinkEncoder
    let autopilot: UInt8
    /// What the next HEARTBEAT says.
    var armed = false
    var customMode: UInt32 = 0
    var vehicleType: UInt8 = 0
    var heartbeatKnown = false
    var lastHeartbeat: Int64?
    /// The last GPS velocity (m/s north, east, down) for GLOBAL_POSITION_INT.
    var velocity = (north: 0.0, east: 0.0, down: 0.0)
    var sawDataFlashArm = false
    // ULog
    var ulogFields: [UInt16: (ULogSubscription, [String: LogField])] = [:]
    var ulogGPSTopic: String?
    var sawGlobalPosition = false
    var relativeAltitude: Double?

    /// A re-encoder for a DataFlash log (`ardupilot` true) or a ULog.
    public init(dataFlash: Bool) {
        encoder = MAVLinkEncoder(version: .v2, systemID: 1, componentID: 1)
        autopilot = dataFlash ? 3 : 12
    }

    // MARK: - Encoding

    /// Appends a frame of `name` at `time` with `values` by field name (clamped to each field's type; NaN
    /// and missing values leave the field 0).
    mutating func emit(_ name: String, at time: Int64, _ values: KeyValuePairs<String, Double?>, into out: inout [Frame]) {
        guard let info = encoder.dialect.message(named: name) else { return }
        var bytes: [UInt8] = []
        try? encoder.encode(info, into: &bytes) { payload in
            for (field, value) in values {
                guard let value, value.isFinite, let index = info.fieldIndex(named: field) else { continue }
                let slot = MAVLinkFieldSlot(info.fields[index])
                switch info.fields[index].type {
                case .float, .double: payload.set(slot, value)
                default: payload.set(slot, Int64(clampingDouble: value.rounded()))
                }
            }
        }
        if !bytes.isEmpty { out.append(Frame(time: time, bytes: bytes)) }
    }

    /// A HEARTBEAT with the current state.
    mutating func heartbeat(at time: Int64, into out: inout [Frame]) {
        heartbeatKnown = true
        lastHeartbeat = time
        let baseMode = 1.0 + (armed ? 128 : 0)  // CUSTOM_MODE_ENABLED | SAFETY_ARMED
        emit(
            "HEARTBEAT", at: time,
            [
                "type": Double(vehicleType), "autopilot": Double(autopilot), "base_mode": baseMode,
                "custom_mode": Double(customMode), "system_status": armed ? 4 : 3, "mavlink_version": 3,
            ], into: &out)
    }

    /// The 1 Hz HEARTBEAT a vehicle sends, once the state is known.
    mutating func tick(_ time: Int64, into out: inout [Frame]) {
        guard heartbeatKnown, let last = lastHeartbeat, time >= last + 1_000_000 else { return }
        heartbeat(at: time, into: &out)
    }

    /// Degrees → radians, wrapped to −π…π.
    static func radians(_ degrees: Double?) -> Double? {
        guard let degrees else { return nil }
        var r = degrees * .pi / 180
        while r > .pi { r -= 2 * .pi }
        while r < -.pi { r += 2 * .pi }
        return r
    }

    /// Course over ground in centidegrees 0…35999 (UINT16_MAX when unknown).
    static func centidegrees(_ degrees: Double?) -> Double {
        guard let degrees, degrees.isFinite else { return 65535 }
        var d = degrees.truncatingRemainder(dividingBy: 360)
        if d < 0 { d += 360 }
        return (d * 100).rounded().truncatingRemainder(dividingBy: 36000)
    }
}
