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
    public var timestamps: [Int64] {
        storage.withUnsafeBytes { buffer in
            (0..<rowCount).map { Int64(littleEndian: buffer.loadUnaligned(fromByteOffset: $0 * rowStride, as: Int64.self)) }
        }
    }

    /// Sender sequence numbers.
    public var sequences: [UInt8] { (0..<rowCount).map { storage[$0 * rowStride + 8] } }

    /// Rows of `rowStride` bytes: timestamp (8, little-endian), sequence (1), payload zero-filled to `stride`.
    @usableFromInline var storage: [UInt8] = []
    @usableFromInline var rowCount = 0
    /// Payload bytes per row: the message's full payload length.
    @usableFromInline let stride: Int
    /// Bytes per row in `storage`.
    @usableFromInline let rowStride: Int
    /// Where the payload starts in a row.
    @usableFromInline static var payloadOffset: Int { 9 }

    public init(source: MAVLinkSourceID, message: MAVLinkMessageInfo, reservingCapacity capacity: Int = 0) {
        self.source = source
        self.message = message
        self.stride = message.maxLength
        self.rowStride = Self.payloadOffset + message.maxLength
        storage = [UInt8](repeating: 0, count: Swift.max(capacity, 1) * rowStride)
    }

    /// Number of rows.
    @inlinable public var count: Int { rowCount }

    /// Appends one frame of this batch's message and sender: one copy of its payload, zero-filled.
    @inlinable
    public mutating func append(_ frame: MAVLinkFrame, timestamp: Int64) {
        if (rowCount &+ 1) &* rowStride > storage.count {
            storage.append(contentsOf: repeatElement(0, count: Swift.max(storage.count, rowStride &* 16)))
        }
        let used = Swift.min(frame.payloadLength, stride)
        let offset = rowCount &* rowStride
        let stride = self.stride
        storage.withUnsafeMutableBytes { buffer in
            let row = buffer.baseAddress.unsafelyUnwrapped + offset
            row.storeBytes(of: timestamp.littleEndian, as: Int64.self)
            row.storeBytes(of: frame.sequence, toByteOffset: 8, as: UInt8.self)
            let payload = row + Self.payloadOffset
            payload.copyMemory(from: frame.start + frame.headerLength, byteCount: used)
            if used < stride {
                (payload + used).initializeMemory(as: UInt8.self, repeating: 0, count: stride &- used)
            }
        }
        rowCount &+= 1
    }

    /// Removes every row, keeping the allocated capacity.
    public mutating func removeAll() {
        rowCount = 0
    }

    /// The decoded message of row `row`.
    public func message(at row: Int) -> MAVLinkMessage {
        let start = row * rowStride + Self.payloadOffset
        return storage.withUnsafeBytes {
            MAVLinkMessage(info: message, payload: UnsafeRawBufferPointer(rebasing: $0[start..<(start + stride)]))
        }
    }

    /// Every field as a typed column.
    public var columns: [MAVLinkColumn] { message.fields.indices.map(column) }

    /// The field at `index` (wire order) as a typed column.
    public func column(_ index: Int) -> MAVLinkColumn {
        let field = message.fields[index]
        let stride = rowStride
        let rowCount = count
        let n = field.count
        let base = Self.payloadOffset + field.offset
        return storage.withUnsafeBytes { buffer in
            /// One pass down the rows, loading each element where it sits (unaligned) into a typed array.
            func gather<T: BitwiseCopyable>(_: T.Type) -> [T] {
                let size = MemoryLayout<T>.size
                return [T](unsafeUninitializedCapacity: rowCount &* n) { out, initialized in
                    guard let source = buffer.baseAddress, var target = out.baseAddress else {
                        initialized = 0
                        return
                    }
                    var row = source + base
                    if n == 1 {
                        for _ in 0..<rowCount {
                            target.initialize(to: row.loadUnaligned(as: T.self))
                            target += 1
                            row += stride
                        }
                    } else {
                        // Array fields: the elements of one row are contiguous, one copy per row.
                        let bytes = n &* size
                        for _ in 0..<rowCount {
                            UnsafeMutableRawPointer(target).copyMemory(from: row, byteCount: bytes)
                            target += n
                            row += stride
                        }
                    }
                    initialized = rowCount &* n
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
            case .float: values = .float(gather(Float.self))
            case .double: values = .double(gather(Double.self))
            case .char:
                if field.arrayLength == 0 {
                    values = .uint8(gather(UInt8.self))
                } else {
                    values = .text((0..<rowCount).map { row in
                        let start = row * stride + base
                        return MAVLinkValue.decodeText(buffer[start..<(start + n)])
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
    ///
    /// A new batch starts with room for 16 rows and grows as rows come: a daemon with thousands of senders
    /// keeps tens of thousands of batches, most of them holding a few rows between flushes.
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
                    message: dialect.messages[index], reservingCapacity: Swift.min(rowsPerBatch, 16)))
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
