extension FlightSummarizer {
    /// Adds one ULog event (times are `timestamp`, µs since boot).
    ///
    /// Fixes: `vehicle_gps_position` (or `sensor_gps` when the log has no vehicle_gps_position first) instance 0
    /// with fix_type ≥ 3; UTC offset from its first non-zero `time_utc_usec` against its `timestamp`; relative
    /// altitude: −`vehicle_local_position.z` (metres above the local origin, which PX4 sets near take-off);
    /// arming: `vehicle_status.arming_state` 2; modes: `vehicle_status.nav_state`; batteries: `battery_status`
    /// per multi_id with `discharged_mah`; messages: logged strings with level ≤ 4 (warning); dropouts: 'O'.
    public mutating func add(_ event: ULogEvent) {
        switch event {
        case .info(let kv):
            ulogInfo(kv)
        case .parameter(let kv, _, _):
            if let value = kv.value.doubleValue { accumulator.summary.parameters[kv.key] = value }
        case .logString(let s):
            let time = Int64(truncatingIfNeeded: s.timestamp)
            guard Int64.saneTimeRange.contains(time) else { return }
            let level = s.level >= 0x30 && s.level <= 0x37 ? Int(s.level - 0x30) : 7
            if level <= 4 { accumulator.message(at: time, severity: level, text: s.message) }
        case .dropout(let millis, let timestamp):
            guard timestamp <= 1 << 60 else { return }
            accumulator.summary.dropouts.add(
                at: Int64(truncatingIfNeeded: timestamp), length: Int64(millis) * 1000, cap: accumulator.options.maxListedEvents)
        case .data(let data):
            ulogData(data)
        default:
            break
        }
    }

    static let ulogTopicFields: [String: [String]] = [
        "vehicle_gps_position": ["lat", "lon", "alt", "latitude_deg", "longitude_deg", "altitude_msl_m", "fix_type", "vel_m_s", "time_utc_usec"],
        "vehicle_status": ["arming_state", "nav_state", "vehicle_type", "is_rotary_wing", "is_vtol"],
        "vehicle_local_position": ["z", "z_valid"],
        "battery_status": ["voltage_v", "current_a", "discharged_mah", "connected"],
    ]

    mutating func ulogInfo(_ kv: ULogKeyValue) {
        guard case .text(let text) = kv.value else { return }
        switch kv.key {
        case "sys_name": accumulator.summary.vehicle.autopilot = text
        case "ver_sw": accumulator.summary.vehicle.firmware = text
        case "ver_hw": accumulator.summary.vehicle.hardware = text
        case "sys_mcu": accumulator.summary.vehicle.mcu = text
        case "sys_uuid": accumulator.summary.vehicle.hardwareID = text
        default: break
        }
    }

    mutating func ulogData(_ data: ULogData) {
        let subscription = data.subscription
        let time = Int64(truncatingIfNeeded: data.timestamp)
        guard Int64.saneTimeRange.contains(time) else { return }
        if time > 0 { accumulator.seen(time) }
        // One lookup per msg_id: what the topic is to the summary and which fields it reads.
        let fields: ULogTopicFields
        if let cached = ulogFields[subscription.msgID], cached.subscription == subscription {
            fields = cached
        } else {
            var topic = subscription.name
            if topic == "sensor_gps" || topic == "vehicle_gps_position" {
                if ulogGPSTopic == nil { ulogGPSTopic = topic }
                topic = topic == ulogGPSTopic ? "vehicle_gps_position" : ""
            }
            if Self.ulogTopicFields[topic] == nil { topic = "" }
            let flowFields = accumulator.options.flowChannels.filter { $0.message == subscription.name }.map(\.field)
            fields = ULogTopicFields(
                subscription, topic: topic, names: (Self.ulogTopicFields[topic] ?? []) + flowFields, isFlow: !flowFields.isEmpty)
            ulogFields[subscription.msgID] = fields
        }
        let name = fields.topic
        if name.isEmpty && !fields.isFlow { return }
        switch name {
        case "vehicle_gps_position" where subscription.multiID == 0:
            guard let fix = fields.number("fix_type", in: data), fix >= 3 else { break }
            let lat = fields.number("latitude_deg", in: data) ?? fields.number("lat", in: data).map { $0 / 1e7 }
            let lon = fields.number("longitude_deg", in: data) ?? fields.number("lon", in: data).map { $0 / 1e7 }
            let alt = fields.number("altitude_msl_m", in: data) ?? fields.number("alt", in: data).map { $0 / 1000 }
            guard let lat, let lon, let alt else { break }
            if accumulator.summary.utcOffsetMicros == nil, let utc = fields.number("time_utc_usec", in: data)?.logInteger,
                Int64.saneTimeRange.contains(utc), utc > 0
            {
                accumulator.summary.utcOffsetMicros = utc - time
                accumulator.summary.utcOffsetSource = "\(subscription.name).time_utc_usec of the first fix against its timestamp"
            }
            accumulator.fix(time: time, latitude: lat, longitude: lon, altitudeMSL: alt, speed: fields.number("vel_m_s", in: data))
        case "vehicle_status":
            if let state = fields.number("arming_state", in: data) { accumulator.setArmed(state == 2, at: time) }
            if let n = fields.number("nav_state", in: data)?.logInteger {
                accumulator.mode(at: time, number: n, name: FlightModeNames.px4(navState: n))
            }
            if accumulator.summary.vehicle.vehicleType == nil {
                if let vtol = fields.number("is_vtol", in: data), vtol != 0 {
                    accumulator.summary.vehicle.vehicleType = "VTOL"
                } else if let rotary = fields.number("is_rotary_wing", in: data) {
                    accumulator.summary.vehicle.vehicleType = rotary != 0 ? "ROTARY_WING" : "FIXED_WING"
                } else if let type = fields.number("vehicle_type", in: data)?.logInteger {
                    let names: [Int64: String] = [1: "ROTARY_WING", 2: "FIXED_WING", 3: "ROVER", 4: "AIRSHIP"]
                    accumulator.summary.vehicle.vehicleType = names[type] ?? "vehicle_type \(type)"
                }
            }
        case "vehicle_local_position":
            if let z = fields.number("z", in: data), fields.number("z_valid", in: data).map({ $0 != 0 }) ?? true {
                accumulator.relativeAltitude(-z, source: "-vehicle_local_position.z (above the local origin)")
            }
        case "battery_status":
            if let connected = fields.number("connected", in: data), connected == 0 { break }
            accumulator.battery(
                instance: Int(subscription.multiID), source: "battery_status", time: time,
                voltage: fields.number("voltage_v", in: data), current: fields.number("current_a", in: data),
                consumedMilliampHours: fields.number("discharged_mah", in: data))
        default:
            break
        }
        if fields.isFlow {
            for (i, channel) in accumulator.options.flowChannels.enumerated() where channel.message == subscription.name {
                if let value = fields.number(channel.field, in: data) { accumulator.flow(channel: i, time: time, value: value) }
            }
        }
    }
}
