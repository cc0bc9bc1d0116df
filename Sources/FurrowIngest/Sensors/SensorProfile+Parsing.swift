import FurrowWire

extension SensorProfile {
    /// Reads the sensor part of a profile: `[sdi12]`, `[modbus]` or `[lorawan]`, and `[[channels]]`.
    ///
    /// Every error names the file and line of the key at fault (a register past the 125-register read
    /// limit, an unknown decoder field, `scale` together with `polynomial`).
    init(_ root: TOMLTableReader, protocol deviceProtocol: DeviceProfile.DeviceProtocol) throws(ConfigurationError) {
        var sdi12: SDI12?
        var modbusTable = ModbusRegisterAddress.Table.holding
        var oneBased = false
        var decoder: LoRaWANDecoder?
        switch deviceProtocol {
        case .sdi12:
            var settings = SDI12()
            if let table = try root.table("sdi12", label: "[sdi12]") {
                let command = try table.string("command") ?? "MC"
                let index = try table.integer("index") ?? 0
                guard (0...9).contains(index) else { throw table.error(.invalidValue, "index", "index \(index) is not in 0...9") }
                switch command {
                case "M": settings.kind = .measure(index: index, crc: false)
                case "MC": settings.kind = .measure(index: index, crc: true)
                case "C": settings.kind = .concurrent(index: index, crc: false)
                case "CC": settings.kind = .concurrent(index: index, crc: true)
                default: throw table.error(.invalidValue, "command", "command '\(command)' is not one of M, MC, C, CC")
                }
                try table.finish()
            }
            sdi12 = settings
        case .modbus:
            guard let table = try root.table("modbus", label: "[modbus]") else {
                throw root.error(.missingKey, nil, "a Modbus profile needs a [modbus] table (table, numbering)")
            }
            switch try table.string("table") ?? "holding" {
            case "holding": modbusTable = .holding
            case "input": modbusTable = .input
            case let other: throw table.error(.invalidValue, "table", "table '\(other)' is not holding (FC 03) or input (FC 04)")
            }
            switch try table.string("numbering") ?? "0-based" {
            case "0-based": oneBased = false
            case "1-based": oneBased = true
            case let other:
                throw table.error(.invalidValue, "numbering", "numbering '\(other)' is not 0-based (PDU addresses) or 1-based (register 1 = address 0)")
            }
            try table.finish()
        case .lorawan:
            guard let table = try root.table("lorawan", label: "[lorawan]") else {
                throw root.error(.missingKey, nil, "a LoRaWAN profile needs a [lorawan] table with a decoder")
            }
            let name = try table.string("decoder") ?? ""
            guard let d = LoRaWANDecoder(rawValue: name) else {
                throw table.error(
                    .invalidValue, "decoder",
                    "decoder '\(name)' is not one of \(LoRaWANDecoder.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            decoder = d
            try table.finish()
        case .mavlink:
            throw root.error(.invalidValue, "protocol", "a MAVLink profile has no sensor channels")
        }

        let tables = try root.tables("channels", label: "[[channels]]")
        guard !tables.isEmpty else {
            throw root.error(.missingKey, nil, "a \(deviceProtocol.rawValue) profile needs at least one [[channels]] entry")
        }
        var channels: [SensorChannel] = []
        var seen: Set<String> = []
        for table in tables {
            guard let name = try table.string("name"), !name.isEmpty,
                name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
            else {
                throw table.error(.missingKey, "name", "each [[channels]] entry needs a 'name' of letters, digits and '_'")
            }
            guard seen.insert(name).inserted, !name.hasSuffix("_raw") else {
                throw table.error(.duplicateChannel, "name", "channel '\(name)' is defined twice (or ends in _raw, which raw values use)")
            }
            let unit = try table.string("unit")
            let rawUnit = try table.string("raw_unit")
            let origin: SensorChannel.Origin
            var calibration = SensorCalibration.identity
            switch deviceProtocol {
            case .sdi12:
                guard let index = try table.integer("value"), (0...98).contains(index) else {
                    throw table.error(.missingKey, "value", "an SDI-12 channel needs 'value': its 0-based position in the measurement (0...98)")
                }
                origin = .sdi12Value(index: index)
            case .modbus:
                origin = .modbusRegister(try Self.register(table, table: modbusTable, oneBased: oneBased))
            default:
                guard let field = try table.string("field"), !field.isEmpty else {
                    throw table.error(.missingKey, "field", "a LoRaWAN channel needs 'field', the decoder's value name")
                }
                if let decoder, let known = decoder.knownFields, !known.contains(field) {
                    throw table.error(.invalidValue, "field", "decoder \(decoder.rawValue) has no field '\(field)' (fields: \(known.joined(separator: ", ")))")
                }
                origin = .decoderField(field)
            }
            let scale = try table.double("scale")
            let offset = try table.double("offset")
            if let polynomial = try table.doubles("polynomial") {
                guard scale == nil, offset == nil else {
                    throw table.error(.invalidValue, "polynomial", "give either 'polynomial' or 'scale'/'offset', not both")
                }
                guard !polynomial.isEmpty, polynomial.count <= 8 else {
                    throw table.error(.invalidValue, "polynomial", "'polynomial' has 1 to 8 coefficients, lowest power first")
                }
                calibration = SensorCalibration(coefficients: polynomial)
            } else if scale != nil || offset != nil {
                calibration = .linear(scale: scale ?? 1, offset: offset ?? 0)
            }
            try table.finish()
            channels.append(SensorChannel(name: name, unit: unit, rawUnit: rawUnit, origin: origin, calibration: calibration))
        }
        var modbus: Modbus?
        if deviceProtocol == .modbus {
            modbus = try Self.blocks(channels, root: root)
        }
        self.init(channels: channels, sdi12: sdi12, modbus: modbus, lorawanDecoder: decoder)
    }

    /// A channel's register: `register = 0` (numbering as in [modbus]) or `register = "40001"` (documentation form).
    static func register(_ table: TOMLTableReader, table defaultTable: ModbusRegisterAddress.Table, oneBased: Bool)
        throws(ConfigurationError) -> ModbusRegisterSpec
    {
        let address: ModbusRegisterAddress
        if table.contains("register"), let text = try? table.string("register") {
            do {
                address = try ModbusRegisterAddress(documentation: text)
            } catch {
                throw table.error(.invalidValue, "register", error.reason)
            }
        } else if let number = try table.integer("register") {
            let lowest = oneBased ? 1 : 0
            guard (lowest...(65_535 + lowest)).contains(number) else {
                throw table.error(.invalidValue, "register", "register \(number) is outside \(lowest)...\(65_535 + lowest)")
            }
            address = ModbusRegisterAddress(table: defaultTable, address: UInt16(number - lowest))
        } else {
            throw table.error(.missingKey, "register", "a Modbus channel needs 'register' (a number, or \"40001\"-style text)")
        }
        let typeName = try table.string("type") ?? "uint16"
        guard let type = ModbusValueType(rawValue: typeName) else {
            throw table.error(.invalidValue, "type", "type '\(typeName)' is not one of \(ModbusValueType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let orderName = try table.string("word_order") ?? "abcd"
        guard let order = ModbusWordOrder(rawValue: orderName.lowercased()) else {
            throw table.error(.invalidValue, "word_order", "word_order '\(orderName)' is not one of abcd, cdab, badc, dcba")
        }
        guard Int(address.address) + type.registerCount <= 65_536 else {
            throw table.error(.invalidValue, "register", "a \(typeName) at \(address.address) runs past register 65535")
        }
        return ModbusRegisterSpec(table: address.table, address: address.address, type: type, order: order)
    }

    /// One read per table, spanning its channels' registers (at most 125, the FC 03/04 limit).
    static func blocks(_ channels: [SensorChannel], root: TOMLTableReader) throws(ConfigurationError) -> Modbus {
        var blocks: [Modbus.Block] = []
        for table in [ModbusRegisterAddress.Table.holding, .input] {
            let specs = channels.compactMap { channel -> ModbusRegisterSpec? in
                guard case .modbusRegister(let spec) = channel.origin, spec.table == table else { return nil }
                return spec
            }
            guard let start = specs.map(\.address).min() else { continue }
            let end = specs.map { Int($0.address) + $0.type.registerCount }.max() ?? Int(start) + 1
            guard end - Int(start) <= 125 else {
                throw root.error(
                    .invalidValue, "channels",
                    "the \(table) registers of this profile span \(end - Int(start)) registers (\(start)...\(end - 1)); one read takes at most 125")
            }
            blocks.append(Modbus.Block(table: table, start: start, count: end - Int(start)))
        }
        return Modbus(blocks: blocks)
    }
}
