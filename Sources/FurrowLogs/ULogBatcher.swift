/// Turns ULog data messages into columnar ``LogBatch``es, one series per subscription (topic and `multi_id`).
///
/// Padding fields are left out. A batch is handed over when a series reaches `rowsPerBatch` rows, and at
/// ``flush(_:)``.
public struct ULogBatcher: Sendable {
    /// Rows per batch.
    public let rowsPerBatch: Int
    /// Slot + 1 by msg_id (0: none yet).
    var slotIndex = [Int32](repeating: 0, count: 65536)
    var slots: [LogColumnAccumulator] = []
    var layouts: [ULogSubscription] = []

    public init(rowsPerBatch: Int = 4096) {
        self.rowsPerBatch = Swift.max(1, rowsPerBatch)
    }

    /// Adds one data message; `onBatch` receives full batches.
    public mutating func append(_ data: ULogData, _ onBatch: (LogBatch) throws -> Void) rethrows {
        let id = Int(data.subscription.msgID)
        var slot = Int(slotIndex[id]) - 1
        if slot < 0 || layouts[slot] != data.subscription {
            // A new msg_id, or one re-subscribed with another topic: a new series.
            if slot >= 0, slots[slot].count > 0 { try onBatch(slots[slot].takeBatch()) }
            let sub = data.subscription
            slots.append(
                LogColumnAccumulator(seriesKey: sub.seriesKey, name: sub.name, instance: String(sub.multiID), fields: sub.fields))
            layouts.append(sub)
            slot = slots.count - 1
            slotIndex[id] = Int32(slots.count)
        }
        slots[slot].append(data.body.baseAddress!, timestamp: Int64(bitPattern: data.timestamp))
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
}
