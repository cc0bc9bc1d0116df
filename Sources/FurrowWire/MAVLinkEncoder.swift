/// Builds MAVLink frames the way autopilots and ground stations send them.
///
/// One encoder is one sender (a system and component id) with its own 8-bit sequence counter, which
/// increments per frame and wraps. MAVLink 2 frames (the default) carry 24-bit ids and have their
/// payload's trailing zero bytes removed (at least one byte is kept), as the C library and pymavlink do;
/// MAVLink 1 frames carry the base fields only (no extensions). Every frame ends with the
/// CRC-16/MCRF4XX of its header and payload followed by the message's CRC_EXTRA. Frames are not signed.
///
/// Two ways in:
/// - `encode(_ message:into:)` takes a `MAVLinkMessage` (decoded values, or built by name with
///   `MAVLinkMessage(named:in:fields:)`), checks every value against its field and throws
///   `MAVLinkEncodingError` for a wrong type or a value that does not fit.
/// - `encode(_ info:into:_:)` hands a `MAVLinkPayloadWriter` to a closure that writes fields at slots
///   looked up once: no `[MAVLinkValue]` per frame, for simulators that need millions of frames.
///
/// ```swift
/// var encoder = MAVLinkEncoder(systemID: 1, componentID: 1)
/// let heartbeat = try MAVLinkMessage(named: "HEARTBEAT", fields: ["type": .unsigned(2), "autopilot": .unsigned(3)])
/// let frame = try encoder.encode(heartbeat)
/// ```
public struct MAVLinkEncoder: Sendable {
    /// The message definitions used to look messages up by name.
    public let dialect: MAVLinkDialect
    /// MAVLink 1 or 2 framing.
    public var version: MAVLinkVersion
    /// Sender's system id.
    public var systemID: UInt8
    /// Sender's component id.
    public var componentID: UInt8
    /// Sequence number of the next frame.
    public var sequence: UInt8

    /// Creates a sender; its first frame has sequence number `sequence`.
    public init(
        dialect: MAVLinkDialect = .ardupilotmega, version: MAVLinkVersion = .v2, systemID: UInt8, componentID: UInt8,
        sequence: UInt8 = 0
    ) {
        self.dialect = dialect
        self.version = version
        self.systemID = systemID
        self.componentID = componentID
        self.sequence = sequence
    }

    // MARK: - Fast path

