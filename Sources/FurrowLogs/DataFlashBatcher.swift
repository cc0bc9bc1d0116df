/// Turns DataFlash messages into columnar ``LogBatch``es, one series per type and instance.
///
/// Messages without `TimeUS` (FMT, UNIT, …) take the last `TimeUS` seen. A batch is handed over when a
/// series reaches `rowsPerBatch` rows, and at ``flush(_:)``. A type redefined with another layout starts
/// a new series layout (the rows so far are handed over first).
public struct DataFlashBatcher: Sendable {
    struct Key: Hashable {
        let type: UInt8
        let instance: Int64
    }

    /// Rows per batch.
    public let rowsPerBatch: Int
    /// Slot + 1 per type byte for types without an instance field (0: none yet).
    var slotByType = [Int32](repeating: 0, count: 256)
    /// Slot per type and instance value for types with one.
    var slotByInstance: [Key: Int] = [:]
    var slots: [LogColumnAccumulator] = []
    /// Name and format characters each slot was built for.
    var layouts: [(name: String, format: String)] = []
    var lastTime: Int64 = 0

    public init(rowsPerBatch: Int = 4096) {
        self.rowsPerBatch = Swift.max(1, rowsPerBatch)
    }

    /// Adds one message; `onBatch` receives full batches.
    public mutating func append(_ message: DataFlashMessage, _ onBatch: (LogBatch) throws -> Void) rethrows {
        let format = message.format
        let body = message.body.baseAddress!
        if let t = message.timeMicros { lastTime = Int64(bitPattern: t) }
        var slot: Int
        var key: Key?
        if let index = format.instanceFieldIndex {
            let field = format.fields[index]
            let instance =
                field.shape == .text
                ? Int64(bitPattern: Self.textKey(body + field.offset, count: field.count))
                : field.type.loadInteger(body + field.offset)
            key = Key(type: format.type, instance: instance)
            slot = slotByInstance[key!] ?? -1
        } else {
            slot = Int(slotByType[Int(format.type)]) - 1
        }
        if slot < 0 || layouts[slot].format != format.formatCharacters || layouts[slot].name != format.name {
            if slot >= 0, slots[slot].count > 0 { try onBatch(slots[slot].takeBatch()) }
            let instanceText = format.instanceFieldIndex.map { DataFlashMessage.instanceText(message.value($0)) }
            slots.append(
                LogColumnAccumulator(seriesKey: message.seriesKey, name: format.name, instance: instanceText, fields: format.fields))
            layouts.append((format.name, format.formatCharacters))
            slot = slots.count - 1
            if let key { slotByInstance[key] = slot } else { slotByType[Int(format.type)] = Int32(slot + 1) }
        }
        slots[slot].append(body, timestamp: lastTime)
        if slots[slot].count >= rowsPerBatch {
            try onBatch(slots[slot].takeBatch())
        }
    }

    /// Hands over every partly filled batch.
    public mutating func flush(_ onBatch: (LogBatch) throws -> Void) rethrows {
        for i in slots.indices where slots[i].count > 0 {
            try onBatch(slots[i].takeBatch())
        }
    }

    static func textKey(_ p: UnsafeRawPointer, count: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in 0..<count {
            h = (h ^ UInt64(p.load(fromByteOffset: i, as: UInt8.self))) &* 0x100_0000_01b3
        }
        return h
    }
}
