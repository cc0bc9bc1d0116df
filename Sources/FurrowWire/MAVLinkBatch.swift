/// The values of one field over the rows of a batch, typed as on the wire.
///
/// Array fields are stored row-major: row `r`, element `k` is at `r * arrayLength + k`.
public enum MAVLinkColumnValues: Sendable, Hashable {
    case int8([Int8]), uint8([UInt8]), int16([Int16]), uint16([UInt16]), int32([Int32]), uint32([UInt32])
    case int64([Int64]), uint64([UInt64]), float([Float]), double([Double])
    /// `char[N]` fields, decoded like pymavlink (trailing NULs dropped, invalid UTF-8 as `\xNN`).
    case text([String])
}

/// One field of a batch as a column.
public struct MAVLinkColumn: Sendable, Hashable {
    public let field: MAVLinkFieldInfo
    public let values: MAVLinkColumnValues
}

/// Frames of one message type from one sender, in columnar form: one timestamp column and one column per
/// field. This is the unit the time-series store writes as a row group.
///
/// Appending copies each payload once, zero-filled to the message's full length, into a fixed-stride row
/// buffer; `columns` then transposes that buffer into typed columns in one pass per field.
public struct MAVLinkBatch: Sendable {
    /// Who sent the frames.
    public let source: MAVLinkSourceID
    /// The message definition.
    public let message: MAVLinkMessageInfo
    /// Timestamps in microseconds (since the Unix epoch for .tlog and live input).
    public var timestamps: [Int64] { timestampStorage }
    @usableFromInline var timestampStorage: [Int64] = []
    /// Sender sequence numbers.
    public var sequences: [UInt8] { sequenceStorage }
    @usableFromInline var sequenceStorage: [UInt8] = []
    /// Zero-filled payloads, `stride` bytes per row.
    @usableFromInline var rows: [UInt8] = []
    /// Bytes per row: the message's full payload length.
    @usableFromInline let stride: Int

    public init(source: MAVLinkSourceID, message: MAVLinkMessageInfo, reservingCapacity capacity: Int = 0) {
        self.source = source
        self.message = message
        self.stride = message.maxLength
        timestampStorage.reserveCapacity(capacity)
        sequenceStorage.reserveCapacity(capacity)
        rows.reserveCapacity(capacity * message.maxLength)
    }

    /// Number of rows.
    @inlinable public var count: Int { timestampStorage.count }

    /// Appends one frame of this batch's message and sender.
    @inlinable
    public mutating func append(_ frame: MAVLinkFrame, timestamp: Int64) {
        timestampStorage.append(timestamp)
        sequenceStorage.append(frame.sequence)
        let used = Swift.min(frame.payloadLength, stride)
        rows.append(contentsOf: UnsafeRawBufferPointer(start: frame.start + frame.headerLength, count: used))
        if used < stride {
            rows.append(contentsOf: UnsafeRawBufferPointer(start: ZeroPage.bytes, count: stride &- used))
        }
    }

    /// Removes every row, keeping the allocated capacity.
    public mutating func removeAll() {
        timestampStorage.removeAll(keepingCapacity: true)
        sequenceStorage.removeAll(keepingCapacity: true)
        rows.removeAll(keepingCapacity: true)
    }

    /// The decoded message of row `row`.
    public func message(at row: Int) -> MAVLinkMessage {
        let stride = message.maxLength
        return rows.withUnsafeBytes {
            MAVLinkMessage(info: message, payload: UnsafeRawBufferPointer(rebasing: $0[(row * stride)..<((row + 1) * stride)]))
        }
    }

    /// Every field as a typed column.
    public var columns: [MAVLinkColumn] { message.fields.indices.map(column) }

