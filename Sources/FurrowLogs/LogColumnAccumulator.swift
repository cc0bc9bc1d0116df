/// Collects the rows of one series into typed columns, then hands them over as a ``LogBatch``.
///
/// The field plan is worked out once; each row is one pass over it with unaligned loads.
struct LogColumnAccumulator {
    enum Slot {
        case signed(type: LogFieldType, offset: Int, index: Int)
        case unsigned(offset: Int, index: Int)
        case float32(offset: Int, index: Int)
        case float16(offset: Int, index: Int)
        case float64(offset: Int, index: Int)
        case text(offset: Int, count: Int, index: Int)
    }

    let seriesKey: String
    let name: String
    let instance: String?
    /// Scalar columns in order: (name, type, unit, divisor).
    let columns: [(name: String, type: LogFieldType, unit: String?, divisor: Double?)]
    let slots: [Slot]
    /// Smallest body that holds every field.
    let minimumBodySize: Int
    var timestamps: [Int64] = []
    /// Rows as they came, `minimumBodySize` bytes each: appending a row is one copy; the columns are made
    /// in one strided pass per field when the batch is taken.
    var rows: [UInt8] = []
    let columnCounts: (signed: Int, unsigned: Int, floats: Int, doubles: Int, texts: Int)

    /// Flattens `fields` (arrays to one column per element) into a plan.
    init(seriesKey: String, name: String, instance: String?, fields: [LogField]) {
        self.seriesKey = seriesKey
        self.name = name
        self.instance = instance
        var columns: [(String, LogFieldType, String?, Double?)] = []
        var slots: [Slot] = []
        var counts = (s: 0, u: 0, f: 0, d: 0, t: 0)
        var minimum = 0
        for field in fields {
            minimum = Swift.max(minimum, field.offset + field.size)
            if field.shape == .text {
                columns.append((field.name, field.type, field.unit, field.divisor))
                slots.append(.text(offset: field.offset, count: field.count, index: counts.t))
                counts.t += 1
                continue
            }
            let elements = field.shape == .array ? field.count : 1
            for e in 0..<elements {
                let offset = field.offset + e * field.type.size
                columns.append((field.shape == .array ? "\(field.name)[\(e)]" : field.name, field.type, field.unit, field.divisor))
                switch field.type {
                case .uint64:
                    slots.append(.unsigned(offset: offset, index: counts.u))
                    counts.u += 1
                case .float32:
                    slots.append(.float32(offset: offset, index: counts.f))
                    counts.f += 1
                case .float16:
                    slots.append(.float16(offset: offset, index: counts.f))
                    counts.f += 1
                case .float64:
                    slots.append(.float64(offset: offset, index: counts.d))
                    counts.d += 1
                default:
                    slots.append(.signed(type: field.type, offset: offset, index: counts.s))
                    counts.s += 1
                }
            }
        }
        self.columns = columns
        self.slots = slots
        self.minimumBodySize = minimum
        columnCounts = (counts.s, counts.u, counts.f, counts.d, counts.t)
    }

    var count: Int { timestamps.count }

    /// Appends one row; `body` must hold at least ``minimumBodySize`` bytes.
    mutating func append(_ body: UnsafeRawPointer, timestamp: Int64) {
        timestamps.append(timestamp)
        rows.append(contentsOf: UnsafeRawBufferPointer(start: body, count: minimumBodySize))
    }

    /// One column from the stored rows.
    private func column<T>(_ n: Int, offset: Int, _ load: (UnsafeRawPointer) -> T) -> [T] {
        let stride = minimumBodySize
        return rows.withUnsafeBytes { raw in
            [T](unsafeUninitializedCapacity: n) { out, initialized in
                // Invariant: `rows` holds n × stride bytes and offset + size ≤ stride (checked in init).
                var p = raw.baseAddress! + offset
                for r in 0..<n {
                    (out.baseAddress! + r).initialize(to: load(p))
                    p += stride
                }
                initialized = n
            }
        }
    }

    /// The rows so far as a batch; the accumulator starts empty again (keeping its capacity).
    mutating func takeBatch() -> LogBatch {
        let n = timestamps.count
        var out: [LogColumn] = []
        out.reserveCapacity(columns.count)
        for (column, slot) in zip(columns, slots) {
            let values: LogColumn.Values
            switch slot {
            case .signed(let type, let offset, _):
                values = .signed(self.column(n, offset: offset) { type.loadInteger($0) })
            case .unsigned(let offset, _):
                values = .unsigned(self.column(n, offset: offset) { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
            case .float32(let offset, _):
                values = .float(self.column(n, offset: offset) { Float(bitPattern: UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) })
            case .float16(let offset, _):
                values = .float(self.column(n, offset: offset) { LogFieldType.halfToFloat(UInt16(littleEndian: $0.loadUnaligned(as: UInt16.self))) })
            case .float64(let offset, _):
                values = .double(self.column(n, offset: offset) { Double(bitPattern: UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) })
            case .text(let offset, let count, _):
                values = .text(self.column(n, offset: offset) { LogValue.text(from: UnsafeRawBufferPointer(start: $0, count: count)) })
            }
            out.append(LogColumn(name: column.name, type: column.type, unit: column.unit, divisor: column.divisor, values: values))
        }
        let batch = LogBatch(seriesKey: seriesKey, name: name, instance: instance, timestamps: timestamps, columns: out)
        timestamps.removeAll(keepingCapacity: true)
        rows.removeAll(keepingCapacity: true)
        return batch
    }
}
