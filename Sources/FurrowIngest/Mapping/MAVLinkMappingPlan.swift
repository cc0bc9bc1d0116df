import FurrowStore
import FurrowWire

/// How one channel's column is made from one gathered field column. Built once per profile; the mapper's
/// loops only read it.
struct MAVLinkColumnConversion: Sendable {
    enum Output: Sendable { case float64, float32, int64, state, bool, string }

    /// Index into the message plan's gathered fields.
    var slot: Int
    /// Element of an array field (0 for a scalar) and the field's elements per row.
    var element: Int
    var count: Int
    /// Bits to keep of an integer field, then shift right by `shift` (mask 0 = keep everything).
    var mask: UInt64
    var shift: Int
    /// Floating-point conversion, nil for a native or integer-only conversion.
    var transform: MAVLinkNumericTransform?
    var output: Output
}

/// `y = poly(x × scale + offset)`, then rounded to a multiple of `10^-decimals`.
struct MAVLinkNumericTransform: Sendable, Hashable {
    var scale: Double
    var offset: Double
    /// Calibration polynomial, lowest order first; empty for none.
    var coefficients: [Double]
    var decimals: Int?
}

/// The row groups one message becomes.
struct MAVLinkRowGroupPlan: Sendable {
    var group: String
    var channels: [StoreChannel]
    var conversions: [MAVLinkColumnConversion]
}

/// Everything the mapper needs for one message index.
struct MAVLinkMessagePlan: Sendable {
    /// Field indices (wire order) to gather from the batch, each once.
    var fields: [Int]
    var groups: [MAVLinkRowGroupPlan]
    /// With a select field: its slot in `fields`, and the value each group matches (same order as `groups`).
    var selectSlot: Int?
    var matches: [String]
}

/// Turns a profile's mapping into per-message plans, checking it against the dialect.
///
/// Every check a profile can fail at load time lives here, so a profile that parsed can always be mapped,
/// and an error points at the key in the file when the profile came from one.
struct MAVLinkPlanBuilder {
    let profile: DeviceProfile
    let dialect: MAVLinkDialect

    func error(_ code: ConfigurationError.Code, at path: TOMLPath?, _ reason: String) -> ConfigurationError {
        let position = path.flatMap { profile.locator?.position(of: $0) }
        return ConfigurationError(
            code: code, file: profile.file, line: position?.line, column: position?.column, reason: reason)
    }

    /// The plans, indexed by message index in `dialect` (nil = not stored).
    func build() throws(ConfigurationError) -> [MAVLinkMessagePlan?] {
        guard let mapping = profile.mavlink else {
            throw error(
                .missingKey, at: nil,
                "profile '\(profile.name)' has no [mavlink] table, so it cannot map MAVLink")
        }
        var plans = [MAVLinkMessagePlan?](repeating: nil, count: dialect.messages.count)
        let mappingPath = TOMLPath.root.appending("mavlink")

        var excluded = Set<String>()
        for (k, name) in mapping.exclude.enumerated() {
            guard dialect.message(named: name) != nil else {
                throw error(
                    .unknownMessage, at: mappingPath.appending("exclude").appending(index: k),
                    "exclude names '\(name)', which the \(dialect.name) dialect does not define")
            }
            excluded.insert(name)
        }
        if mapping.mapAll {
            for (index, message) in dialect.messages.enumerated() where !excluded.contains(message.name) {
                plans[index] = nativePlan(message)
            }
        }

        // Which plan each group name came from, to reject two groups with one name.
        var explicitIndices = Set<Int>()
        for message in mapping.messages {
            let path = message.sourcePath
            guard let index = dialect.messages.firstIndex(where: { $0.name == message.message }) else {
                throw error(
                    .unknownMessage, at: path,
                    "unknown MAVLink message '\(message.message)' (not in the \(dialect.name) dialect)"
                        + Self.suggestion(message.message, among: dialect.messages.map(\.name)))
            }
            guard explicitIndices.insert(index).inserted else {
                throw error(.duplicateName, at: path, "message '\(message.message)' is mapped twice")
            }
            let info = dialect.messages[index]
            if message.selectBy != nil {
                plans[index] = try selectPlan(message, info)
            } else {
                plans[index] = try channelPlan(
                    message, info, native: mapping.mapAll && !message.replace ? plans[index] ?? nativePlan(info) : nil)
            }
        }

        // Group names are unique across the profile: one group, one schema.
        var owners: [String: Int] = [:]
        for index in plans.indices {
            guard let plan = plans[index] else { continue }
            for (g, group) in plan.groups.enumerated() {
                if let other = owners[group.group] {
                    // Point at the explicit mapping that caused the clash.
                    let culprit = explicitIndices.contains(index) ? index : other
                    let message = mapping.messages.first { $0.message == dialect.messages[culprit].name }
                    let path = message.flatMap { m in
                        m.selectBy != nil && g < m.selections.count && culprit == index ? m.selections[g].sourcePath : m.sourcePath
                    }
                    let writers =
                        other == index
                        ? "two select entries of \(dialect.messages[index].name)"
                        : "both \(dialect.messages[other].name) and \(dialect.messages[index].name)"
                    throw error(
                        .duplicateGroup, at: path,
                        "row group '\(group.group)' is written by \(writers); give one of them another 'group'")
                }
                owners[group.group] = index
            }
        }
        return plans
    }

