/// Feeds InfluxDB line protocol into the store: one row group per (measurement, tags), one channel per field.
///
/// Lines are grouped and appended in batches. A line that does not parse, or whose fields differ from the
/// earlier lines of its series, is refused with its line number and the import goes on; nothing already
/// appended is touched.
public struct LineProtocolImporter {
    /// Unit of the timestamps in the input.
    public enum Precision: String, Sendable, CaseIterable {
        case ns, us, ms, s

        /// The timestamp in µs, or nil if it does not fit.
        func micros(_ t: Int64) -> Int64? {
            switch self {
            case .ns: t >= 0 ? t / 1000 : -((-(t + 1)) / 1000) - 1  // floor, so order is kept
            case .us: t
            case .ms: t.multipliedReportingOverflow(by: 1000).overflow ? nil : t * 1000
            case .s: t.multipliedReportingOverflow(by: 1_000_000).overflow ? nil : t * 1_000_000
            }
        }
    }

    /// What an import did.
    public struct Report: Sendable {
        public var lines = 0
        public var points = 0
        public var values = 0
        public var refused = 0
        /// The first refusals, with line numbers.
        public var problems: [String] = []
    }

    struct Pending {
        var channels: [StoreChannel]
        var timestamps: [Int64] = []
        var values: [[LineProtocolValue]]
    }

    let store: TimeSeriesStore
    let project: String
    /// The tag whose value names the source (a drone, a sensor node); the other tags stay tags.
    let sourceTag: String
    let defaultSource: String
    let precision: Precision
    let batchRows: Int
    var pending: [StoreGroupKey: Pending] = [:]
    var schemas: [StoreGroupKey: [StoreChannel]] = [:]
    var pendingRows = 0
    public private(set) var report = Report()

    public init(
        store: TimeSeriesStore, project: String, sourceTag: String = "source", defaultSource: String = "import",
        precision: Precision = .ns, batchRows: Int = 8192
    ) {
        self.store = store
        self.project = project
        self.sourceTag = sourceTag
        self.defaultSource = defaultSource
        self.precision = precision
        self.batchRows = batchRows
    }

    /// Parses and queues one line (`number` is 1-based, for messages; `now` in µs for lines without a
    /// timestamp); appends when enough rows are queued.
    public mutating func add(line: some StringProtocol, number: Int, now: Int64) async throws {
        report.lines += 1
        let point: LineProtocolPoint
        do {
            guard let parsed = try LineProtocol.parse(line) else { return }
            point = parsed
        } catch {
            refuse(number, "\(error)")
            return
        }
        // A line without a timestamp gets the import time, as InfluxDB does.
        guard let micros = point.timestamp.map({ precision.micros($0) }) ?? now, micros != .min else {
            refuse(number, "timestamp \(point.timestamp ?? 0) does not fit in microseconds")
            return
        }
        let source = point.tags.first { $0.key == sourceTag }?.value ?? defaultSource
        var tags: [String: String] = [:]
        for tag in point.tags where tag.key != sourceTag { tags[tag.key] = tag.value }
        let key = StoreGroupKey(project: project, source: source, name: point.measurement, tags: tags)
        let fields = point.fields.sorted { $0.key < $1.key }
        var channels: [StoreChannel] = []
        for field in fields {
            let type: StoreValueType
            switch field.value {
            case .float: type = .float64
            case .integer: type = .int64
            case .unsigned(let u):
                guard u <= UInt64(Int64.max) else {
                    refuse(number, "field \(field.key): \(u)u does not fit in a signed 64-bit integer")
                    return
                }
                type = .int64
            case .string: type = .string
            case .boolean: type = .bool
            }
            channels.append(StoreChannel(name: field.key, valueType: type))
        }
        if Set(channels.map(\.name)).count != channels.count {
            refuse(number, "a field name repeats")
            return
        }
        if let schema = schemas[key], schema != channels {
            refuse(
                number,
                "fields \(channels.map { "\($0.name):\($0.valueType)" }) differ from the earlier lines of \(key) "
                    + "(\(schema.map { "\($0.name):\($0.valueType)" }))")
            return
        }
        schemas[key] = channels
        // Appended in place through the dictionary's modify accessor: copying the entry out and back would
        // copy its growing columns on every line (the import went quadratic in the batch size).
        if pending[key] == nil {
            pending[key] = Pending(channels: channels, values: Array(repeating: [], count: channels.count))
        }
        pending[key]!.timestamps.append(micros)
        for (i, field) in fields.enumerated() { pending[key]!.values[i].append(field.value) }
        pendingRows += 1
        report.points += 1
        report.values += fields.count
        if pendingRows >= batchRows { try await commit() }
    }

    /// Appends everything queued to the store (the store flushes on its own schedule).
    public mutating func commit() async throws {
        for (key, entry) in pending {
            let columns = entry.channels.enumerated().map { i, channel in Self.column(entry.values[i], channel.valueType) }
            do {
                try await store.append(key, channels: entry.channels, timestamps: entry.timestamps, columns: columns)
            } catch let error as StoreError {
                report.refused += entry.timestamps.count
                report.points -= entry.timestamps.count
                report.values -= entry.timestamps.count * entry.channels.count
                if report.problems.count < 100 { report.problems.append("\(entry.timestamps.count) points of \(key): \(error)") }
            }
        }
        pending.removeAll(keepingCapacity: true)
        pendingRows = 0
    }

    mutating func refuse(_ line: Int, _ message: String) {
        report.refused += 1
        if report.problems.count < 100 { report.problems.append("line \(line): \(message)") }
    }

    static func column(_ values: [LineProtocolValue], _ type: StoreValueType) -> StoreColumn {
        switch type {
        case .float64: .float64(values.map { if case .float(let v) = $0 { v } else { .nan } })
        case .int64: .int64(values.map {
            switch $0 {
            case .integer(let v): v
            case .unsigned(let v): Int64(v)
            default: 0
            }
        })
        case .bool: .bool(values.map { if case .boolean(let v) = $0 { v } else { false } })
        default: .string(values.map { if case .string(let v) = $0 { v } else { "" } })
        }
    }
}
