/// Rows of one flight-log series in columns, the form the store ingests.
///
/// One batch holds consecutive messages of one series: a DataFlash type (and instance), or a ULog topic
/// and `multi_id`. Scaled DataFlash fields keep their raw integers with the ``LogColumn/divisor``, so the
/// store can keep them exactly.
public struct LogBatch: Sendable {
    /// `GPS`, `BAT[1]`, `sensor_combined`, `vehicle_gps_position[1]`.
    public let seriesKey: String
    /// The message or topic name.
    public let name: String
    /// The DataFlash instance value or the ULog `multi_id`, as text; nil for a single-instance series.
    public let instance: String?
    /// Microseconds since boot per row (DataFlash `TimeUS`, or the last one seen for messages without it;
    /// ULog `timestamp`).
    public let timestamps: [Int64]
    /// One column per scalar field (arrays flattened to `name[i]`, text fields as strings).
    public let columns: [LogColumn]

    /// Rows.
    @inlinable public var count: Int { timestamps.count }
}

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
