/// One field of a flight-log message layout: where it lies in the message body and how to read it.
public struct LogField: Sendable, Hashable {
    /// How the bytes of a field form a value.
    public enum Shape: Sendable, Hashable {
        /// One element.
        case scalar
        /// `count` character bytes read as one string (DataFlash `n N Z`).
        case text
        /// `count` elements read as one array (DataFlash `a`).
        case array
    }

    /// The column name (DataFlash) or flattened path (ULog: `accel[0]`, `esc[1].rpm`).
    public let name: String
    /// Element type.
    public let type: LogFieldType
    /// Scalar, text or array.
    public let shape: Shape
    /// Elements (1 for a scalar; bytes for text).
    public let count: Int
    /// Byte offset in the message body (after the DataFlash 3-byte header / the ULog msg_id).
    public let offset: Int
    /// For DataFlash `c C e E L`: the shown value is the raw integer divided by this (100, 1/1e-7),
    /// exactly as pymavlink divides.
    public let divisor: Double?
    /// Unit from DataFlash FMTU/UNIT/MULT (nil when the log does not say).
    public var unit: String?
    /// The multiplier from DataFlash FMTU/MULT (raw × multiplier = SI value), nil when not given.
    public var multiplier: Double?

    public init(
        name: String, type: LogFieldType, shape: Shape = .scalar, count: Int = 1, offset: Int, divisor: Double? = nil
    ) {
        self.name = name
        self.type = type
        self.shape = shape
        self.count = count
        self.offset = offset
        self.divisor = divisor
    }

    /// Bytes the field takes.
    @inlinable public var size: Int { type.size * count }

    /// Reads the field from a message body that the caller has checked is at least `offset + size` long.
    @inlinable
    public func value(in body: UnsafeRawPointer) -> LogValue {
        let p = body + offset
        switch shape {
        case .text:
            return .text(LogValue.text(from: UnsafeRawBufferPointer(start: p, count: count)))
        case .array:
            var values: [Int64] = []
            values.reserveCapacity(count)
            for i in 0..<count { values.append(type.loadInteger(p + i * type.size)) }
            return .signedArray(values)
        case .scalar:
            let raw = type.load(p)
            guard let divisor else { return raw }
            switch raw {
            case .signed(let v): return .double(Double(v) / divisor)
            case .unsigned(let v): return .double(Double(v) / divisor)
            default: return raw
            }
        }
    }
}
