/// One decoded field value of a MAVLink message.
public enum MAVLinkValue: Sendable, Hashable {
    case signed(Int64)
    case unsigned(UInt64)
    case float(Float)
    case double(Double)
    /// A `char[N]` field: its bytes before the first NUL (as pymavlink keeps them).
    case text([UInt8])
    case signedArray([Int64])
    case unsignedArray([UInt64])
    case floatArray([Float])
    case doubleArray([Double])

    /// The value as a Double when it is a number (for summaries and mapping to channels).
    public var doubleValue: Double? {
        switch self {
        case .signed(let v): Double(v)
        case .unsigned(let v): Double(v)
        case .float(let v): Double(v)
        case .double(let v): v
        default: nil
        }
    }

    /// The text of a `char[N]` field exactly as pymavlink shows it (so logs read the same in both tools).
    public var text: String? {
        guard case .text(let bytes) = self else { return nil }
        return MAVLinkValue.decodeText(bytes)
    }

    /// Bytes up to the first NUL, decoded as ASCII with each byte above 0x7F written as U+FFFD:
    /// pymavlink 2.4.50's `s.split(b"\x00", 1)[0].decode("ascii", errors="replace")`.
    public static func decodeText(_ bytes: some Collection<UInt8>) -> String {
        let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
        let text = bytes[..<end]
        if text.allSatisfy({ $0 < 0x80 }) { return String(decoding: text, as: UTF8.self) }
        var out = String.UnicodeScalarView()
        out.reserveCapacity(text.count)
        for b in text { out.append(b < 0x80 ? Unicode.Scalar(b) : "\u{FFFD}") }
        return String(out)
    }

    /// The bytes pymavlink keeps of a `char[N]` field: everything before the first NUL.
    @inlinable
    static func textBytes(_ bytes: some Collection<UInt8>) -> [UInt8] {
        Array(bytes[..<(bytes.firstIndex(of: 0) ?? bytes.endIndex)])
    }
}

/// A decoded MAVLink message: its definition and one value per field, in wire order.
public struct MAVLinkMessage: Sendable, Hashable {
    /// The message definition.
    public let info: MAVLinkMessageInfo
    /// Values in the order of `info.fields`.
    public let values: [MAVLinkValue]

    public init(info: MAVLinkMessageInfo, values: [MAVLinkValue]) {
        self.info = info
        self.values = values
    }

    /// The value of the field called `name`, or nil.
    public subscript(name: String) -> MAVLinkValue? {
        info.fieldIndex(named: name).map { values[$0] }
    }

    /// Decodes `payload` (as sent, possibly zero-truncated or longer than known) for message `info`.
    ///
    /// Missing trailing bytes, including absent extension fields, read as zero, exactly as the MAVLink 2
    /// truncation rule requires; bytes past the known length are ignored.
    public init(info: MAVLinkMessageInfo, payload: UnsafeRawBufferPointer) {
        self.info = info
        self.values = withUnsafeTemporaryAllocation(byteCount: Swift.max(info.maxLength, 1), alignment: 8) { full in
            full.initializeMemory(as: UInt8.self, repeating: 0)
            let used = Swift.min(payload.count, info.maxLength)
            if used > 0 { full.copyMemory(from: UnsafeRawBufferPointer(rebasing: payload[0..<used])) }
            let bytes = UnsafeRawBufferPointer(full)
            return info.fields.map { MAVLinkMessage.decodeField($0, in: bytes) }
        }
    }

    /// Decodes a frame of a known message; nil for an unknown id.
    public init?(frame: MAVLinkFrame, dialect: MAVLinkDialect) {
        guard let index = frame.messageIndex else { return nil }
        let info = dialect.messages[index]
        self = frame.withUnsafePayload { MAVLinkMessage(info: info, payload: $0) }
    }

    static func decodeField(_ field: MAVLinkFieldInfo, in payload: UnsafeRawBufferPointer) -> MAVLinkValue {
        let at = field.offset
        func load<T: FixedWidthInteger>(_: T.Type, _ k: Int) -> T {
            T(littleEndian: payload.loadUnaligned(fromByteOffset: at + k * MemoryLayout<T>.size, as: T.self))
        }
        func float(_ k: Int) -> Float { Float(bitPattern: load(UInt32.self, k)) }
        func double(_ k: Int) -> Double { Double(bitPattern: load(UInt64.self, k)) }
        if field.arrayLength == 0 {
            switch field.type {
            case .char, .uint8: return .unsigned(UInt64(load(UInt8.self, 0)))
            case .int8: return .signed(Int64(load(Int8.self, 0)))
            case .uint16: return .unsigned(UInt64(load(UInt16.self, 0)))
            case .int16: return .signed(Int64(load(Int16.self, 0)))
            case .uint32: return .unsigned(UInt64(load(UInt32.self, 0)))
            case .int32: return .signed(Int64(load(Int32.self, 0)))
            case .uint64: return .unsigned(load(UInt64.self, 0))
            case .int64: return .signed(load(Int64.self, 0))
            case .float: return .float(float(0))
            case .double: return .double(double(0))
            }
        }
        let n = field.arrayLength
        switch field.type {
        case .char:
            return .text(MAVLinkValue.textBytes(payload[at..<(at + n)]))
        case .uint8: return .unsignedArray((0..<n).map { UInt64(load(UInt8.self, $0)) })
        case .int8: return .signedArray((0..<n).map { Int64(load(Int8.self, $0)) })
        case .uint16: return .unsignedArray((0..<n).map { UInt64(load(UInt16.self, $0)) })
        case .int16: return .signedArray((0..<n).map { Int64(load(Int16.self, $0)) })
        case .uint32: return .unsignedArray((0..<n).map { UInt64(load(UInt32.self, $0)) })
        case .int32: return .signedArray((0..<n).map { Int64(load(Int32.self, $0)) })
        case .uint64: return .unsignedArray((0..<n).map { load(UInt64.self, $0) })
        case .int64: return .signedArray((0..<n).map { load(Int64.self, $0) })
        case .float: return .floatArray((0..<n).map(float))
        case .double: return .doubleArray((0..<n).map(double))
        }
    }
}
