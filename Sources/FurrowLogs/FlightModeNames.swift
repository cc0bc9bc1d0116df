/// Flight-mode numbers to names, as pymavlink (ArduPilot) and PX4 (`vehicle_status.nav_state`) name them.
public enum FlightModeNames {
    /// Which ArduPilot mode table applies.
    public enum ArduPilotVehicle: String, Sendable, Codable, Hashable {
        case copter, plane, rover, sub, tracker, blimp
    }

    /// ArduPlane (`mode_mapping_apm`).
    public static let plane: [Int64: String] = [
        0: "MANUAL", 1: "CIRCLE", 2: "STABILIZE", 3: "TRAINING", 4: "ACRO", 5: "FBWA", 6: "FBWB", 7: "CRUISE",
        8: "AUTOTUNE", 10: "AUTO", 11: "RTL", 12: "LOITER", 13: "TAKEOFF", 14: "AVOID_ADSB", 15: "GUIDED",
        16: "INITIALISING", 17: "QSTABILIZE", 18: "QHOVER", 19: "QLOITER", 20: "QLAND", 21: "QRTL", 22: "QAUTOTUNE",
        23: "QACRO", 24: "THERMAL", 25: "LOITERALTQLAND", 26: "AUTOLAND",
    ]
    /// ArduCopter (`mode_mapping_acm`).
    public static let copter: [Int64: String] = [
        0: "STABILIZE", 1: "ACRO", 2: "ALT_HOLD", 3: "AUTO", 4: "GUIDED", 5: "LOITER", 6: "RTL", 7: "CIRCLE",
        8: "POSITION", 9: "LAND", 10: "OF_LOITER", 11: "DRIFT", 13: "SPORT", 14: "FLIP", 15: "AUTOTUNE",
        16: "POSHOLD", 17: "BRAKE", 18: "THROW", 19: "AVOID_ADSB", 20: "GUIDED_NOGPS", 21: "SMART_RTL",
        22: "FLOWHOLD", 23: "FOLLOW", 24: "ZIGZAG", 25: "SYSTEMID", 26: "AUTOROTATE", 27: "AUTO_RTL", 28: "TURTLE",
        29: "RATE_ACRO",
    ]
    /// ArduRover and boats (`mode_mapping_rover`).
    public static let rover: [Int64: String] = [
        0: "MANUAL", 1: "ACRO", 2: "LEARNING", 3: "STEERING", 4: "HOLD", 5: "LOITER", 6: "FOLLOW", 7: "SIMPLE",
        8: "DOCK", 9: "CIRCLE", 10: "AUTO", 11: "RTL", 12: "SMART_RTL", 15: "GUIDED", 16: "INITIALISING",
    ]
    /// ArduSub.
    public static let sub: [Int64: String] = [
        0: "STABILIZE", 1: "ACRO", 2: "ALT_HOLD", 3: "AUTO", 4: "GUIDED", 7: "CIRCLE", 9: "SURFACE", 16: "POSHOLD",
        19: "MANUAL",
    ]
    /// AntennaTracker.
    public static let tracker: [Int64: String] = [0: "MANUAL", 1: "STOP", 2: "SCAN", 4: "GUIDED", 10: "AUTO", 16: "INITIALISING"]
    /// Blimp.
    public static let blimp: [Int64: String] = [0: "LAND", 1: "MANUAL", 2: "VELOCITY", 3: "LOITER", 4: "RTL", 5: "AUTO", 6: "HOLD"]

    /// PX4 `vehicle_status.nav_state` (NAVIGATION_STATE_*).
    public static let px4NavState: [Int64: String] = [
        0: "MANUAL", 1: "ALTCTL", 2: "POSCTL", 3: "AUTO_MISSION", 4: "AUTO_LOITER", 5: "AUTO_RTL", 6: "AUTO_RCRECOVER",
        7: "AUTO_RTGS", 8: "AUTO_LANDENGFAIL", 9: "AUTO_LANDGPSFAIL", 10: "ACRO", 11: "UNUSED", 12: "DESCEND",
        13: "TERMINATION", 14: "OFFBOARD", 15: "STAB", 16: "RATTITUDE", 17: "AUTO_TAKEOFF", 18: "AUTO_LAND",
        19: "AUTO_FOLLOW_TARGET", 20: "AUTO_PRECLAND", 21: "ORBIT", 22: "AUTO_VTOL_TAKEOFF",
    ]

    /// The table for an ArduPilot vehicle.
    public static func table(_ vehicle: ArduPilotVehicle) -> [Int64: String] {
        switch vehicle {
        case .copter: copter
        case .plane: plane
        case .rover: rover
        case .sub: sub
        case .tracker: tracker
        case .blimp: blimp
        }
    }

    /// The ArduPilot table pymavlink uses for a HEARTBEAT `type` (MAV_TYPE); nil for types it has none for.
    public static func arduPilotVehicle(mavType: Int64) -> ArduPilotVehicle? {
        switch mavType {
        case 2, 3, 4, 13, 14, 15, 29, 35: .copter  // quad, coaxial, heli, hexa, octo, tri, dodeca, deca
        case 1, 19, 20, 21: .plane  // fixed wing and the VTOL types pymavlink maps to plane
        case 10, 11: .rover  // ground rover, surface boat
        case 5: .tracker
        case 12: .sub
        case 7: .blimp
        default: nil
        }
    }

    /// The ArduPilot vehicle a firmware banner (`ArduPlane V4.0.0`, `APM:Copter V3.3`) names.
    public static func arduPilotVehicle(banner: String) -> ArduPilotVehicle? {
        if banner.contains("ArduPlane") || banner.contains("APM:Plane") { return .plane }
        if banner.contains("ArduSub") { return .sub }
        if banner.contains("Copter") { return .copter }
        if banner.contains("Rover") { return .rover }
        if banner.hasPrefix("Antenna") { return .tracker }
        if banner.contains("Blimp") { return .blimp }
        return nil
    }

    /// The name of an ArduPilot mode number, `Mode(n)` when the table has none.
    public static func arduPilot(_ number: Int64, vehicle: ArduPilotVehicle?) -> String {
        guard let vehicle else { return "Mode(\(number))" }
        return table(vehicle)[number] ?? "Mode(\(number))"
    }

    /// PX4 mode from a HEARTBEAT `custom_mode`, as pymavlink's `interpret_px4_mode` names it.
    public static func px4(customMode: UInt32) -> String {
        let main = (customMode >> 16) & 0xFF
        let sub = customMode >> 24
        switch main {
        case 1: return "MANUAL"
        case 2: return "ALTCTL"
        case 3: return "POSCTL"
        case 5: return "ACRO"
        case 6: return "OFFBOARD"
        case 7: return "STABILIZED"
        case 8: return "RATTITUDE"
        case 4:
            switch sub {
            case 2: return "TAKEOFF"
            case 3: return "LOITER"
            case 4: return "MISSION"
            case 5: return "RTL"
            case 6: return "LAND"
            case 7: return "RTGS"
            case 8: return "FOLLOWME"
            default: return "UNKNOWN"
            }
        default: return "UNKNOWN"
        }
    }

    /// The name of a PX4 nav_state, `NAV_STATE(n)` when unknown.
    public static func px4(navState: Int64) -> String {
        px4NavState[navState] ?? "NAV_STATE(\(navState))"
    }
}
