import FurrowStore
import NIOConcurrencyHelpers

/// The row groups sensor writers appended to since the last flush: sensor readings are not in the raw
/// archive, so the sensor service writes them to SQLite every flush interval instead of waiting for the
/// ingest service's checkpoint (what a kill -9 loses is then one flush interval, as for MAVLink).
public final class SensorFlushList: Sendable {
    private let keys = NIOLockedValueBox<Set<StoreGroupKey>>([])

    public init() {}

    func touched(_ key: StoreGroupKey) {
        keys.withLockedValue { _ = $0.insert(key) }
    }

    /// The groups written since the last call, and forgets them.
    func take() -> [StoreGroupKey] {
        keys.withLockedValue { keys in
            defer { keys.removeAll(keepingCapacity: true) }
            return Array(keys)
        }
    }
}
