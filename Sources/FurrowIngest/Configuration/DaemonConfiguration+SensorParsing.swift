import FurrowWire

extension DaemonConfiguration {
    /// Parses `[[sdi12]]`, `[[modbus]]` and `[[lorawan]]`; `claim` reserves each name in the link namespace.
    mutating func parseSensorLinks(
        _ root: TOMLTableReader, claim: (String, TOMLTableReader) throws(ConfigurationError) -> Void
    ) throws(ConfigurationError) {
        for table in try root.tables("sdi12", label: "[[sdi12]]") {
            let name = try Self.linkName(table)
            try claim(name, table)
            var bus = SDI12Bus(name: name, device: try Self.device(table, name))
            try Self.parseBusSettings(table, into: &bus)
            var addresses: Set<Character> = []
            for sensorTable in try table.tables("sensors", label: "[[sdi12.sensors]]") {
                guard let text = try sensorTable.string("address"), text.count == 1, let character = text.first,
                    let ascii = character.asciiValue, SDI12Address.isValid(ascii)
                else {
                    throw sensorTable.error(.invalidValue, "address", "an SDI-12 'address' is one character 0-9, A-Z or a-z")
                }
                guard addresses.insert(character).inserted else {
                    throw sensorTable.error(.duplicateName, "address", "address '\(character)' is used twice on bus '\(name)'")
                }
                guard let profile = try Self.name(sensorTable, "profile") else {
                    throw sensorTable.error(.missingKey, nil, "each [[sdi12.sensors]] needs a 'profile'")
                }
                let interval = try Self.interval(sensorTable)
                let source = try Self.name(sensorTable, "name") ?? "sdi12-\(name)-\(character)"
                bus.sensors.append(
                    SDI12Bus.Sensor(address: character, profile: profile, interval: interval, source: source, sourcePath: sensorTable.path))
                try sensorTable.finish()
            }
            try table.finish()
            sdi12.append(bus)
        }
        for table in try root.tables("modbus", label: "[[modbus]]") {
            let name = try Self.linkName(table)
            try claim(name, table)
            var bus = ModbusBus(name: name, device: try Self.device(table, name))
            try Self.parseBusSettings(table, into: &bus)
            var units: Set<UInt8> = []
            for slaveTable in try table.tables("slaves", label: "[[modbus.slaves]]") {
                guard let unit = try slaveTable.integer("unit"), (1...247).contains(unit) else {
                    throw slaveTable.error(.invalidValue, "unit", "each [[modbus.slaves]] needs a 'unit' id in 1...247")
                }
                guard units.insert(UInt8(unit)).inserted else {
                    throw slaveTable.error(.duplicateName, "unit", "unit \(unit) is used twice on bus '\(name)'")
                }
                guard let profile = try Self.name(slaveTable, "profile") else {
                    throw slaveTable.error(.missingKey, nil, "each [[modbus.slaves]] needs a 'profile'")
                }
                let interval = try Self.interval(slaveTable)
                let source = try Self.name(slaveTable, "name") ?? "modbus-\(name)-\(unit)"
                bus.slaves.append(
                    ModbusBus.Slave(unit: UInt8(unit), profile: profile, interval: interval, source: source, sourcePath: slaveTable.path))
                try slaveTable.finish()
            }
            try table.finish()
            modbus.append(bus)
        }
        for table in try root.tables("lorawan", label: "[[lorawan]]") {
            let name = try Self.linkName(table)
            try claim(name, table)
            var link = LoRaWANLink(
                name: name, listen: try Self.address(table, "listen") ?? SocketAddressSpec(host: "0.0.0.0", port: 1700))
            if let ms = try Self.positive(table, "dedup_window_ms", max: 10_000) { link.deduplicationWindow = .milliseconds(ms) }
            link.project = try Self.name(table, "project")
            link.sourcePath = table.path
            var addresses: Set<UInt32> = []
            for deviceTable in try table.tables("devices", label: "[[lorawan.devices]]") {
                func hex(_ key: String, digits: Int) throws(ConfigurationError) -> String {
                    guard let text = try deviceTable.string(key) else {
                        throw deviceTable.error(.missingKey, nil, "each [[lorawan.devices]] needs '\(key)' (\(digits) hex digits)")
                    }
                    let clean = text.filter { $0 != ":" && $0 != " " && $0 != "-" }
                    guard clean.count == digits, clean.allSatisfy(\.isHexDigit) else {
                        throw deviceTable.error(.invalidValue, key, "'\(key)' must be \(digits) hex digits, not \"\(text)\"")
                    }
                    return clean
                }
                func key(_ name: String) throws(ConfigurationError) -> LoRaWANKey {
                    do {
                        return try LoRaWANKey(hex: try hex(name, digits: 32))
                    } catch let error as ConfigurationError {
                        throw error
                    } catch {
                        throw deviceTable.error(.invalidValue, name, "'\(name)': \(error)")
                    }
                }
                let devEUI = LoRaWANEUI(UInt64(try hex("dev_eui", digits: 16), radix: 16) ?? 0)
                let devAddr = UInt32(try hex("dev_addr", digits: 8), radix: 16) ?? 0
                guard addresses.insert(devAddr).inserted else {
                    throw deviceTable.error(.duplicateName, "dev_addr", "DevAddr \(devAddr) is used by two devices on '\(name)'")
                }
                guard let profile = try Self.name(deviceTable, "profile") else {
                    throw deviceTable.error(.missingKey, nil, "each [[lorawan.devices]] needs a 'profile'")
                }
                var device = LoRaWANLink.Device(
                    devEUI: devEUI, devAddr: devAddr, nwkSKey: try key("nwk_s_key"), appSKey: try key("app_s_key"),
                    profile: profile,
                    source: try Self.name(deviceTable, "name") ?? "lorawan-\(devEUI.description.lowercased())")
                device.checksFrameCounter = try deviceTable.bool("fcnt_check") ?? true
                device.sourcePath = deviceTable.path
                try deviceTable.finish()
                link.devices.append(device)
            }
            try table.finish()
            lorawan.append(link)
        }
    }

