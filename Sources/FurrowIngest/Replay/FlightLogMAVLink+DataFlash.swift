import Foundation
import FurrowLogs

extension FlightLogMAVLink {
    /// The frames one DataFlash message stands for (see the table on `FlightLogMAVLink`).
    public mutating func add(_ message: DataFlashMessage, into out: inout [Frame]) {
        guard let raw = message.timeMicros, raw > 0, raw <= 1 << 60 else { return }
        let time = Int64(raw)
        func number(_ name: String) -> Double? { message[name]?.doubleValue }
        switch message.name {
        case "MODE":
            if let mode = number("ModeNum") ?? number("Mode"), mode >= 0 { customMode = UInt32(clamping: Int64(mode)) }
            heartbeat(at: time, into: &out)
        case "MSG":
            // The firmware banner names the vehicle: HEARTBEAT.type.
            if case .text(let text)? = message["Message"], vehicleType == 0 {
                let types: [(String, UInt8)] = [("ArduCopter", 2), ("ArduPlane", 1), ("ArduRover", 10), ("APMrover2", 10), ("ArduSub", 12)]
                if let match = types.first(where: { text.hasPrefix($0.0) }) { vehicleType = match.1 }
            }
        case "ARM":
            if let state = number("ArmState") {
                sawDataFlashArm = true
                armed = state != 0
                heartbeat(at: time, into: &out)
            }
        case "EV":
            if !sawDataFlashArm, let id = number("Id"), id == 10 || id == 11 {
                armed = id == 10
                heartbeat(at: time, into: &out)
            }
        case "GPS" where Self.instance(message) == 0:
            let speed = number("Spd")
            let course = number("GCrs")
            let down = number("VZ")
            if let speed, let course {
                let c = course * .pi / 180
                velocity = (speed * cos(c), speed * sin(c), down ?? 0)
            }
            emit(
                "GPS_RAW_INT", at: time,
                [
                    "time_usec": Double(time), "fix_type": number("Status"), "lat": Self.degE7(number("Lat")),
                    "lon": Self.degE7(number("Lng")), "alt": number("Alt").map { $0 * 1000 },
                    "eph": number("HDop").map { $0 * 100 } ?? 65535, "epv": number("VDop").map { $0 * 100 } ?? 65535,
                    "vel": speed.map { $0 * 100 } ?? 65535, "cog": Self.centidegrees(course),
                    "satellites_visible": number("NSats") ?? 255,
                ], into: &out)
            emit(
                "VFR_HUD", at: time,
                [
                    "groundspeed": speed, "heading": course.map { Self.centidegrees($0) / 100 }.map { $0.rounded(.down) },
                    "alt": number("Alt"), "climb": down.map { -$0 },
                ], into: &out)
        case "POS":
            emit(
                "GLOBAL_POSITION_INT", at: time,
                [
                    "time_boot_ms": Double(time / 1000), "lat": Self.degE7(number("Lat")), "lon": Self.degE7(number("Lng")),
                    "alt": number("Alt").map { $0 * 1000 }, "relative_alt": number("RelHomeAlt").map { $0 * 1000 },
                    "vx": velocity.north * 100, "vy": velocity.east * 100, "vz": velocity.down * 100, "hdg": 65535,
                ], into: &out)
        case "ATT":
            emit(
                "ATTITUDE", at: time,
                [
                    "time_boot_ms": Double(time / 1000), "roll": Self.radians(number("Roll")),
                    "pitch": Self.radians(number("Pitch")), "yaw": Self.radians(number("Yaw")),
                ], into: &out)
        case "BAT" where Self.instance(message) == 0, "CURR" where Self.instance(message) == 0:
            emit(
                "SYS_STATUS", at: time,
                [
                    "voltage_battery": number("Volt").map { $0 * 1000 }, "current_battery": number("Curr").map { $0 * 100 } ?? -1,
                    "battery_remaining": number("RemPct") ?? -1,
                ], into: &out)
        default:
            break
        }
        tick(time, into: &out)
    }

    /// The instance of a DataFlash message (its FMTU `#` field, else `I`/`Instance`), 0 when it has none.
    static func instance(_ message: DataFlashMessage) -> Int {
        if let v = message.instance?.doubleValue, v.isFinite { return Int(v) }
        for name in ["I", "Instance", "Inst"] {
            if let v = message[name]?.doubleValue, v.isFinite { return Int(v) }
        }
        return 0
    }

    /// Degrees → degE7.
    static func degE7(_ degrees: Double?) -> Double? { degrees.map { $0 * 1e7 } }
}
