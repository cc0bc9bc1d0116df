import FurrowWire

extension FlightSummarizer {
    /// Adds one .tlog record (times are the logger's UTC timestamps).
    ///
    /// The vehicle is the system of the first HEARTBEAT that is neither a GCS (type 6) nor without an
    /// autopilot (8); other systems' messages are ignored once it is known. Arming: HEARTBEAT base_mode bit
    /// 128; modes: HEARTBEAT custom_mode by pymavlink's tables; fixes: GPS_RAW_INT with fix_type ≥ 3;
    /// relative altitude: GLOBAL_POSITION_INT.relative_alt; batteries: BATTERY_STATUS (else SYS_STATUS as
    /// instance 0); errors and warnings: STATUSTEXT severity ≤ 4.
    public mutating func add(_ record: TlogRecord) {
        let time = record.timestampMicros
        guard Int64.saneTimeRange.contains(time) else { return }
        let frame = record.frame
        let system = frame.systemID
        if let vehicleSystem, system != vehicleSystem { return }
        if vehicleSystem == nil && system == 255 { return }
        accumulator.seen(time)
        let id = frame.messageID
        guard let info = dialect.message(id: id) else { return }
        let wanted: Bool
        switch id {
        case 0, 1, 22, 24, 33, 147, 148, 253: wanted = true
        default: wanted = flowMessages.contains(info.name)
        }
        guard wanted else { return }
        let message = frame.withUnsafePayload { MAVLinkMessage(info: info, payload: $0) }
        switch id {
        case 0: heartbeat(message, time: time, system: system)
        case 1:
            guard vehicleSystem != nil else { return }
            let mv = message["voltage_battery"].flatMap(\.doubleValue)
            let ca = message["current_battery"].flatMap(\.doubleValue)
            var battery = systemStatusBattery ?? FlightBatteryAccumulator(instance: 0, source: "SYS_STATUS")
            battery.add(
                time: time, voltage: mv.flatMap { $0 == 65535 ? nil : $0 / 1000 }, current: ca.flatMap { $0 < 0 ? nil : $0 / 100 },
                consumedMilliampHours: nil, consumedWattHours: nil)
            systemStatusBattery = battery
        case 22:
            if let name = message["param_id"]?.text, let value = message["param_value"]?.doubleValue {
                accumulator.summary.parameters[name] = value
            }
        case 24:
            guard let fixType = message["fix_type"]?.doubleValue, fixType >= 3,
                let lat = message["lat"]?.doubleValue, let lon = message["lon"]?.doubleValue,
                let alt = message["alt"]?.doubleValue
            else { return }
            let vel = message["vel"]?.doubleValue
            accumulator.fix(
                time: time, latitude: lat / 1e7, longitude: lon / 1e7, altitudeMSL: alt / 1000,
                speed: vel.flatMap { $0 == 65535 ? nil : $0 / 100 })
        case 33:
            if let rel = message["relative_alt"]?.doubleValue {
                accumulator.relativeAltitude(rel / 1000, source: "GLOBAL_POSITION_INT.relative_alt")
            }
        case 147:
            sawBatteryStatus = true
            let instance = Int(truncatingIfNeeded: message["id"]?.doubleValue?.logInteger ?? 0)
            var volts: Double?
            if case .unsignedArray(let cells)? = message["voltages"] {
                let valid = cells.filter { $0 != 65535 }
                if !valid.isEmpty { volts = Double(valid.reduce(0, +)) / 1000 }
            }
            let ca = message["current_battery"]?.doubleValue
            let mah = message["current_consumed"]?.doubleValue
            let hj = message["energy_consumed"]?.doubleValue
            accumulator.battery(
                instance: instance, source: "BATTERY_STATUS", time: time, voltage: volts,
                current: ca.flatMap { $0 < 0 ? nil : $0 / 100 }, consumedMilliampHours: mah.flatMap { $0 < 0 ? nil : $0 },
                consumedWattHours: hj.flatMap { $0 < 0 ? nil : $0 * 100 / 3600 })
        case 148:
            if let sw = message["flight_sw_version"]?.doubleValue, sw > 0 {
                let v = UInt32(truncatingIfNeeded: sw.logInteger ?? 0)
                var text = "\(v >> 24).\((v >> 16) & 0xFF).\((v >> 8) & 0xFF)"
                if case .unsignedArray(let hash)? = message["flight_custom_version"] {
                    let bytes = hash.map { UInt8(truncatingIfNeeded: $0) }.prefix { $0 != 0 }
                    if !bytes.isEmpty { text += " (\(MAVLinkValue.decodeText(bytes)))" }
                }
                if accumulator.summary.vehicle.firmware == nil { accumulator.summary.vehicle.firmware = text }
            }
            if case .unsigned(let raw)? = message["uid"], raw != 0 {
                accumulator.summary.vehicle.hardwareID = String(raw, radix: 16)
            }
        case 253:
            guard let severity = message["severity"]?.doubleValue, let text = message["text"]?.text else { return }
            if accumulator.summary.vehicle.firmware == nil,
                text.hasPrefix("Ardu") || text.hasPrefix("APM:") || text.hasPrefix("PX4")
            {
                accumulator.summary.vehicle.firmware = text
            }
            accumulator.message(at: time, severity: Int(truncatingIfNeeded: severity.logInteger ?? 7), text: text)
        default:
            break
        }
        tlogFlows(message, name: info.name, time: time)
    }

