import Foundation
import FurrowLogs

extension FlightLogMAVLink {
    /// The frames one ULog event stands for (see the table on `FlightLogMAVLink`).
    public mutating func add(_ event: ULogEvent, into out: inout [Frame]) {
        guard case .data(let data) = event else { return }
        let raw = data.timestamp
        guard raw > 0, raw <= 1 << 60 else { return }
        let time = Int64(raw)
        let subscription = data.subscription
        let fields: [String: LogField]
        if let cached = ulogFields[subscription.msgID], cached.0 == subscription {
            fields = cached.1
        } else {
            var found: [String: LogField] = [:]
            for field in subscription.fields { found[field.name] = field }
            fields = found
            ulogFields[subscription.msgID] = (subscription, found)
        }
        func number(_ name: String) -> Double? {
            guard let field = fields[name], let base = data.body.baseAddress, field.offset + field.size <= data.body.count
            else { return nil }
            return field.value(in: base).doubleValue
        }
        let topic = subscription.name
        if topic == "vehicle_gps_position" || topic == "sensor_gps" {
            if ulogGPSTopic == nil { ulogGPSTopic = topic }
        }
        switch topic == ulogGPSTopic ? "gps" : topic {
        case "vehicle_status":
            if let state = number("arming_state") { armed = state == 2 }
            if let nav = number("nav_state") { customMode = Self.px4CustomMode(navState: Int(nav)) }
            if let vtol = number("is_vtol"), vtol != 0 {
                vehicleType = 22
            } else if let type = number("vehicle_type") {
                vehicleType = [1: 2, 2: 1, 3: 10, 4: 7][Int(type)] ?? 0
            }
            heartbeat(at: time, into: &out)
        case "gps" where subscription.multiID == 0:
            let lat = number("lat") ?? number("latitude_deg").map { $0 * 1e7 }
            let lon = number("lon") ?? number("longitude_deg").map { $0 * 1e7 }
            let alt = number("alt").map { $0 / 1000 } ?? number("altitude_msl_m")
            let speed = number("vel_m_s")
            let course = number("cog_rad").map { $0 * 180 / .pi }
            velocity = (number("vel_n_m_s") ?? 0, number("vel_e_m_s") ?? 0, number("vel_d_m_s") ?? 0)
            emit(
                "GPS_RAW_INT", at: time,
                [
                    "time_usec": Double(time), "fix_type": number("fix_type"), "lat": lat, "lon": lon,
                    "alt": alt.map { $0 * 1000 }, "eph": number("hdop").map { $0 * 100 } ?? 65535,
                    "epv": number("vdop").map { $0 * 100 } ?? 65535, "vel": speed.map { $0 * 100 } ?? 65535,
                    "cog": Self.centidegrees(course), "satellites_visible": number("satellites_used") ?? 255,
                ], into: &out)
            emit(
                "VFR_HUD", at: time,
                [
                    "groundspeed": speed, "heading": course.map { (Self.centidegrees($0) / 100).rounded(.down) },
                    "alt": alt, "climb": -velocity.down,
                ], into: &out)
            if !sawGlobalPosition, let fix = number("fix_type"), fix >= 3 {
                emit(
                    "GLOBAL_POSITION_INT", at: time,
                    [
                        "time_boot_ms": Double(time / 1000), "lat": lat, "lon": lon, "alt": alt.map { $0 * 1000 },
                        "relative_alt": relativeAltitude.map { $0 * 1000 }, "vx": velocity.north * 100,
                        "vy": velocity.east * 100, "vz": velocity.down * 100, "hdg": 65535,
                    ], into: &out)
            }
        case "vehicle_local_position" where subscription.multiID == 0:
            if let z = number("z"), number("z_valid").map({ $0 != 0 }) ?? true { relativeAltitude = -z }
        case "vehicle_global_position" where subscription.multiID == 0:
            sawGlobalPosition = true
            emit(
                "GLOBAL_POSITION_INT", at: time,
                [
                    "time_boot_ms": Double(time / 1000), "lat": number("lat").map { $0 * 1e7 },
                    "lon": number("lon").map { $0 * 1e7 }, "alt": number("alt").map { $0 * 1000 },
                    "relative_alt": relativeAltitude.map { $0 * 1000 }, "vx": velocity.north * 100,
                    "vy": velocity.east * 100, "vz": velocity.down * 100, "hdg": 65535,
                ], into: &out)
        case "vehicle_attitude" where subscription.multiID == 0:
            guard let w = number("q[0]"), let x = number("q[1]"), let y = number("q[2]"), let z = number("q[3]") else { break }
            let roll = atan2(2 * (w * x + y * z), 1 - 2 * (x * x + y * y))
            let pitch = asin(max(-1, min(1, 2 * (w * y - z * x))))
            let yaw = atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z))
            emit(
                "ATTITUDE", at: time,
                [
                    "time_boot_ms": Double(time / 1000), "roll": roll, "pitch": pitch, "yaw": yaw,
                    "rollspeed": number("rollspeed"), "pitchspeed": number("pitchspeed"), "yawspeed": number("yawspeed"),
                ], into: &out)
        case "battery_status" where subscription.multiID == 0:
            if let connected = number("connected"), connected == 0 { break }
            emit(
                "SYS_STATUS", at: time,
                [
                    "voltage_battery": number("voltage_v").map { $0 * 1000 },
                    "current_battery": number("current_a").map { $0 * 100 } ?? -1,
                    "battery_remaining": number("remaining").map { $0 * 100 } ?? -1,
                ], into: &out)
        default:
            break
        }
        tick(time, into: &out)
    }

    /// PX4's HEARTBEAT custom_mode (main mode << 16 | sub mode << 24) for a `vehicle_status.nav_state`.
    static func px4CustomMode(navState: Int) -> UInt32 {
        let modes: [Int: (main: UInt32, sub: UInt32)] = [
            0: (1, 0), 1: (2, 0), 2: (3, 0), 3: (4, 4), 4: (4, 3), 5: (4, 5), 10: (5, 0), 14: (6, 0), 15: (7, 0),
            17: (4, 2), 18: (4, 6), 19: (4, 8), 20: (4, 9), 22: (4, 10),
        ]
        guard let mode = modes[navState] else { return 0 }
        return mode.main << 16 | mode.sub << 24
    }
}
