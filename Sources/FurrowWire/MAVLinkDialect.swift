/// The wire type of one MAVLink field element, as named in the XML definitions.
public enum MAVLinkFieldType: UInt8, Sendable, Hashable, CaseIterable {
    case char, int8, uint8, int16, uint16, int32, uint32, int64, uint64, float, double

    /// Size of one element on the wire, in bytes.
    @inlinable
    public var size: Int {
        switch self {
        case .char, .int8, .uint8: 1
        case .int16, .uint16: 2
        case .int32, .uint32, .float: 4
        case .int64, .uint64, .double: 8
        }
    }

    /// The C type name used in the XML and in CRC_EXTRA (`uint8_t`, `float`, ...).
    public var cName: String {
        switch self {
        case .char: "char"
        case .int8: "int8_t"
        case .uint8: "uint8_t"
        case .int16: "int16_t"
        case .uint16: "uint16_t"
        case .int32: "int32_t"
        case .uint32: "uint32_t"
        case .int64: "int64_t"
        case .uint64: "uint64_t"
        case .float: "float"
        case .double: "double"
        }
    }
}

/// One field of a MAVLink message, in wire order, with where it sits in the payload.
public struct MAVLinkFieldInfo: Sendable, Hashable {
    /// Field name as in the XML (`lat`, `voltage_battery`).
    public let name: String
    /// Element type.
    public let type: MAVLinkFieldType
    /// Number of elements for an array field; 0 for a scalar.
    public let arrayLength: Int
    /// Byte offset in the (zero-filled) payload.
    public let offset: Int
    /// Whether the field is a MAVLink 2 extension (not covered by CRC_EXTRA, absent in v1 frames).
    public let isExtension: Bool
    /// Position of the field in the XML declaration (the order pymavlink and humans list fields in).
    public let declarationIndex: Int
    /// Units as declared (`mV`, `degE7`), or nil.
    public let units: String?
    /// Name of the enum the value belongs to (`MAV_TYPE`), or nil.
    public let enumName: String?

    public init(
        name: String, type: MAVLinkFieldType, arrayLength: Int, offset: Int, isExtension: Bool,
        declarationIndex: Int, units: String? = nil, enumName: String? = nil
    ) {
        self.name = name
        self.type = type
        self.arrayLength = arrayLength
        self.offset = offset
        self.isExtension = isExtension
        self.declarationIndex = declarationIndex
        self.units = units
        self.enumName = enumName
    }

    /// Number of elements (1 for a scalar).
    @inlinable public var count: Int { Swift.max(arrayLength, 1) }
    /// Bytes the field occupies in the payload.
    @inlinable public var wireSize: Int { count * type.size }
}

/// The definition of one MAVLink message: what the framer needs to check it and the decoder to read it.
public struct MAVLinkMessageInfo: Sendable, Hashable {
    /// Message id (24-bit in MAVLink 2).
    public let id: UInt32
    /// Message name as in the XML (`GLOBAL_POSITION_INT`).
    public let name: String
    /// The per-message seed byte appended to the CRC, derived from the message's base fields.
    public let crcExtra: UInt8
    /// Payload length without extension fields (what a MAVLink 1 sender sends).
    public let minLength: Int
    /// Payload length with every extension field (the zero-filled length the decoder reads).
    public let maxLength: Int
    /// Fields in wire order.
    public let fields: [MAVLinkFieldInfo]
    /// Indices into `fields` in XML declaration order.
    public let declarationOrder: [Int]

    public init(id: UInt32, name: String, crcExtra: UInt8, minLength: Int, maxLength: Int, fields: [MAVLinkFieldInfo]) {
        self.id = id
        self.name = name
        self.crcExtra = crcExtra
        self.minLength = minLength
        self.maxLength = maxLength
        self.fields = fields
        self.declarationOrder = fields.indices.sorted { fields[$0].declarationIndex < fields[$1].declarationIndex }
    }

    /// The index of the field called `name`, or nil.
    public func fieldIndex(named name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }
}

/// A set of message definitions (a dialect such as `ardupilotmega`) with constant-time lookup by id.
public struct MAVLinkDialect: Sendable {
    /// Dialect name (`ardupilotmega`).
    public let name: String
    /// Every message, sorted by id.
    public let messages: [MAVLinkMessageInfo]
    /// The hot-path lookup from message id to CRC_EXTRA and lengths.
    @usableFromInline let lookup: MAVLinkDialectLookup

    public init(name: String, messages: [MAVLinkMessageInfo]) {
        let sorted = messages.sorted { $0.id < $1.id }
        self.name = name
        self.messages = sorted
        self.lookup = MAVLinkDialectLookup(messages: sorted)
    }

    /// The index into `messages` for a message id, or nil if the dialect does not define it.
    @inlinable
    public func index(of id: UInt32) -> Int? {
        lookup.slot(for: Int(id))
    }

    /// The definition of a message id, or nil.
    @inlinable
    public func message(id: UInt32) -> MAVLinkMessageInfo? {
        index(of: id).map { messages[$0] }
    }

    /// The definition of a message by name, or nil.
    public func message(named name: String) -> MAVLinkMessageInfo? {
        messages.first { $0.name == name }
    }
}

