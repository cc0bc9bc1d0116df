/// Where one field sits in a payload: what a hot encoder keeps instead of looking fields up by name.
///
/// Get slots once (`info.slot(named: "lat")`) and reuse them for every frame.
public struct MAVLinkFieldSlot: Sendable, Hashable {
    /// Byte offset in the full (untruncated) payload.
    public let offset: Int
    /// Element type.
    public let type: MAVLinkFieldType
    /// Number of elements (1 for a scalar).
    public let count: Int
    /// Whether the field is a MAVLink 2 extension (dropped from MAVLink 1 frames).
    public let isExtension: Bool

    public init(_ field: MAVLinkFieldInfo) {
        self.offset = field.offset
        self.type = field.type
        self.count = field.count
        self.isExtension = field.isExtension
    }
}

extension MAVLinkMessageInfo {
    /// The slot of the field called `name`, or nil.
    public func slot(named name: String) -> MAVLinkFieldSlot? {
        fieldIndex(named: name).map { MAVLinkFieldSlot(fields[$0]) }
    }
}

/// Writes field values little-endian into a zero-filled payload; handed to `MAVLinkEncoder.encode(_:into:_:)`.
///
/// Valid only inside the closure it is passed to. Fields not written stay zero (and trailing zeros are
/// truncated from MAVLink 2 frames). Integers are clamped to the field's range; a value written to a field
/// of the other kind (a Double into an integer field, an integer into a float field) or an element index
/// past the field is a programming error and stops the program, as slots come from the dialect, not from
/// input data.
///
/// ```swift
/// let lat = info.slot(named: "lat")!, alt = info.slot(named: "alt")!
/// encoder.encode(info, into: &buffer) { payload in
///     payload.set(lat, 416_500_000)
///     payload.set(alt, 215_000)
/// }
/// ```
public struct MAVLinkPayloadWriter {
    /// The payload, `maxLength` bytes, zero-filled before the writer is handed out.
    @usableFromInline let bytes: UnsafeMutableRawBufferPointer

    @inlinable
    init(bytes: UnsafeMutableRawBufferPointer) {
        self.bytes = bytes
    }

    /// Stores `value` at `offset` (bounds checked once here, then an unaligned store).
    @inlinable @inline(__always)
    mutating func store<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        precondition(offset >= 0 && offset &+ MemoryLayout<T>.size <= bytes.count, "field outside the payload")
        bytes.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
    }

    /// Writes an integer to an integer (or single `char`) field, clamped to the field's type.
    @inlinable
    public mutating func set(_ slot: MAVLinkFieldSlot, _ value: some BinaryInteger, element: Int = 0) {
        precondition(element >= 0 && element < slot.count, "element index past the field")
        let at = slot.offset &+ element &* slot.type.size
        switch slot.type {
        case .char, .uint8: store(UInt8(clamping: value), at: at)
        case .int8: store(Int8(clamping: value), at: at)
        case .uint16: store(UInt16(clamping: value), at: at)
        case .int16: store(Int16(clamping: value), at: at)
        case .uint32: store(UInt32(clamping: value), at: at)
        case .int32: store(Int32(clamping: value), at: at)
        case .uint64: store(UInt64(clamping: value), at: at)
        case .int64: store(Int64(clamping: value), at: at)
        case .float, .double: preconditionFailure("integer written to a floating-point field")
        }
    }

    /// Writes a number to a `float` field (rounded to Float) or a `double` field.
    @inlinable
    public mutating func set(_ slot: MAVLinkFieldSlot, _ value: Double, element: Int = 0) {
        precondition(element >= 0 && element < slot.count, "element index past the field")
        let at = slot.offset &+ element &* slot.type.size
        switch slot.type {
        case .float: store(Float(value).bitPattern, at: at)
        case .double: store(value.bitPattern, at: at)
        default: preconditionFailure("floating-point value written to an integer field")
        }
    }

    /// Writes a Float to a `float` field bit for bit (NaN payloads included).
    @inlinable
    public mutating func set(_ slot: MAVLinkFieldSlot, _ value: Float, element: Int = 0) {
        precondition(slot.type == .float, "Float written to a field that is not float")
        precondition(element >= 0 && element < slot.count, "element index past the field")
        store(value.bitPattern, at: slot.offset &+ element &* 4)
    }

    /// Writes text into a `char[N]` field: at most N bytes, the rest left NUL.
    @inlinable
    public mutating func setText(_ slot: MAVLinkFieldSlot, _ text: some Collection<UInt8>) {
        precondition(slot.type == .char, "text written to a field that is not char[N]")
        var at = slot.offset
        for byte in text.prefix(slot.count) {
            bytes[at] = byte
            at &+= 1
        }
    }

    /// Writes a string's UTF-8 bytes into a `char[N]` field (truncated to N bytes).
    @inlinable
    public mutating func setText(_ slot: MAVLinkFieldSlot, _ text: String) {
        setText(slot, text.utf8)
    }

    /// The payload bytes written so far (full length, zero-filled).
    public var payload: UnsafeRawBufferPointer { UnsafeRawBufferPointer(bytes) }
}
