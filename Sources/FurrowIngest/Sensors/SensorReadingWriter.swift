import FurrowStore

/// Appends sensor readings to the store: one row group `reading` per sensor source, timestamps strictly
/// increasing per source (two readings in the same microsecond must not overwrite each other).
///
/// Rows go to the store's in-memory heads (queries see them at once); the ingest service's checkpoints
/// write them to SQLite with everything else.
public struct SensorReadingWriter: Sendable {
    /// The row-group name of sensor readings.
    public static let group = "reading"

    public let store: TimeSeriesStore
    public let project: String
    /// Where written groups are noted for the sensor service's flush.
    public let flushList: SensorFlushList

    public init(store: TimeSeriesStore, project: String, flushList: SensorFlushList = SensorFlushList()) {
        self.store = store
        self.project = project
        self.flushList = flushList
    }

    /// Stores one row; returns the timestamp used (pass it back as `after` for the next row of the source).
    @discardableResult
    public func write(
        source: String, group: String = SensorReadingWriter.group, channels: [StoreChannel], values: [Double],
        at time: Int64, after last: Int64?
    ) async throws -> Int64 {
        let timestamp = Swift.max(time, (last ?? .min) &+ 1)
        let key = StoreGroupKey(project: project, source: source, name: group)
        try await store.append(key, channels: channels, timestamps: [timestamp], columns: values.map { .float64([$0]) })
        flushList.touched(key)
        return timestamp
    }
}