/// Message id → (index, CRC_EXTRA, lengths) in flat memory that the framer reads without bounds checks
/// or reference counting in its loop.
///
/// `@unchecked Sendable`: written once in `init`, read-only afterwards, freed in `deinit`.
@usableFromInline
final class MAVLinkDialectLookup: @unchecked Sendable {
    /// `slots[id]` is an index into the dialect's messages, or -1; `slotCount` = largest id + 1.
    @usableFromInline let slots: UnsafeMutablePointer<Int32>
    @usableFromInline let slotCount: Int
    /// Per message index.
    @usableFromInline let checks: UnsafeMutablePointer<MAVLinkMessageCheck>
    @usableFromInline let messageCount: Int
    /// The CRC slicing tables, held here so the framer's loop reads them without a lazy-global check.
    @usableFromInline let crcTables: UnsafePointer<UInt16>

    init(messages: [MAVLinkMessageInfo]) {
        crcTables = CRC16Tables.shared.pointer
        slotCount = Int(messages.map(\.id).max() ?? 0) + 1
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: -1, count: slotCount)
        messageCount = messages.count
        checks = .allocate(capacity: Swift.max(messages.count, 1))
        for (index, message) in messages.enumerated() {
            slots[Int(message.id)] = Int32(index)
            (checks + index).initialize(
                to: MAVLinkMessageCheck(
                    crcExtra: message.crcExtra, minLength: UInt8(message.minLength), maxLength: UInt8(message.maxLength)))
        }
    }

    deinit {
        slots.deallocate()
        checks.deallocate()
    }

    /// The message index for `id`, or nil.
    @inlinable
    func slot(for id: Int) -> Int? {
        guard id >= 0, id < slotCount else { return nil }
        let slot = slots[id]
        return slot < 0 ? nil : Int(slot)
    }
}

/// What the framer checks per message id, packed small so the lookup stays in cache.
@usableFromInline
struct MAVLinkMessageCheck: Sendable {
    @usableFromInline let crcExtra: UInt8
    @usableFromInline let minLength: UInt8
    @usableFromInline let maxLength: UInt8

    @usableFromInline init(crcExtra: UInt8, minLength: UInt8, maxLength: UInt8) {
        self.crcExtra = crcExtra
        self.minLength = minLength
        self.maxLength = maxLength
    }
}

// MARK: - Generated tables

extension MAVLinkDialect {
    /// Builds a dialect from the compact table the generator emits (one message per line).
    ///
    /// The table is produced by `Scripts/generate_mavlink_tables.py` and checked by tests against CRC_EXTRA
    /// values recomputed from the field list, so a malformed line is a build defect, not input data.
    init(name: String, table: String) {
        var table = table
        let messages = table.withUTF8 { Self.parseTable(Array($0)) }
        self.init(name: name, messages: messages)
    }

    /// Parses the table's bytes directly: splitting Strings cost ~15 ms of every `furrow` start.
    private static func parseTable(_ bytes: [UInt8]) -> [MAVLinkMessageInfo] {
        var messages: [MAVLinkMessageInfo] = []
        messages.reserveCapacity(512)
        var cells: [Range<Int>] = []
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            cells.removeAll(keepingCapacity: true)
            var cellStart = lineStart
            for i in lineStart...lineEnd where i == lineEnd || bytes[i] == UInt8(ascii: ",") || bytes[i] == UInt8(ascii: ";") {
                cells.append(cellStart..<i)
                cellStart = i + 1
            }
            if lineEnd > lineStart {
                messages.append(message(bytes, cells))
            }
            lineStart = lineEnd + 1
        }
        return messages
    }

    /// One line: 5 head cells, then 8 cells per field.
    private static func message(_ bytes: [UInt8], _ cells: [Range<Int>]) -> MAVLinkMessageInfo {
        func text(_ k: Int) -> String { String(decoding: bytes[cells[k]], as: UTF8.self) }
        func number(_ k: Int) -> Int { bytes[cells[k]].reduce(0) { $0 * 10 + Int($1 &- 48) } }
        var fields: [MAVLinkFieldInfo] = []
        var k = 5
        while k + 8 <= cells.count {
            fields.append(
                MAVLinkFieldInfo(
                    name: text(k), type: MAVLinkFieldType(generatedName: bytes[cells[k + 1]]), arrayLength: number(k + 2),
                    offset: number(k + 3), isExtension: number(k + 4) == 1, declarationIndex: number(k + 5),
                    units: cells[k + 6].isEmpty ? nil : text(k + 6), enumName: cells[k + 7].isEmpty ? nil : text(k + 7)))
            k += 8
        }
        precondition(k == cells.count, "malformed generated MAVLink table line")
        return MAVLinkMessageInfo(
            id: UInt32(number(0)), name: text(1), crcExtra: UInt8(number(2)), minLength: number(3),
            maxLength: number(4), fields: fields)
    }
}

extension MAVLinkFieldType {
    init(generatedName: ArraySlice<UInt8>) {
        switch String(decoding: generatedName, as: UTF8.self) {
        case "char": self = .char
        case "int8": self = .int8
        case "uint8": self = .uint8
        case "int16": self = .int16
        case "uint16": self = .uint16
        case "int32": self = .int32
        case "uint32": self = .uint32
        case "int64": self = .int64
        case "uint64": self = .uint64
        case "float": self = .float
        default: self = .double
        }
    }
}
