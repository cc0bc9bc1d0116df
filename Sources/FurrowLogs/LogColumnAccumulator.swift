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
    var signed: [[Int64]]
    var unsigned: [[UInt64]]
    var floats: [[Float]]
    var doubles: [[Double]]
    var texts: [[String]]

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
        signed = Array(repeating: [], count: counts.s)
        unsigned = Array(repeating: [], count: counts.u)
        floats = Array(repeating: [], count: counts.f)
        doubles = Array(repeating: [], count: counts.d)
        texts = Array(repeating: [], count: counts.t)
    }

    var count: Int { timestamps.count }

    /// Appends one row; `body` must hold at least ``minimumBodySize`` bytes.
    mutating func append(_ body: UnsafeRawPointer, timestamp: Int64) {
        timestamps.append(timestamp)
        for slot in slots {
            switch slot {
            case .signed(let type, let offset, let index):
                signed[index].append(type.loadInteger(body + offset))
            case .unsigned(let offset, let index):
                unsigned[index].append(UInt64(littleEndian: (body + offset).loadUnaligned(as: UInt64.self)))
            case .float32(let offset, let index):
                floats[index].append(Float(bitPattern: UInt32(littleEndian: (body + offset).loadUnaligned(as: UInt32.self))))
            case .float16(let offset, let index):
                floats[index].append(LogFieldType.halfToFloat(UInt16(littleEndian: (body + offset).loadUnaligned(as: UInt16.self))))
            case .float64(let offset, let index):
                doubles[index].append(Double(bitPattern: UInt64(littleEndian: (body + offset).loadUnaligned(as: UInt64.self))))
            case .text(let offset, let count, let index):
                texts[index].append(LogValue.text(from: UnsafeRawBufferPointer(start: body + offset, count: count)))
            }
        }
    }

    /// The rows so far as a batch; the accumulator starts empty again (keeping its capacity).
    mutating func takeBatch() -> LogBatch {
        var out: [LogColumn] = []
        out.reserveCapacity(columns.count)
        for (column, slot) in zip(columns, slots) {
            let values: LogColumn.Values
            switch slot {
            case .signed(_, _, let index): values = .signed(signed[index])
            case .unsigned(_, let index): values = .unsigned(unsigned[index])
            case .float32(_, let index), .float16(_, let index): values = .float(floats[index])
            case .float64(_, let index): values = .double(doubles[index])
            case .text(_, _, let index): values = .text(texts[index])
            }
            out.append(LogColumn(name: column.name, type: column.type, unit: column.unit, divisor: column.divisor, values: values))
        }
        let batch = LogBatch(seriesKey: seriesKey, name: name, instance: instance, timestamps: timestamps, columns: out)
        let reserve = timestamps.count
        timestamps = []
        timestamps.reserveCapacity(reserve)
        for i in signed.indices { signed[i] = []; signed[i].reserveCapacity(reserve) }
        for i in unsigned.indices { unsigned[i] = []; unsigned[i].reserveCapacity(reserve) }
        for i in floats.indices { floats[i] = []; floats[i].reserveCapacity(reserve) }
        for i in doubles.indices { doubles[i] = []; doubles[i].reserveCapacity(reserve) }
        for i in texts.indices { texts[i] = []; texts[i].reserveCapacity(reserve) }
        return batch
    }
}