    /// The field at `index` (wire order) as a typed column.
    public func column(_ index: Int) -> MAVLinkColumn {
        let field = message.fields[index]
        let stride = message.maxLength
        let rowCount = count
        let n = field.count
        return rows.withUnsafeBytes { buffer in
            func gather<T: FixedWidthInteger>(_: T.Type) -> [T] {
                [T](unsafeUninitializedCapacity: rowCount * n) { out, initialized in
                    var k = 0
                    for row in 0..<rowCount {
                        var at = row &* stride &+ field.offset
                        for _ in 0..<n {
                            out[k] = T(littleEndian: buffer.loadUnaligned(fromByteOffset: at, as: T.self))
                            at &+= MemoryLayout<T>.size
                            k &+= 1
                        }
                    }
                    initialized = rowCount * n
                }
            }
            let values: MAVLinkColumnValues
            switch field.type {
            case .int8: values = .int8(gather(Int8.self))
            case .uint8: values = .uint8(gather(UInt8.self))
            case .int16: values = .int16(gather(Int16.self))
            case .uint16: values = .uint16(gather(UInt16.self))
            case .int32: values = .int32(gather(Int32.self))
            case .uint32: values = .uint32(gather(UInt32.self))
            case .int64: values = .int64(gather(Int64.self))
            case .uint64: values = .uint64(gather(UInt64.self))
            case .float: values = .float(gather(UInt32.self).map(Float.init(bitPattern:)))
            case .double: values = .double(gather(UInt64.self).map(Double.init(bitPattern:)))
            case .char:
                if field.arrayLength == 0 {
                    values = .uint8(gather(UInt8.self))
                } else {
                    values = .text((0..<rowCount).map { row in
                        let start = row * stride + field.offset
                        var bytes = Array(buffer[start..<(start + n)])
                        while let last = bytes.last, last == 0 { bytes.removeLast() }
                        return MAVLinkValue.decodeText(bytes)
                    })
                }
            }
            return MAVLinkColumn(field: field, values: values)
        }
    }
}

/// 256 zero bytes to zero-fill truncated payloads with one copy.
@usableFromInline
enum ZeroPage {
    /// `nonisolated(unsafe)`: the memory is zeroed once, never written again and never freed.
    @usableFromInline nonisolated(unsafe) static let bytes: UnsafeRawPointer = {
        let page = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 16)
        page.initializeMemory(as: UInt8.self, repeating: 0, count: 256)
        return UnsafeRawPointer(page)
    }()
}

/// Routes frames into per-(sender, message) batches and hands each batch on when it is full.
///
/// Unknown ids have no field layout and are not batched; callers that keep raw bytes archive them instead.
public struct MAVLinkBatcher: Sendable {
    /// The dialect whose message indices frames carry.
    public let dialect: MAVLinkDialect
    /// Rows per batch before it is handed on.
    public let rowsPerBatch: Int

    @usableFromInline var batches: [MAVLinkBatch] = []
    /// Per sender (`sysid << 8 | compid`): its number among senders seen, or -1.
    @usableFromInline var senderSlots: [Int32]
    /// `senderNumber * messageCount + messageIndex` → index into `batches`, or -1.
    @usableFromInline var batchSlots: [Int32] = []

    public init(dialect: MAVLinkDialect = .ardupilotmega, rowsPerBatch: Int = 4096) {
        self.dialect = dialect
        self.rowsPerBatch = Swift.max(rowsPerBatch, 1)
        self.senderSlots = [Int32](repeating: -1, count: 65536)
    }

    /// Adds a frame; `onFull` receives a batch that reached `rowsPerBatch` rows (then it is emptied).
    @inlinable
    public mutating func append(
        _ frame: MAVLinkFrame, timestamp: Int64, onFull: (MAVLinkBatch) throws -> Void
    ) rethrows {
        guard let index = frame.messageIndex else { return }
        let sender = Int(frame.systemID) << 8 | Int(frame.componentID)
        var senderNumber = Int(senderSlots[sender])
        let messageCount = dialect.messages.count
        if senderNumber < 0 {
            senderNumber = batchSlots.count / messageCount
            senderSlots[sender] = Int32(senderNumber)
            batchSlots.append(contentsOf: repeatElement(-1, count: messageCount))
        }
        let key = senderNumber &* messageCount &+ index
        var slot = Int(batchSlots[key])
        if slot < 0 {
            slot = batches.count
            batchSlots[key] = Int32(slot)
            batches.append(
                MAVLinkBatch(
                    source: MAVLinkSourceID(systemID: frame.systemID, componentID: frame.componentID),
                    message: dialect.messages[index], reservingCapacity: rowsPerBatch))
        }
        batches[slot].append(frame, timestamp: timestamp)
        if batches[slot].count >= rowsPerBatch {
            try onFull(batches[slot])
            batches[slot].removeAll()
        }
    }

    /// Hands on every non-empty batch (end of stream or a flush interval) and empties them.
    public mutating func flush(_ body: (MAVLinkBatch) throws -> Void) rethrows {
        for i in batches.indices where batches[i].count > 0 {
            try body(batches[i])
            batches[i].removeAll()
        }
    }
}