    /// Appends one frame of message `info` to `buffer`; `write` fills the zeroed payload.
    ///
    /// The payload handed to `write` always has the message's full length (`maxLength`); in a MAVLink 1
    /// frame the extension bytes are then left out.
    ///
    /// - Throws: `MAVLinkEncodingError` with code `.idNeedsV2` for a MAVLink 1 frame of a message id above
    ///   255 (nothing is appended then).
    @inlinable
    public mutating func encode(
        _ info: MAVLinkMessageInfo, into buffer: inout [UInt8], _ write: (inout MAVLinkPayloadWriter) -> Void
    ) throws(MAVLinkEncodingError) {
        let isV1 = version == .v1
        if isV1 && info.id > 0xFF {
            throw MAVLinkEncodingError(
                code: .idNeedsV2, message: info.name, reason: "message id \(info.id) does not fit a MAVLink 1 frame")
        }
        let header = isV1 ? 6 : 10
        let room = header &+ info.maxLength &+ 2
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: room))
        let used = buffer.withUnsafeMutableBytes { all -> Int in
            // Invariant: `frame` is the `room` zero bytes just appended.
            let frame = UnsafeMutableRawBufferPointer(rebasing: all[start..<(start &+ room)])
            var writer = MAVLinkPayloadWriter(
                bytes: UnsafeMutableRawBufferPointer(rebasing: frame[header..<(header &+ info.maxLength)]))
            write(&writer)
            var length = isV1 ? info.minLength : info.maxLength
            if !isV1 {
                while length > 1 && frame[header &+ length &- 1] == 0 { length &-= 1 }
            }
            if isV1 {
                frame[0] = 0xFE
                frame[1] = UInt8(length)
                frame[2] = sequence
                frame[3] = systemID
                frame[4] = componentID
                frame[5] = UInt8(truncatingIfNeeded: info.id)
            } else {
                frame[0] = 0xFD
                frame[1] = UInt8(length)
                // frame[2], frame[3]: incompatibility and compatibility flags, 0 (unsigned).
                frame[4] = sequence
                frame[5] = systemID
                frame[6] = componentID
                frame[7] = UInt8(truncatingIfNeeded: info.id)
                frame[8] = UInt8(truncatingIfNeeded: info.id >> 8)
                frame[9] = UInt8(truncatingIfNeeded: info.id >> 16)
            }
            let end = header &+ length
            let crc = CRC16MCRF4XX.frameChecksum(frame.baseAddress! + 1, end &- 1, extra: info.crcExtra)
            frame[end] = UInt8(truncatingIfNeeded: crc)
            frame[end &+ 1] = UInt8(truncatingIfNeeded: crc >> 8)
            return end &+ 2
        }
        buffer.removeLast(room &- used)
        sequence &+= 1
    }

    /// Appends one frame of the message called `name`; `write` fills the payload.
    ///
    /// - Throws: `.unknownMessage` when the dialect has no such message; `.idNeedsV2` as above.
    @inlinable
    public mutating func encode(
        named name: String, into buffer: inout [UInt8], _ write: (inout MAVLinkPayloadWriter) -> Void
    ) throws(MAVLinkEncodingError) {
        guard let info = dialect.message(named: name) else {
            throw MAVLinkEncodingError(code: .unknownMessage, message: name, reason: "not in dialect \(dialect.name)")
        }
        try encode(info, into: &buffer, write)
    }

    // MARK: - From values

    /// Appends one frame carrying `message` to `buffer`.
    ///
    /// Values are written bit for bit (floats keep their NaN payloads); arrays and text shorter than
    /// their field are padded with zeros (NUL).
    ///
    /// - Throws: `MAVLinkEncodingError` when a value has the wrong case for its field (`.wrongType`), does
    ///   not fit it (`.outOfRange`, `.tooLong`), the value count differs from the field count
    ///   (`.valueCount`), or the id needs MAVLink 2 (`.idNeedsV2`). Nothing is appended then.
    public mutating func encode(_ message: MAVLinkMessage, into buffer: inout [UInt8]) throws(MAVLinkEncodingError) {
        let info = message.info
        guard message.values.count == info.fields.count else {
            throw MAVLinkEncodingError(
                code: .valueCount, message: info.name,
                reason: "\(message.values.count) values for \(info.fields.count) fields")
        }
        for (field, value) in zip(info.fields, message.values) {
            try Self.check(value, for: field, message: info.name)
        }
        try encode(info, into: &buffer) { payload in
            for (field, value) in zip(info.fields, message.values) {
                Self.write(value, to: MAVLinkFieldSlot(field), in: &payload)
            }
        }
    }

    /// One frame carrying `message`.
    ///
    /// - Throws: as `encode(_:into:)`.
    public mutating func encode(_ message: MAVLinkMessage) throws(MAVLinkEncodingError) -> [UInt8] {
        var frame: [UInt8] = []
        frame.reserveCapacity(12 + message.info.maxLength)
        try encode(message, into: &frame)
        return frame
    }

    // MARK: - Checking and writing values

    /// Throws unless `value` can be written to `field` exactly.
    static func check(_ value: MAVLinkValue, for field: MAVLinkFieldInfo, message: String) throws(MAVLinkEncodingError) {
        func fail(_ code: MAVLinkEncodingError.Code, _ reason: String) -> MAVLinkEncodingError {
            MAVLinkEncodingError(code: code, message: message, field: field.name, reason: reason)
        }
        func wrongType() -> MAVLinkEncodingError {
            let kind = field.arrayLength == 0 ? field.type.cName : "\(field.type.cName)[\(field.arrayLength)]"
            return fail(.wrongType, "\(value.caseName) value for a \(kind) field")
        }
        func checkLength(_ n: Int) throws(MAVLinkEncodingError) {
            if n > field.arrayLength { throw fail(.tooLong, "\(n) elements for a field of \(field.arrayLength)") }
        }
        func checkRange(_ v: Int64) throws(MAVLinkEncodingError) {
            if !field.type.holds(v) { throw fail(.outOfRange, "\(v) does not fit \(field.type.cName)") }
        }
        func checkRange(_ v: UInt64) throws(MAVLinkEncodingError) {
            if !field.type.holds(v) { throw fail(.outOfRange, "\(v) does not fit \(field.type.cName)") }
        }
        let isInteger = field.type != .float && field.type != .double
        if field.arrayLength == 0 {
            switch (value, field.type) {
            case (.signed(let v), _) where isInteger: try checkRange(v)
            case (.unsigned(let v), _) where isInteger: try checkRange(v)
            case (.float, .float), (.double, .double): break
            default: throw wrongType()
            }
            return
        }
        switch (value, field.type) {
        case (.text(let bytes), .char): try checkLength(bytes.count)
        case (.signedArray(let values), _) where isInteger && field.type != .char:
            try checkLength(values.count)
            for v in values { try checkRange(v) }
        case (.unsignedArray(let values), _) where isInteger && field.type != .char:
            try checkLength(values.count)
            for v in values { try checkRange(v) }
        case (.floatArray(let values), .float): try checkLength(values.count)
        case (.doubleArray(let values), .double): try checkLength(values.count)
        default: throw wrongType()
        }
    }

    /// Writes a value that `check` accepted.
    static func write(_ value: MAVLinkValue, to slot: MAVLinkFieldSlot, in payload: inout MAVLinkPayloadWriter) {
        switch value {
        case .signed(let v): payload.set(slot, v)
        case .unsigned(let v): payload.set(slot, v)
        case .float(let v): payload.set(slot, v)
        case .double(let v): payload.set(slot, v)
        case .text(let bytes): payload.setText(slot, bytes)
        case .signedArray(let values): for (i, v) in values.enumerated() { payload.set(slot, v, element: i) }
        case .unsignedArray(let values): for (i, v) in values.enumerated() { payload.set(slot, v, element: i) }
        case .floatArray(let values): for (i, v) in values.enumerated() { payload.set(slot, v, element: i) }
        case .doubleArray(let values): for (i, v) in values.enumerated() { payload.set(slot, v, element: i) }
        }
    }
}

