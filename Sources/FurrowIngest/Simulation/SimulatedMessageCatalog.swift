import FurrowWire

/// The messages a simulated drone sends, with their field slots looked up once from the dialect.
///
/// Shared by every drone of a process (`shared`); immutable after `init`.
final class SimulatedMessageCatalog: Sendable {
    static let shared = SimulatedMessageCatalog(dialect: .ardupilotmega)

    /// A message definition and a way to find its slots.
    struct Entry: Sendable {
        let info: MAVLinkMessageInfo

        init(_ dialect: MAVLinkDialect, _ name: String) {
            guard let info = dialect.message(named: name) else {
                preconditionFailure("the simulator's dialect lacks \(name)")
            }
            self.info = info
        }

        /// The slot of a field the simulator writes (every one of them is in the common dialect).
        func slot(_ name: String) -> MAVLinkFieldSlot {
            guard let slot = info.slot(named: name) else {
                preconditionFailure("\(info.name) has no field \(name)")
            }
            return slot
        }
    }

    struct Heartbeat: Sendable {
        let entry: Entry
        let customMode, type, autopilot, baseMode, systemStatus, mavlinkVersion: MAVLinkFieldSlot
        init(_ d: MAVLinkDialect) {
            entry = Entry(d, "HEARTBEAT")
            customMode = entry.slot("custom_mode")
            type = entry.slot("type")
            autopilot = entry.slot("autopilot")
            baseMode = entry.slot("base_mode")
            systemStatus = entry.slot("system_status")
            mavlinkVersion = entry.slot("mavlink_version")
        }
    }

    struct SysStatus: Sendable {
        let entry: Entry
        let present, enabled, health, load, voltage, current, remaining, dropRate: MAVLinkFieldSlot
        init(_ d: MAVLinkDialect) {
            entry = Entry(d, "SYS_STATUS")
            present = entry.slot("onboard_control_sensors_present")
            enabled = entry.slot("onboard_control_sensors_enabled")
            health = entry.slot("onboard_control_sensors_health")
            load = entry.slot("load")
            voltage = entry.slot("voltage_battery")
            current = entry.slot("current_battery")
            remaining = entry.slot("battery_remaining")
            dropRate = entry.slot("drop_rate_comm")
        }
    }

    struct BatteryStatus: Sendable {
        let entry: Entry
        let consumed, energy, temperature, voltages, current, id, function, type, remaining, timeRemaining,
            chargeState: MAVLinkFieldSlot
        init(_ d: MAVLinkDialect) {
            entry = Entry(d, "BATTERY_STATUS")
            consumed = entry.slot("current_consumed")
            energy = entry.slot("energy_consumed")
            temperature = entry.slot("temperature")
            voltages = entry.slot("voltages")
            current = entry.slot("current_battery")
            id = entry.slot("id")
            function = entry.slot("battery_function")
            type = entry.slot("type")
            remaining = entry.slot("battery_remaining")
            timeRemaining = entry.slot("time_remaining")
            chargeState = entry.slot("charge_state")
        }
    }

    struct GPSRaw: Sendable {
        let entry: Entry
        let time, lat, lon, alt, eph, epv, vel, cog, fixType, satellites, hAcc, vAcc, velAcc: MAVLinkFieldSlot
        init(_ d: MAVLinkDialect) {
            entry = Entry(d, "GPS_RAW_INT")
            time = entry.slot("time_usec")
            lat = entry.slot("lat")
            lon = entry.slot("lon")
            alt = entry.slot("alt")
            eph = entry.slot("eph")
            epv = entry.slot("epv")
            vel = entry.slot("vel")
            cog = entry.slot("cog")
            fixType = entry.slot("fix_type")
            satellites = entry.slot("satellites_visible")
            hAcc = entry.slot("h_acc")
            vAcc = entry.slot("v_acc")
            velAcc = entry.slot("vel_acc")
        }
    }

    struct GlobalPosition: Sendable {
        let entry: Entry
        let time, lat, lon, alt, relativeAlt, vx, vy, vz, hdg: MAVLinkFieldSlot
        init(_ d: MAVLinkDialect) {
            entry = Entry(d, "GLOBAL_POSITION_INT")
            time = entry.slot("time_boot_ms")
            lat = entry.slot("lat")
            lon = entry.slot("lon")
            alt = entry.slot("alt")
            relativeAlt = entry.slot("relative_alt")
            vx = entry.slot("vx")
            vy = entry.slot("vy")
            vz = entry.slot("vz")
            hdg = entry.slot("hdg")
        }
    }

