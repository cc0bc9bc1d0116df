extension FlightSummarizer {
    /// Adds one DataFlash message (times are `TimeUS`, µs since boot).
    ///
    /// Fixes: GPS (first instance; `GPS2` ignored) with Status ≥ 3; UTC offset from the first such fix's
    /// GWk/GMS (GPS epoch 1980-01-06, 18 leap seconds) against its TimeUS; relative altitude: POS.RelHomeAlt,
    /// else GPS altitude minus the altitude at arming; arming: ARM.ArmState or EV 10/11; modes: MODE.ModeNum
    /// (or Mode) named by the vehicle the MSG banner or VER.BU gives; batteries: BAT (or CURR) per instance with
    /// CurrTot/EnrgTot; messages: ERR (as errors) and MSG (no severity).
    public mutating func add(_ message: DataFlashMessage) {
        let type = Int(message.format.type)
        let role: DataFlashRole
        if let cached = dataflashRoles[type], cached.name == message.name {
            role = cached.role
        } else {
            role = dataflashRole(message.name)
            dataflashRoles[type] = (message.name, role)
        }
        let time = message.timeMicros.flatMap { $0 <= 1 << 60 ? Int64($0) : nil }
        if let time, time > 0 { accumulator.seen(time) }
        guard role != .other else { return }
        switch role {
        case .gps:
            guard let time, Self.instanceNumber(message) == 0 else { break }
            guard let status = number(message, "Status"), status >= 3, let lat = number(message, "Lat"),
                let lon = number(message, "Lng"), let alt = number(message, "Alt")
            else { break }
            if accumulator.summary.utcOffsetMicros == nil, let week = number(message, "GWk")?.logInteger,
                let ms = number(message, "GMS")?.logInteger, (1...100_000).contains(week), (0..<604_800_000).contains(ms)
            {
                let utc = (315_964_800 + week * 604_800 - 18) * 1_000_000 + ms * 1000
                accumulator.summary.utcOffsetMicros = utc - time
                accumulator.summary.utcOffsetSource = "GPS.GWk/GMS of the first 3-D fix against its TimeUS (18 leap seconds)"
            }
            accumulator.fix(time: time, latitude: lat, longitude: lon, altitudeMSL: alt, speed: number(message, "Spd"))
        case .pos:
            if let rel = number(message, "RelHomeAlt") { accumulator.relativeAltitude(rel, source: "POS.RelHomeAlt") }
        case .battery:
            guard let time else { break }
            let instance = Self.instanceNumber(message)
            accumulator.battery(
                instance: instance, source: message.name, time: time, voltage: number(message, "Volt"),
                current: number(message, "Curr"), consumedMilliampHours: number(message, "CurrTot"),
                consumedWattHours: number(message, "EnrgTot"))
        case .mode:
            guard let time else { break }
            if let n = (number(message, "ModeNum") ?? number(message, "Mode"))?.logInteger {
                accumulator.mode(at: time, number: n, name: "Mode(\(n))")
            }
        case .arm:
            if let time, let state = number(message, "ArmState") {
                sawDataflashArm = true
                accumulator.setArmed(state != 0, at: time)
            }
        case .ev:
            if let time, !sawDataflashArm, let id = number(message, "Id") {
                if id == 10 { accumulator.setArmed(true, at: time) }
                if id == 11 { accumulator.setArmed(false, at: time) }
            }
        case .err:
            if let subsystem = number(message, "Subsys")?.logInteger, let code = number(message, "ECode")?.logInteger {
                let name = Self.errorSubsystems[subsystem] ?? "subsystem \(subsystem)"
                accumulator.message(at: time, severity: 3, text: "ERR \(name) code \(code)" + (code == 0 ? " (cleared)" : ""))
            }
        case .msg:
            guard case .text(let text)? = message["Message"] else { break }
            dataflashBanner(text)
            accumulator.message(at: time, severity: nil, text: text)
        case .ver:
            if case .text(let fws)? = message["FWS"], !fws.isEmpty { accumulator.summary.vehicle.firmware = fws }
            if let build = number(message, "BU")?.logInteger {
                let vehicles: [Int64: FlightModeNames.ArduPilotVehicle] = [1: .rover, 2: .copter, 3: .plane, 4: .tracker, 7: .sub, 12: .blimp, 13: .copter]
                if let v = vehicles[build] { arduPilotVehicle = v }
            }
        case .flow, .other:
            break
        }
        if let time, flowMessages.contains(message.name) {
            for (i, channel) in accumulator.options.flowChannels.enumerated() where channel.message == message.name {
                if let value = number(message, channel.field) { accumulator.flow(channel: i, time: time, value: value) }
            }
        }
    }

    func dataflashRole(_ name: String) -> DataFlashRole {
        switch name {
        case "GPS": .gps
        case "POS": .pos
        case "BAT", "CURR": .battery
        case "MODE": .mode
        case "ARM": .arm
        case "EV": .ev
        case "ERR": .err
        case "MSG": .msg
        case "VER": .ver
        default: flowMessages.contains(name) ? .flow : .other
        }
    }

    /// Vehicle, firmware and board from MSG texts: `ArduPlane V3.8.2-dev (8178ab40)`, `PX4v4 00360029 30365103 31323731`.
    mutating func dataflashBanner(_ text: String) {
        if accumulator.summary.vehicle.autopilot == nil, let vehicle = FlightModeNames.arduPilotVehicle(banner: text),
            text.hasPrefix("Ardu") || text.hasPrefix("APM:")
        {
            accumulator.summary.vehicle.autopilot = "ArduPilot"
            accumulator.summary.vehicle.vehicleType = String(text.prefix { $0 != " " })
            if accumulator.summary.vehicle.firmware == nil { accumulator.summary.vehicle.firmware = text }
            if arduPilotVehicle == nil { arduPilotVehicle = vehicle }
            return
        }
        let words = text.split(separator: " ")
        if accumulator.summary.vehicle.hardwareID == nil, words.count >= 4,
            words.dropFirst().allSatisfy({ $0.count == 8 && $0.allSatisfy(\.isHexDigit) })
        {
            accumulator.summary.vehicle.hardware = String(words[0])
            accumulator.summary.vehicle.hardwareID = words.dropFirst().joined(separator: " ")
        }
    }

    func number(_ message: DataFlashMessage, _ field: String) -> Double? {
        message[field]?.doubleValue
    }

    /// The instance of a message: its FMTU `#` field, else an `I`/`Instance`/`Inst` column, else 0.
    static func instanceNumber(_ message: DataFlashMessage) -> Int {
        if let value = message.instance?.doubleValue?.logInteger { return Int(truncatingIfNeeded: value) }
        for name in ["I", "Instance", "Inst"] {
            if let value = message[name]?.doubleValue?.logInteger { return Int(truncatingIfNeeded: value) }
        }
        return 0
    }

    /// ArduPilot `LogErrorSubsystem` names.
    static let errorSubsystems: [Int64: String] = [
        1: "MAIN", 2: "RADIO", 3: "COMPASS", 4: "OPTFLOW", 5: "FAILSAFE_RADIO", 6: "FAILSAFE_BATT", 7: "FAILSAFE_GPS",
        8: "FAILSAFE_GCS", 9: "FAILSAFE_FENCE", 10: "FLIGHT_MODE", 11: "GPS", 12: "CRASH_CHECK", 13: "FLIP",
        14: "AUTOTUNE", 15: "PARACHUTES", 16: "EKFCHECK", 17: "FAILSAFE_EKFINAV", 18: "BARO", 19: "CPU",
        20: "FAILSAFE_ADSB", 21: "TERRAIN", 22: "NAVIGATION", 23: "FAILSAFE_TERRAIN", 24: "EKF_PRIMARY",
        25: "THRUST_LOSS_CHECK", 26: "FAILSAFE_SENSORS", 27: "FAILSAFE_LEAK", 28: "PILOT_INPUT", 29: "FAILSAFE_VIBE",
        30: "INTERNAL_ERROR", 31: "FAILSAFE_DEADRECKON",
    ]
}
