/// A row group's identity: channels written together (the fields of one MAVLink message from one sender,
/// one sensor reading) share one time column, so the key names the group and every channel hangs off it.
public struct StoreGroupKey: Sendable, Hashable, CustomStringConvertible {
    /// The pilot project (tenant) that owns the data; nothing crosses projects.
    public let project: String
    /// Where the values come from: a drone (`mav:1/1`), a sensor node, an uploaded flight.
    public let source: String
    /// What the group is: a MAVLink message name, a sensor reading kind.
    public let name: String
    /// Extra labels (field, device, flight), part of the identity.
    public let tags: [String: String]

    public init(project: String, source: String, name: String, tags: [String: String] = [:]) {
        self.project = project
        self.source = source
        self.name = name
        self.tags = tags
    }

    /// Tags in one canonical spelling (sorted `k=v` pairs joined by `,`; `\`, `,` and `=` escaped), as stored.
    public var canonicalTags: String {
        func escape(_ s: String) -> String {
            var out = ""
            for c in s {
                if c == "\\" || c == "," || c == "=" { out.append("\\") }
                out.append(c)
            }
            return out
        }
        return tags.sorted { $0.key < $1.key }.map { escape($0.key) + "=" + escape($0.value) }.joined(separator: ",")
    }

    public var description: String {
        "\(project)/\(source)/\(name)" + (tags.isEmpty ? "" : "{\(canonicalTags)}")
    }
}

/// One channel of a row group: its name, value type, unit and (if the device declares one) its resolution.
public struct StoreChannel: Sendable, Hashable {
    public let name: String
    public let valueType: StoreValueType
    public let unit: String?
    /// Values are multiples of 10^-decimalExponent (0.01 V → 2): stored as exact scaled integers.
    public let decimalExponent: Int?

    public init(name: String, valueType: StoreValueType, unit: String? = nil, decimalExponent: Int? = nil) {
        self.name = name
        self.valueType = valueType
        self.unit = unit
        self.decimalExponent = decimalExponent
    }
}

/// A series: one channel of one row group.
public struct StoreSeriesKey: Sendable, Hashable, CustomStringConvertible {
    public let group: StoreGroupKey
    public let channel: String

    public init(group: StoreGroupKey, channel: String) {
        self.group = group
        self.channel = channel
    }

    public var description: String { "\(group).\(channel)" }
}

/// Why a store operation failed; every case names what it was about.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// A write's channels differ from the channels the group was created with.
    case schemaMismatch(group: String, stored: [String], written: [String])
    /// A column's type differs from its channel's declared type.
    case typeMismatch(group: String, channel: String, declared: StoreValueType, written: StoreValueType)
    /// Columns of one write have different lengths.
    case rowCountMismatch(group: String, timestamps: Int, column: String, values: Int)
    /// A timestamp is outside the range the store accepts (Int64.min is reserved).
    case invalidTimestamp(group: String, value: Int64)
    /// No such series or group.
    case unknownSeries(String)
    /// A stored chunk failed its checksum or did not decode; it is skipped, never returned as data.
    case corruptChunk(series: String, start: Int64, end: Int64, reason: String)

    public var description: String {
        switch self {
        case .schemaMismatch(let group, let stored, let written):
            "\(group): written channels \(written) differ from the stored channels \(stored)"
        case .typeMismatch(let group, let channel, let declared, let written):
            "\(group).\(channel): declared \(declared), written \(written)"
        case .rowCountMismatch(let group, let timestamps, let column, let values):
            "\(group): \(timestamps) timestamps but \(values) values in \(column)"
        case .invalidTimestamp(let group, let value):
            "\(group): timestamp \(value) is not accepted"
        case .unknownSeries(let name):
            "no series \(name)"
        case .corruptChunk(let series, let start, let end, let reason):
            "\(series): chunk \(start)...\(end) is corrupt and was skipped (\(reason))"
        }
    }
}

/// Rows for one row group, as `TimeSeriesStore.append(contentsOf:)` takes them.
public struct StoreAppend: Sendable {
    public let group: StoreGroupKey
    public let channels: [StoreChannel]
    public let timestamps: [Int64]
    public let columns: [StoreColumn]

    public init(group: StoreGroupKey, channels: [StoreChannel], timestamps: [Int64], columns: [StoreColumn]) {
        self.group = group
        self.channels = channels
        self.timestamps = timestamps
        self.columns = columns
    }
}