    // MARK: - Native (map_all)

    /// Every field in declaration order, array fields one channel per element (`voltages_0`), native types.
    func nativePlan(_ message: MAVLinkMessageInfo) -> MAVLinkMessagePlan {
        var channels: [StoreChannel] = []
        var conversions: [MAVLinkColumnConversion] = []
        var fields: [Int] = []
        for fieldIndex in message.declarationOrder {
            let field = message.fields[fieldIndex]
            let slot = fields.count
            fields.append(fieldIndex)
            let isText = field.type == .char && field.arrayLength > 0
            let output = Self.nativeOutput(field)
            let unit = field.units
            if isText || field.arrayLength == 0 {
                channels.append(StoreChannel(name: field.name, valueType: Self.storeType(output), unit: unit))
                conversions.append(.init(slot: slot, element: 0, count: field.count, mask: 0, shift: 0, transform: nil, output: output))
            } else {
                for element in 0..<field.arrayLength {
                    channels.append(StoreChannel(name: "\(field.name)_\(element)", valueType: Self.storeType(output), unit: unit))
                    conversions.append(
                        .init(slot: slot, element: element, count: field.count, mask: 0, shift: 0, transform: nil, output: output))
                }
            }
        }
        return MAVLinkMessagePlan(
            fields: fields, groups: [MAVLinkRowGroupPlan(group: message.name, channels: channels, conversions: conversions)],
            selectSlot: nil, matches: [])
    }

    /// The type a field is stored as when nothing converts it.
    static func nativeOutput(_ field: MAVLinkFieldInfo) -> MAVLinkColumnConversion.Output {
        switch field.type {
        case .char where field.arrayLength > 0: return .string
        case .float: return .float32
        case .double: return .float64
        default: return isState(field) ? .state : .int64
        }
    }

    /// Enum-typed integers (`MAV_STATE`, `MAV_MODE_FLAG`) and the autopilot-specific `custom_mode` are states.
    static func isState(_ field: MAVLinkFieldInfo) -> Bool {
        field.enumName != nil || field.name == "custom_mode"
    }

    static func storeType(_ output: MAVLinkColumnConversion.Output) -> StoreValueType {
        switch output {
        case .float64: .float64
        case .float32: .float32
        case .int64: .int64
        case .state: .state
        case .bool: .bool
        case .string: .string
        }
    }

    // MARK: - Explicit channels

    /// An explicit mapping; with `native`, its channels replace the native channels of the same fields.
    func channelPlan(
        _ message: MAVLinkMessageMapping, _ info: MAVLinkMessageInfo, native: MAVLinkMessagePlan?
    ) throws(ConfigurationError) -> MAVLinkMessagePlan {
        if message.channels.isEmpty && native == nil {
            throw error(
                .missingKey, at: message.sourcePath,
                "message \(info.name) maps no channels (add 'channels', or 'select_by' with [[...select]] entries)")
        }
        var fields = native?.fields ?? []
        var entries: [(channel: StoreChannel, conversion: MAVLinkColumnConversion, path: TOMLPath?)] = []
        if let group = native?.groups.first {
            for (channel, conversion) in zip(group.channels, group.conversions) {
                entries.append((channel, conversion, nil))
            }
        }
        var replaced = Set<Int>()  // indices of native entries already overridden
        for channel in message.channels {
            let (store, conversion) = try resolve(channel, in: info, fields: &fields)
            // The native entry of the same field element, if any and not yet replaced.
            if native != nil,
                let k = entries.indices.first(where: { k in
                    entries[k].path == nil && !replaced.contains(k)
                        && fields[entries[k].conversion.slot] == fields[conversion.slot]
                        && entries[k].conversion.element == conversion.element
                })
            {
                entries[k] = (store, conversion, channel.sourcePath)
                replaced.insert(k)
            } else {
                entries.append((store, conversion, channel.sourcePath))
            }
        }
        try checkUnique(entries.map { ($0.channel.name, $0.path) }, group: message.group ?? info.name, message: message)
        let group = MAVLinkRowGroupPlan(
            group: message.group ?? info.name, channels: entries.map(\.channel), conversions: entries.map(\.conversion))
        return MAVLinkMessagePlan(fields: fields, groups: [group], selectSlot: nil, matches: [])
    }

