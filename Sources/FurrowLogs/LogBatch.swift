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
