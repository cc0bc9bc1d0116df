import FurrowWire

/// Feeds delivered frames to a `MAVLinkBatcher` and checks every batch it hands on against the frames.
///
/// Timestamps are the frames' ordinals, so each row can be traced back to the frame it came from.
struct BatchCheck {
    struct Key: Hashable {
        let source: MAVLinkSourceID
        let messageID: UInt32
    }

    var batcher: MAVLinkBatcher
    let rowsPerBatch: Int
    var ordinal: Int64 = 0
    /// Per ordinal: the frame's key, sequence and decoded values (known ids only).
    var rows: [Int64: (key: Key, sequence: UInt8, values: [NormalizedValue])] = [:]
    var expected: [Key: Int] = [:]
    var emitted: [Key: Int] = [:]
    var lastOrdinal: [Key: Int64] = [:]

    init(rowsPerBatch: Int) {
        self.rowsPerBatch = rowsPerBatch
        self.batcher = MAVLinkBatcher(dialect: dialect, rowsPerBatch: rowsPerBatch)
    }

    mutating func append(_ frame: MAVLinkFrame, values: [NormalizedValue]?) {
        ordinal += 1
        if let values {
            let key = Key(
                source: MAVLinkSourceID(systemID: frame.systemID, componentID: frame.componentID),
                messageID: frame.messageID)
            rows[ordinal] = (key, frame.sequence, values)
            expected[key, default: 0] += 1
        }
        var full: [MAVLinkBatch] = []
        batcher.append(frame, timestamp: ordinal) { full.append($0) }
        for batch in full {
            require(batch.count == rowsPerBatch, "a full batch of \(batch.count) rows, \(rowsPerBatch) per batch")
            check(batch)
        }
    }

    mutating func finish() {
        var rest: [MAVLinkBatch] = []
        batcher.flush { rest.append($0) }
        for batch in rest {
            require(batch.count >= 1 && batch.count <= rowsPerBatch, "a flushed batch of \(batch.count) rows")
            check(batch)
        }
        require(emitted == expected, "batch rows per (sender, message) \(emitted) != frames \(expected)")
    }

    mutating func check(_ batch: MAVLinkBatch) {
        let key = Key(source: batch.source, messageID: batch.message.id)
        let timestamps = batch.timestamps
        let sequences = batch.sequences
        let columns = batch.columns
        require(timestamps.count == batch.count && sequences.count == batch.count, "timestamps/sequences per row")
        require(columns.count == batch.message.fields.count, "\(columns.count) columns")
        for (column, field) in zip(columns, batch.message.fields) {
            require(column.field == field, "column \(column.field.name) for field \(field.name)")
            let elements = NormalizedValue.elementCount(column.values)
            let want = field.type == .char && field.arrayLength > 0 ? batch.count : batch.count * field.count
            require(elements == want, "\(batch.message.name).\(field.name): \(elements) elements for \(batch.count) rows")
        }
        for row in 0..<batch.count {
            let t = timestamps[row]
            guard let frame = rows[t] else {
                require(false, "row \(row) of \(batch.message.name) has timestamp \(t), not a known frame")
                return
            }
            require(frame.key == key, "row from \(frame.key) in the batch of \(key)")
            require(t > lastOrdinal[key, default: 0], "rows of \(key) out of order")
            lastOrdinal[key] = t
            require(sequences[row] == frame.sequence, "row sequence")
            let message = batch.message(at: row)
            require(message.values.map(NormalizedValue.init) == frame.values, "message(at: \(row)) of \(batch.message.name)")
            for (i, column) in columns.enumerated() {
                require(NormalizedValue(column, row: row) == frame.values[i], "\(batch.message.name).\(column.field.name) row \(row)")
            }
        }
        emitted[key, default: 0] += batch.count
    }
}