    func selectPlan(_ message: MAVLinkMessageMapping, _ info: MAVLinkMessageInfo) throws(ConfigurationError) -> MAVLinkMessagePlan {
        let selectBy = message.selectBy ?? ""
        let selectPath = message.sourcePath?.appending("select_by")
        guard let selectField = info.fieldIndex(named: selectBy) else {
            throw error(
                .unknownField, at: selectPath,
                "\(info.name) has no field '\(selectBy)'" + Self.suggestion(selectBy, among: info.fields.map(\.name)))
        }
        guard info.fields[selectField].type == .char, info.fields[selectField].arrayLength > 0 else {
            throw error(
                .invalidValue, at: selectPath,
                "select_by needs a text (char[N]) field; \(info.name).\(selectBy) is \(Self.typeName(info.fields[selectField]))")
        }
        guard message.channels.isEmpty else {
            throw error(
                .invalidValue, at: message.sourcePath?.appending("channels"),
                "\(info.name) is split by select_by, so its channels belong in its [[...select]] entries")
        }
        guard !message.selections.isEmpty else {
            throw error(
                .missingKey, at: message.sourcePath,
                "\(info.name) has select_by but no [[...select]] entries (each names a 'match' and its 'channels')")
        }
        var fields = [selectField]
        var groups: [MAVLinkRowGroupPlan] = []
        var matches: [String] = []
        for selection in message.selections {
            if matches.contains(selection.match) {
                throw error(
                    .duplicateName, at: selection.sourcePath?.appending("match"),
                    "\(info.name): match '\(selection.match)' appears twice")
            }
            guard !selection.channels.isEmpty else {
                throw error(.missingKey, at: selection.sourcePath, "select entry '\(selection.match)' maps no channels")
            }
            var entries: [(StoreChannel, MAVLinkColumnConversion, TOMLPath?)] = []
            for channel in selection.channels {
                let (store, conversion) = try resolve(channel, in: info, fields: &fields)
                entries.append((store, conversion, channel.sourcePath))
            }
            let name = selection.group ?? selection.match
            try checkUnique(entries.map { ($0.0.name, $0.2) }, group: name, message: message)
            groups.append(MAVLinkRowGroupPlan(group: name, channels: entries.map(\.0), conversions: entries.map(\.1)))
            matches.append(selection.match)
        }
        return MAVLinkMessagePlan(fields: fields, groups: groups, selectSlot: 0, matches: matches)
    }

    func checkUnique(_ names: [(String, TOMLPath?)], group: String, message: MAVLinkMessageMapping) throws(ConfigurationError) {
        var seen = Set<String>()
        for (name, path) in names where !seen.insert(name).inserted {
            throw error(
                .duplicateChannel, at: path.map { $0.appending("name") } ?? message.sourcePath,
                "channel '\(name)' appears twice in row group '\(group)'")
        }
    }

