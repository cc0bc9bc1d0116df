import FurrowStore

/// One row group the mapper made from a batch: what `TimeSeriesStore.append` takes, minus the key's
/// project and source (which the daemon knows from the link and the source rules).
///
/// ```swift
/// for rows in mapper.map(batch) {
///     let key = StoreGroupKey(project: source.project, source: source.name, name: rows.group)
///     try store.append(key, channels: rows.channels, timestamps: rows.timestamps, columns: rows.columns)
/// }
/// ```
public struct MappedRows: Sendable {
    /// Row-group name (`StoreGroupKey.name`): the message name or the profile's `group`.
    public let group: String
    /// One per column, in the same order; identical for every batch of the same message and profile.
    public let channels: [StoreChannel]
    /// Microseconds since the Unix epoch, one per row.
    public let timestamps: [Int64]
    /// One per channel, each with `timestamps.count` values of the channel's `valueType`.
    public let columns: [StoreColumn]

    public init(group: String, channels: [StoreChannel], timestamps: [Int64], columns: [StoreColumn]) {
        self.group = group
        self.channels = channels
        self.timestamps = timestamps
        self.columns = columns
    }
}