extension MAVLinkFieldType {
    /// Whether an integer type can hold `v`.
    func holds(_ v: Int64) -> Bool {
        switch self {
        case .char, .uint8: UInt8(exactly: v) != nil
        case .int8: Int8(exactly: v) != nil
        case .uint16: UInt16(exactly: v) != nil
        case .int16: Int16(exactly: v) != nil
        case .uint32: UInt32(exactly: v) != nil
        case .int32: Int32(exactly: v) != nil
        case .uint64: v >= 0
        case .int64: true
        case .float, .double: false
        }
    }

    /// Whether an integer type can hold `v`.
    func holds(_ v: UInt64) -> Bool {
        switch self {
        case .char, .uint8: UInt8(exactly: v) != nil
        case .int8: Int8(exactly: v) != nil
        case .uint16: UInt16(exactly: v) != nil
        case .int16: Int16(exactly: v) != nil
        case .uint32: UInt32(exactly: v) != nil
        case .int32: Int32(exactly: v) != nil
        case .uint64: true
        case .int64: Int64(exactly: v) != nil
        case .float, .double: false
        }
    }
}

extension MAVLinkValue {
    /// The case name, for error messages.
    var caseName: String {
        switch self {
        case .signed: "signed"
        case .unsigned: "unsigned"
        case .float: "float"
        case .double: "double"
        case .text: "text"
        case .signedArray: "signed array"
        case .unsignedArray: "unsigned array"
        case .floatArray: "float array"
        case .doubleArray: "double array"
        }
    }
}
