// TEMPORARY stand-in until the profiles branch lands (same API); deleted at merge.
import FurrowStore
import FurrowWire

public struct MappedRows: Sendable {
    public let group: String
    public let channels: [StoreChannel]
    public let timestamps: [Int64]
    public let columns: [StoreColumn]
}

public struct MAVLinkMapper: Sendable {
    public init() {}
    public func maps(messageIndex: Int) -> Bool { true }
    public func map(_ batch: MAVLinkBatch) -> [MappedRows] {
        var channels: [StoreChannel] = []
        var columns: [StoreColumn] = []
        for column in batch.columns {
            switch column.values {
            case .float(let v): channels.append(StoreChannel(name: column.field.name, valueType: .float32)); columns.append(.float32(v))
            default: continue
            }
        }
        return channels.isEmpty ? [] : [MappedRows(group: batch.message.name, channels: channels, timestamps: batch.timestamps, columns: columns)]
    }
}