    struct Attitude: Sendable {
        let entry: Entry
        let time, roll, pitch, yaw, rollSpeed, pitchSpeed, yawSpeed: MAVLinkFieldSlot
        init(_ d: MAVLinkDialect) {
            entry = Entry(d, "ATTITUDE")
            time = entry.slot("time_boot_ms")
            roll = entry.slot("roll")
            pitch = entry.slot("pitch")
            yaw = entry.slot("yaw")
            rollSpeed = entry.slot("rollspeed")
            pitchSpeed = entry.slot("pitchspeed")
            yawSpeed = entry.slot("yawspeed")
        }
    }

    struct VFRHUD: Sendable {
        let entry: Entry
        let airspeed, groundspeed, alt, climb, heading, throttle: MAVLinkFieldSlot
        init(_ d: MAVLinkDialect) {
            entry = Entry(d, "VFR_HUD")
            airspeed = entry.slot("airspeed")
            groundspeed = entry.slot("groundspeed")
            alt = entry.slot("alt")
            climb = entry.slot("climb")
            heading = entry.slot("heading")
            throttle = entry.slot("throttle")
        }
    }

    struct ServoOutput: Sendable {
        let entry: Entry
        let time, port: MAVLinkFieldSlot
        /// servo1_raw ... servo8_raw.
        let servos: [MAVLinkFieldSlot]
        init(_ d: MAVLinkDialect) {
            let entry = Entry(d, "SERVO_OUTPUT_RAW")
            self.entry = entry
            time = entry.slot("time_usec")
            port = entry.slot("port")
            servos = (1...8).map { entry.slot("servo\($0)_raw") }
        }
    }

    struct NamedValueFloat: Sendable {
        let entry: Entry
        let time, value, name: MAVLinkFieldSlot
        init(_ d: MAVLinkDialect) {
            entry = Entry(d, "NAMED_VALUE_FLOAT")
            time = entry.slot("time_boot_ms")
            value = entry.slot("value")
            name = entry.slot("name")
        }
    }

    struct StatusText: Sendable {
        let entry: Entry
        let severity, text: MAVLinkFieldSlot
        init(_ d: MAVLinkDialect) {
            entry = Entry(d, "STATUSTEXT")
            severity = entry.slot("severity")
            text = entry.slot("text")
        }
    }

    struct MissionCurrent: Sendable {
        let entry: Entry
        let seq, total, state: MAVLinkFieldSlot
        init(_ d: MAVLinkDialect) {
            entry = Entry(d, "MISSION_CURRENT")
            seq = entry.slot("seq")
            total = entry.slot("total")
            state = entry.slot("mission_state")
        }
    }

    struct SystemTime: Sendable {
        let entry: Entry
        let unix, boot: MAVLinkFieldSlot
        init(_ d: MAVLinkDialect) {
            entry = Entry(d, "SYSTEM_TIME")
            unix = entry.slot("time_unix_usec")
            boot = entry.slot("time_boot_ms")
        }
    }

    let heartbeat: Heartbeat
    let sysStatus: SysStatus
    let batteryStatus: BatteryStatus
    let gpsRaw: GPSRaw
    let globalPosition: GlobalPosition
    let attitude: Attitude
    let vfrHUD: VFRHUD
    let servoOutput: ServoOutput
    let namedValueFloat: NamedValueFloat
    let statusText: StatusText
    let missionCurrent: MissionCurrent
    let systemTime: SystemTime

    init(dialect: MAVLinkDialect) {
        heartbeat = Heartbeat(dialect)
        sysStatus = SysStatus(dialect)
        batteryStatus = BatteryStatus(dialect)
        gpsRaw = GPSRaw(dialect)
        globalPosition = GlobalPosition(dialect)
        attitude = Attitude(dialect)
        vfrHUD = VFRHUD(dialect)
        servoOutput = ServoOutput(dialect)
        namedValueFloat = NamedValueFloat(dialect)
        statusText = StatusText(dialect)
        missionCurrent = MissionCurrent(dialect)
        systemTime = SystemTime(dialect)
    }
}
