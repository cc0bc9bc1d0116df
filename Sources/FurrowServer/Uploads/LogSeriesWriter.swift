import FurrowLogs
import FurrowStore

/// Turns flight-log batches into store appends: one row group per log series (DataFlash type and instance,
/// ULog topic and multi_id), one channel per field, times moved from the log's clock to UTC.
///
/// Scaled DataFlash fields (`c C e E L`) are stored as their shown values with the decimal exponent of the
/// divisor, so the store keeps them as exact scaled integers. uint64 fields are stored as int64 bit patterns.
struct LogSeriesWriter {
    /// Self-description and parameters: kept by the summary (parameters) or meaningless as series.
    static let skippedDataFlashTypes: Set<String> = ["FMT", "FMTU", "UNIT", "MULT", "PARM", "FILE"]

    let project: String
    let source: String
    /// UTC µs = log µs + this.
    let offset: Int64
    private(set) var rows = 0
    private(set) var values = 0
    /// Rows whose timestamp did not advance past the previous row's in their series, moved 1 µs after it (the
    /// store keeps one row per timestamp, so they would otherwise be lost), and the series they were in.
    private(set) var nudgedRows = 0
    private(set) var nudgedSeries: Set<String> = []
    private(set) var groupNames: Set<String> = []
    private var clocks: [String: SeriesClock] = [:]

    /// A series' timestamps made unique without reordering: a row that repeats the previous time (ULog topics
    /// whose `timestamp` stays 0, bursts logged within one µs) goes 1 µs after the previous row; a real step
    /// back in time (a clock reset) is kept as it is.
    struct SeriesClock {
        var lastOriginal = Int64.min
        var lastAssigned = Int64.min
        var nudged = 0

        mutating func assign(_ t: Int64) -> Int64 {
            defer { lastOriginal = t }
            if t >= lastOriginal && t <= lastAssigned && lastAssigned < .max {
                nudged += 1
                lastAssigned += 1
            } else {
                lastAssigned = t
            }
            return lastAssigned
        }
    }
    private var channelCache: [String: [StoreChannel]] = [:]

    init(project: String, source: String, offset: Int64) {
        self.project = project
        self.source = source
        self.offset = offset
    }

    /// The append for `batch`, or nil for a series that is not stored.
    mutating func append(for batch: LogBatch) -> StoreAppend? {
        guard batch.count > 0, !Self.skippedDataFlashTypes.contains(batch.name) else { return nil }
        let channels: [StoreChannel]
        if let cached = channelCache[batch.seriesKey], cached.count == batch.columns.count {
            channels = cached
        } else {
            channels = batch.columns.map(Self.channel)
            channelCache[batch.seriesKey] = channels
        }
        var timestamps = batch.timestamps
        var clock = clocks[batch.seriesKey] ?? SeriesClock()
        let before = clock.nudged
        for i in timestamps.indices { timestamps[i] = clock.assign(timestamps[i] &+ offset) }
        if clock.nudged > before {
            nudgedRows += clock.nudged - before
            nudgedSeries.insert(batch.seriesKey)
        }
        clocks[batch.seriesKey] = clock
        rows += batch.count
        values += batch.count * batch.columns.count
        groupNames.insert(batch.seriesKey)
        return StoreAppend(
            group: StoreGroupKey(project: project, source: source, name: batch.seriesKey), channels: channels,
            timestamps: timestamps, columns: batch.columns.map(Self.column))
    }

    /// Makes a mapped MAVLink row group's times unique like `append(for:)` and counts it (the .tlog path).
    mutating func adopt(_ append: StoreAppend) -> StoreAppend {
        let key = append.group.description
        var clock = clocks[key] ?? SeriesClock()
        let before = clock.nudged
        let timestamps = append.timestamps.map { clock.assign($0) }
        if clock.nudged > before {
            nudgedRows += clock.nudged - before
            nudgedSeries.insert(key)
        }
        clocks[key] = clock
        rows += timestamps.count
        values += timestamps.count * append.columns.count
        groupNames.insert(key)
        return StoreAppend(group: append.group, channels: append.channels, timestamps: timestamps, columns: append.columns)
    }

    static func channel(_ column: LogColumn) -> StoreChannel {
        switch column.values {
        case .signed, .unsigned:
            if let exponent = decimalExponent(column.divisor) {
                return StoreChannel(name: column.name, valueType: .float64, unit: column.unit, decimalExponent: exponent)
            }
            if column.divisor != nil { return StoreChannel(name: column.name, valueType: .float64, unit: column.unit) }
            return StoreChannel(name: column.name, valueType: .int64, unit: column.unit)
        case .float: return StoreChannel(name: column.name, valueType: .float32, unit: column.unit)
        case .double: return StoreChannel(name: column.name, valueType: .float64, unit: column.unit)
        case .text: return StoreChannel(name: column.name, valueType: .string, unit: column.unit)
        }
    }

    static func column(_ column: LogColumn) -> StoreColumn {
        switch column.values {
        case .signed(let v):
            if let divisor = column.divisor { return .float64(v.map { Double($0) / divisor }) }
            return .int64(v)
        case .unsigned(let v):
            if let divisor = column.divisor { return .float64(v.map { Double($0) / divisor }) }
            return .int64(v.map { Int64(bitPattern: $0) })
        case .float(let v): return .float32(v)
        case .double(let v): return .float64(v)
        case .text(let v): return .string(v)
        }
    }

    /// 2 for a divisor of 100: the decimals a scaled field has (nil when the divisor is not a power of ten).
    static func decimalExponent(_ divisor: Double?) -> Int? {
        guard let divisor, divisor >= 1 else { return nil }
        var power = 1.0
        for exponent in 0...15 {
            if power == divisor { return exponent }
            power *= 10
        }
        return nil
    }
}