    /// Checks one channel against its field and makes its conversion; adds the field to `fields` if new.
    func resolve(
        _ channel: MAVLinkChannelMapping, in info: MAVLinkMessageInfo, fields: inout [Int]
    ) throws(ConfigurationError) -> (StoreChannel, MAVLinkColumnConversion) {
        let path = channel.sourcePath
        func at(_ key: String) -> TOMLPath? { path?.appending(key) }
        guard let fieldIndex = info.fieldIndex(named: channel.field) else {
            throw error(
                .unknownField, at: at("field"),
                "\(info.name) has no field '\(channel.field)'" + Self.suggestion(channel.field, among: info.fields.map(\.name)))
        }
        let field = info.fields[fieldIndex]
        let isText = field.type == .char && field.arrayLength > 0
        let fieldName = "\(info.name).\(field.name)"
        var element = 0
        if let index = channel.element {
            if field.arrayLength == 0 {
                throw error(.invalidArrayIndex, at: at("field"), "\(fieldName) is not an array; remove '[\(index)]'")
            }
            if isText {
                throw error(
                    .invalidArrayIndex, at: at("field"), "\(fieldName) is text (char[\(field.arrayLength)]); it cannot be indexed")
            }
            guard index >= 0, index < field.arrayLength else {
                throw error(
                    .invalidArrayIndex, at: at("field"),
                    "\(fieldName) has \(field.arrayLength) elements; index \(index) is outside 0...\(field.arrayLength - 1)")
            }
            element = index
        } else if field.arrayLength > 0 && !isText {
            throw error(
                .invalidArrayIndex, at: at("field"),
                "\(fieldName) is an array (\(Self.typeName(field))); select one element, e.g. '\(field.name)[0]'")
        }

        let output: MAVLinkColumnConversion.Output
        var transform: MAVLinkNumericTransform? = nil
        var mask: UInt64 = 0
        var shift = 0
        let requested = channel.valueType
        if isText {
            let calibrationKey: String
            if case .twoPoint = channel.calibration { calibrationKey = "two_point" } else { calibrationKey = "polynomial" }
            for (key, present) in [
                ("scale", channel.scale != nil), ("offset", channel.offset != nil), ("resolution", channel.decimals != nil),
                ("mask", channel.mask != nil), (calibrationKey, channel.calibration != nil),
            ] where present {
                throw error(
                    .scaleOnString, at: at(key),
                    "'\(key)' cannot apply to \(fieldName), a text field (char[\(field.arrayLength)]) stored as a string")
            }
            if let requested, requested != .string {
                throw error(
                    .invalidValueType, at: at("type"), "\(fieldName) is text (char[\(field.arrayLength)]); it can only be a string")
            }
            output = .string
        } else {
            if requested == .string {
                throw error(
                    .invalidValueType, at: at("type"),
                    "\(fieldName) is \(Self.typeName(field)); only text (char[N]) fields can be strings")
            }
            let isFloat = field.type == .float || field.type == .double
            if let m = channel.mask {
                guard !isFloat else {
                    throw error(.invalidValue, at: at("mask"), "'mask' needs an integer field; \(fieldName) is \(Self.typeName(field))")
                }
                guard m != 0 else { throw error(.invalidValue, at: at("mask"), "'mask' must not be 0") }
                mask = m
                shift = m.trailingZeroBitCount
            }
            if channel.converts {
                output = Self.output(requested ?? .float64)
                if let decimals = channel.decimals {
                    let limit: Int
                    switch output {
                    case .float64: limit = 22
                    case .float32: limit = 10
                    default:
                        throw error(
                            .invalidValueType, at: at("resolution"),
                            "'resolution' declares decimals of a float column; type '\(requested?.rawValue ?? "")' has none")
                    }
                    guard (0...limit).contains(decimals) else {
                        throw error(
                            .invalidValue, at: at("resolution"),
                            "resolution 1e-\(decimals) is finer than a \(output == .float32 ? "float32" : "float64") keeps exactly (at most 1e-\(limit))")
                    }
                }
                transform = MAVLinkNumericTransform(
                    scale: channel.scale ?? 1, offset: channel.offset ?? 0,
                    coefficients: channel.calibration?.coefficients ?? [], decimals: channel.decimals)
            } else if let requested {
                if isFloat && (requested == .int64 || requested == .state) {
                    throw error(
                        .invalidValueType, at: at("type"),
                        "\(fieldName) is \(Self.typeName(field)); storing it as \(requested.rawValue) would drop its fraction (give a 'scale', or use float32/float64)")
                }
                output = Self.output(requested)
            } else if mask != 0 {
                output = Self.isState(field) ? .state : .int64
            } else {
                output = Self.nativeOutput(field)
            }
        }
        let unit = channel.unit ?? (channel.converts || mask != 0 ? nil : field.units)
        let store = StoreChannel(
            name: channel.name, valueType: Self.storeType(output), unit: unit,
            decimalExponent: transform?.decimals)
        let slot: Int
        if let existing = fields.firstIndex(of: fieldIndex) {
            slot = existing
        } else {
            slot = fields.count
            fields.append(fieldIndex)
        }
        return (
            store,
            MAVLinkColumnConversion(
                slot: slot, element: element, count: field.count, mask: mask, shift: shift, transform: transform,
                output: output)
        )
    }

    static func output(_ name: StoreValueTypeName) -> MAVLinkColumnConversion.Output {
        switch name {
        case .float64: .float64
        case .float32: .float32
        case .int64: .int64
        case .state: .state
        case .bool: .bool
        case .string: .string
        }
    }

    static func typeName(_ field: MAVLinkFieldInfo) -> String {
        let base = field.type == .char ? "char" : field.type.cName.replacingSuffix("_t")
        return field.arrayLength > 0 ? "\(base)[\(field.arrayLength)]" : base
    }

    /// ` (did you mean 'X'?)` when a candidate is close.
    static func suggestion(_ name: String, among candidates: [String]) -> String {
        TOMLTableReader.nearest(name, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }
}

extension String {
    func replacingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