    static func device(_ table: TOMLTableReader, _ name: String) throws(ConfigurationError) -> String {
        guard let device = try table.string("device"), !device.isEmpty else {
            throw table.error(.missingKey, nil, "\(table.label) '\(name)' needs a 'device' (like /dev/ttyUSB0)")
        }
        return device
    }

    static func baud(_ table: TOMLTableReader) throws(ConfigurationError) -> Int? {
        guard let baud = try table.integer("baud") else { return nil }
        guard SerialBaudRate.isStandard(baud) else {
            throw table.error(
                .invalidValue, "baud",
                "baud \(baud) is not a standard rate (\(SerialBaudRate.standard.map(String.init).joined(separator: ", ")))")
        }
        return baud
    }

    static func framing(_ table: TOMLTableReader) throws(ConfigurationError) -> SerialFraming? {
        guard let text = try table.string("framing") else { return nil }
        guard let framing = SerialFraming(text) else {
            throw table.error(
                .invalidValue, "framing", "framing '\(text)' is not <data bits 5-8><parity N/E/O><stop bits 1-2>, like 8N1 or 7E1")
        }
        return framing
    }

    static func count(_ table: TOMLTableReader, _ key: String, max: Int) throws(ConfigurationError) -> Int? {
        guard let value = try table.integer(key) else { return nil }
        guard (0...max).contains(value) else { throw table.error(.invalidValue, key, "\(key) \(value) is not in 0...\(max)") }
        return value
    }

    /// `interval_s`: seconds between polls, 0.1 ... 86400 (default 60).
    static func interval(_ table: TOMLTableReader) throws(ConfigurationError) -> Duration {
        guard let seconds = try table.double("interval_s") else { return .seconds(60) }
        guard seconds >= 0.1, seconds <= 86_400 else {
            throw table.error(.invalidValue, "interval_s", "interval_s \(seconds) is not in 0.1...86400")
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// The keys every serial sensor bus has (`baud`, `framing`, `response_timeout_ms`, `retries`, `project`); each
    /// bus type keeps its own defaults.
    static func parseBusSettings(_ table: TOMLTableReader, into bus: inout some SerialSensorBus) throws(ConfigurationError) {
        if let baud = try Self.baud(table) { bus.baud = baud }
        if let framing = try Self.framing(table) { bus.framing = framing }
        if let ms = try Self.positive(table, "response_timeout_ms", max: 60_000) { bus.responseTimeout = .milliseconds(ms) }
        bus.retries = try Self.count(table, "retries", max: 10) ?? bus.retries
        bus.project = try Self.name(table, "project")
        bus.sourcePath = table.path
    }
}

/// What the SDI-12 and Modbus bus configurations share: one serial line and how patiently it is polled.
protocol SerialSensorBus {
    var baud: Int { get set }
    var framing: SerialFraming { get set }
    var responseTimeout: Duration { get set }
    var retries: Int { get set }
    var project: String? { get set }
    var sourcePath: TOMLPath? { get set }
}

extension DaemonConfiguration.SDI12Bus: SerialSensorBus {}
extension DaemonConfiguration.ModbusBus: SerialSensorBus {}
