/// One column of a ``LogBatch``.
public struct LogColumn: Sendable {
    /// Typed storage.
    public enum Values: Sendable {
        /// Every integer type but uint64.
        case signed([Int64])
        case unsigned([UInt64])
        case float([Float])
        case double([Double])
        case text([String])
    }

    /// Field name.
    public let name: String
    /// The on-disk type.
    public let type: LogFieldType
    /// Unit, when the log gives one.
    public let unit: String?
    /// Shown value = raw / divisor (DataFlash `c C e E L`), nil for none.
    public let divisor: Double?
    /// The values.
    public let values: Values
}
