import Foundation
import FurrowLogs
import FurrowWire

extension DeviceProfile {
    /// Reads and validates the profile in `path` (errors name the file as given).
    public init(contentsOf path: String) throws(ConfigurationError) {
        try self.init(parsing: try readConfigurationFile(path), file: path)
    }

    /// Parses and validates a profile from TOML text.
    ///
    /// Validation resolves the mapping against `MAVLinkDialect.ardupilotmega`: unknown messages and fields,
    /// array indices out of range, value types a field cannot take, scaling of text fields and duplicate
    /// channel or group names are rejected, each with the file and line of the offending key.
    ///
    /// - Parameters:
    ///   - text: The TOML document.
    ///   - file: The name errors report (the path when read from a file).
    public init(parsing text: String, file: String = "<string>") throws(ConfigurationError) {
        let document = try TOMLDocument(text: text, file: file)
        try self.init(document: document)
        if deviceProtocol == .mavlink {
            _ = try MAVLinkPlanBuilder(profile: self, dialect: .ardupilotmega).build()
        }
    }

    init(document: TOMLDocument) throws(ConfigurationError) {
        let root = document.rootReader
        guard let name = try root.string("name"), !name.isEmpty else {
            throw root.error(.missingKey, nil, "a profile needs a 'name' (what links and source rules refer to)")
        }
        let protocolText = try root.string("protocol") ?? "mavlink"
        guard let deviceProtocol = DeviceProtocol(rawValue: protocolText) else {
            throw root.error(
                .invalidValue, "protocol",
                "unknown protocol '\(protocolText)' (one of: \(DeviceProtocol.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self.init(
            name: name, description: try root.string("description"), vendor: try root.string("vendor"),
            model: try root.string("model"), deviceProtocol: deviceProtocol, file: document.file)
        locator = document.locator
        guard deviceProtocol == .mavlink else {
            sensor = try SensorProfile(root, protocol: deviceProtocol)
            try root.finish()
            return
        }
        if let transport = try root.table("transport", label: "[transport]") {
            self.transport = try Self.parseTransport(transport)
        }
        guard let mavlink = try root.table("mavlink", label: "[mavlink]") else {
            throw root.error(.missingKey, nil, "a MAVLink profile needs a [mavlink] table (map_all, messages)")
        }
        self.mavlink = try Self.parseMAVLink(mavlink)
        if let flight = try root.table("flight", label: "[flight]") {
            self.flight = try Self.parseFlight(flight)
        }
        try root.finish()
    }

    static func parseFlight(_ table: TOMLTableReader) throws(ConfigurationError) -> FlightProfile {
        var flight = FlightProfile()
        if let width = try table.double("swath_width") {
            guard width.isFinite, width > 0, width <= 200 else {
                throw table.error(.invalidValue, "swath_width", "swath_width \(width) is not a width in metres in (0, 200]")
            }
            flight.swathWidth = width
        }
        flight.areaWhileSpraying = try table.bool("area_while_spraying") ?? false
        for spec in try table.strings("flows") ?? [] {
            do {
                flight.flows.append(try FlightFlowChannel(specification: spec, marksSpraying: flight.areaWhileSpraying))
            } catch {
                throw table.error(.invalidValue, "flows", "flows: \(error)")
            }
        }
        try table.finish()
        return flight
    }

    static func parseTransport(_ table: TOMLTableReader) throws(ConfigurationError) -> DeviceTransportDefaults {
        var defaults = DeviceTransportDefaults()
        if let baud = try table.integer("baud") {
            guard SerialBaudRate.isStandard(baud) else {
                throw table.error(
                    .invalidValue, "baud",
                    "baud \(baud) is not a standard rate (\(SerialBaudRate.standard.map(String.init).joined(separator: ", ")))")
            }
            defaults.serialBaud = baud
        }
        if let text = try table.string("framing") {
            guard let framing = SerialFraming(text) else {
                throw table.error(
                    .invalidValue, "framing",
                    "framing '\(text)' is not <data bits 5-8><parity N/E/O><stop bits 1-2>, like 8N1 or 7E1")
            }
            defaults.serialFraming = framing
        }
        if let text = try table.string("flow_control") {
            guard let flow = SerialFlowControl(rawValue: text) else {
                throw table.error(.invalidValue, "flow_control", "flow_control '\(text)' is not one of none, rtscts, xonxoff")
            }
            defaults.serialFlowControl = flow
        }
        if let port = try table.integer("udp_port") {
            guard (1...65535).contains(port) else { throw table.error(.invalidValue, "udp_port", "udp_port \(port) is not in 1...65535") }
            defaults.udpPort = port
        }
        if let port = try table.integer("tcp_port") {
            guard (1...65535).contains(port) else { throw table.error(.invalidValue, "tcp_port", "tcp_port \(port) is not in 1...65535") }
            defaults.tcpPort = port
        }
        try table.finish()
        return defaults
    }

    static func parseMAVLink(_ table: TOMLTableReader) throws(ConfigurationError) -> MAVLinkProfileMapping {
        var mapping = MAVLinkProfileMapping()
        if let dialect = try table.string("dialect") {
            guard dialect == MAVLinkDialect.ardupilotmega.name else {
                throw table.error(
                    .invalidValue, "dialect", "dialect '\(dialect)' is not available (only \(MAVLinkDialect.ardupilotmega.name))")
            }
            mapping.dialect = dialect
        }
        mapping.mapAll = try table.bool("map_all") ?? false
        mapping.exclude = try table.strings("exclude") ?? []
        if !mapping.exclude.isEmpty && !mapping.mapAll {
            throw table.error(.invalidValue, "exclude", "'exclude' only applies with map_all = true")
        }
        if let messages = try table.table("messages", label: "[mavlink.messages]") {
            for name in messages.keysInFileOrder {
                guard let message = try messages.table(name, label: "[mavlink.messages.\(name)]") else { continue }
                mapping.messages.append(try parseMessage(name, message))
            }
            try messages.finish()
        }
        try table.finish()
        return mapping
    }

    static func parseMessage(_ name: String, _ table: TOMLTableReader) throws(ConfigurationError) -> MAVLinkMessageMapping {
        var message = MAVLinkMessageMapping(message: name)
        message.sourcePath = table.path
        message.group = try groupName(table)
        message.replace = try table.bool("replace") ?? false
        message.selectBy = try table.string("select_by")
        for channel in try table.tables("channels", label: "a channel of \(name)") {
            message.channels.append(try parseChannel(channel))
        }
        for entry in try table.tables("select", label: "a select entry of \(name)") {
            guard let match = try entry.string("match") else {
                throw entry.error(.missingKey, nil, "a select entry needs 'match' (the \(message.selectBy ?? "select_by") value it takes)")
            }
            var selection = MAVLinkSelection(match: match, group: try groupName(entry), channels: [])
            selection.sourcePath = entry.path
            for channel in try entry.tables("channels", label: "a channel of \(name) select '\(match)'") {
                selection.channels.append(try parseChannel(channel))
            }
            try entry.finish()
            message.selections.append(selection)
        }
        if message.selectBy == nil && !message.selections.isEmpty {
            throw table.error(.missingKey, "select", "[[...select]] entries need 'select_by' (the text field to match) in \(name)")
        }
        try table.finish()
        return message
    }

    static func groupName(_ table: TOMLTableReader) throws(ConfigurationError) -> String? {
        guard let group = try table.string("group") else { return nil }
        guard !group.isEmpty else { throw table.error(.invalidValue, "group", "'group' must not be empty") }
        return group
    }

    static func parseChannel(_ table: TOMLTableReader) throws(ConfigurationError) -> MAVLinkChannelMapping {
        let fieldText = try table.string("field")
        let nameText = try table.string("name")
        guard let expression = fieldText ?? nameText else {
            throw table.error(.missingKey, nil, "a channel needs 'field' (the message field) and/or 'name' (the channel)")
        }
        guard let (field, element) = parseFieldExpression(expression) else {
            throw table.error(
                .invalidValue, fieldText == nil ? "name" : "field",
                "'\(expression)' is not a field name or an element like 'voltages[0]'")
        }
        let name = nameText ?? (element.map { "\(field)_\($0)" } ?? field)
        guard !name.isEmpty else { throw table.error(.invalidValue, "name", "a channel name must not be empty") }
        var channel = MAVLinkChannelMapping(name: name, field: field, element: element)
        channel.sourcePath = table.path
        channel.unit = try table.string("unit")
        if let type = try table.string("type") {
            guard let valueType = StoreValueTypeName(rawValue: type) else {
                throw table.error(
                    .invalidValueType, "type",
                    "unknown type '\(type)' (one of: \(StoreValueTypeName.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            channel.valueType = valueType
        }
        channel.scale = try finite(table, "scale")
        channel.offset = try finite(table, "offset")
        if let resolution = try finite(table, "resolution") {
            guard let decimals = decimals(ofResolution: resolution) else {
                throw table.error(
                    .invalidValue, "resolution",
                    "resolution \(resolution) is not a power of ten at or below 1 (like 1, 0.01, 1e-7)")
            }
            channel.decimals = decimals
        }
        let polynomial = try table.doubles("polynomial")
        let twoPoint = try table.array("two_point")
        if polynomial != nil && twoPoint != nil {
            throw table.error(.invalidValue, "two_point", "give either 'polynomial' or 'two_point', not both")
        }
        if let polynomial {
            guard !polynomial.isEmpty, polynomial.allSatisfy(\.isFinite) else {
                throw table.error(.invalidValue, "polynomial", "'polynomial' needs finite coefficients, c0 first: [c0, c1, c2]")
            }
            channel.calibration = .polynomial(polynomial)
        }
        if let twoPoint {
            guard let points = twoPointValues(twoPoint) else {
                throw table.error(
                    .invalidValue, "two_point",
                    "'two_point' is two [measured, true] pairs with different measured values: [[4.0, 0.0], [20.0, 100.0]]")
            }
            channel.calibration = .twoPoint(x1: points[0], y1: points[1], x2: points[2], y2: points[3])
        }
        if let mask = try table.integer("mask") {
            guard mask > 0 else { throw table.error(.invalidValue, "mask", "'mask' must be a positive integer (like 128 or 0x00FF0000)") }
            channel.mask = UInt64(mask)
        }
        try table.finish()
        return channel
    }

    static func finite(_ table: TOMLTableReader, _ key: String) throws(ConfigurationError) -> Double? {
        guard let value = try table.double(key) else { return nil }
        guard value.isFinite else { throw table.error(.invalidValue, key, "'\(key)' must be a finite number") }
        return value
    }

    /// `voltages[3]` → ("voltages", 3), `lat` → ("lat", nil); nil when malformed.
    static func parseFieldExpression(_ text: String) -> (String, Int?)? {
        guard let open = text.firstIndex(of: "[") else {
            return text.isEmpty || !text.allSatisfy(TOMLKeyLocator.isBareKeyCharacter) ? nil : (text, nil)
        }
        let name = String(text[..<open])
        guard !name.isEmpty, name.allSatisfy(TOMLKeyLocator.isBareKeyCharacter), text.hasSuffix("]") else { return nil }
        let digits = text[text.index(after: open)..<text.index(before: text.endIndex)]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let index = Int(digits) else { return nil }
        return (name, index)
    }

    /// `1e-7` → 7, `0.01` → 2, `1` → 0; nil for anything that is not 10^-k with 0 ≤ k ≤ 22.
    static func decimals(ofResolution resolution: Double) -> Int? {
        guard resolution > 0, resolution <= 1 else { return nil }
        let k = Int((-resolution.log10Value).rounded())
        guard (0...22).contains(k) else { return nil }
        let exact = 1 / DecimalPowers.double[k]
        return abs(resolution - exact) <= exact * 1e-9 ? k : nil
    }

    static func twoPointValues(_ nodes: [TOMLNode]) -> [Double]? {
        guard nodes.count == 2 else { return nil }
        var out: [Double] = []
        for node in nodes {
            guard case .array(let pair) = node, pair.count == 2 else { return nil }
            for value in pair {
                switch value {
                case .float(let x) where x.isFinite: out.append(x)
                case .integer(let x): out.append(Double(x))
                default: return nil
                }
            }
        }
        return out[0] != out[2] ? out : nil
    }
}

extension Double {
    var log10Value: Double { Foundation.log10(self) }
}

/// The text of a configuration file, or a `ConfigurationError` naming it.
func readConfigurationFile(_ path: String) throws(ConfigurationError) -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        let exists = FileManager.default.fileExists(atPath: path)
        throw ConfigurationError(
            code: .unreadable, file: path, reason: exists ? "cannot read the file (permissions?)" : "no such file")
    }
    return String(decoding: data, as: UTF8.self)
}