    mutating func heartbeat(_ message: MAVLinkMessage, time: Int64, system: UInt8) {
        guard let type = message["type"]?.doubleValue?.logInteger, let autopilot = message["autopilot"]?.doubleValue?.logInteger,
            let baseMode = message["base_mode"]?.doubleValue?.logInteger,
            let customMode = message["custom_mode"]?.doubleValue?.logInteger
        else { return }
        guard type != 6, autopilot != 8 else { return }
        if vehicleSystem == nil {
            vehicleSystem = system
            accumulator.summary.vehicle.systemID = Int(system)
            accumulator.summary.vehicle.vehicleType = Self.mavTypeName(type)
            accumulator.summary.vehicle.autopilot = autopilot == 3 ? "ArduPilot" : autopilot == 12 ? "PX4" : "MAV_AUTOPILOT \(autopilot)"
            mavType = type
        }
        accumulator.setArmed(baseMode & 128 != 0, at: time)
        let name: String
        if autopilot == 12 {
            name = FlightModeNames.px4(customMode: UInt32(truncatingIfNeeded: customMode))
        } else if baseMode & 1 == 0 {
            name = "Mode(0x" + Self.hex8(UInt32(truncatingIfNeeded: baseMode)) + ")"
        } else {
            name = FlightModeNames.arduPilot(customMode, vehicle: FlightModeNames.arduPilotVehicle(mavType: type))
        }
        accumulator.mode(at: time, number: customMode, name: name)
    }

    mutating func tlogFlows(_ message: MAVLinkMessage, name: String, time: Int64) {
        let channels = accumulator.options.flowChannels
        guard !channels.isEmpty else { return }
        for (i, channel) in channels.enumerated() where channel.message == name {
            if name == "NAMED_VALUE_FLOAT" || name == "NAMED_VALUE_INT" {
                // A named value (a sprayer's SPRAY_LPM): the field names the value, not a message field.
                guard let key = message["name"]?.text, key == channel.field,
                    let value = message["value"]?.doubleValue
                else { continue }
                accumulator.flow(channel: i, time: time, value: value)
            } else if let value = message[channel.field]?.doubleValue {
                accumulator.flow(channel: i, time: time, value: value)
            }
        }
    }

    static func hex8(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: Swift.max(0, 8 - s.count)) + s
    }

    /// MAV_TYPE names for the types a drone log carries.
    static func mavTypeName(_ type: Int64) -> String {
        let names: [Int64: String] = [
            0: "GENERIC", 1: "FIXED_WING", 2: "QUADROTOR", 3: "COAXIAL", 4: "HELICOPTER", 5: "ANTENNA_TRACKER",
            7: "AIRSHIP", 10: "GROUND_ROVER", 11: "SURFACE_BOAT", 12: "SUBMARINE", 13: "HEXAROTOR", 14: "OCTOROTOR",
            15: "TRICOPTER", 16: "FLAPPING_WING", 19: "VTOL_TAILSITTER_DUOROTOR", 20: "VTOL_TAILSITTER_QUADROTOR",
            21: "VTOL_TILTROTOR", 22: "VTOL_FIXEDROTOR", 23: "VTOL_TAILSITTER", 24: "VTOL_TILTWING", 29: "DODECAROTOR",
            35: "DECAROTOR",
        ]
        return names[type] ?? "MAV_TYPE \(type)"
    }
}
