/// The newest row of one append to a row group, as live subscribers receive it.
public struct StoreLiveUpdate: Sendable {
    public let group: StoreGroupKey
    public let channels: [StoreChannel]
    /// The newest timestamp of the append (µs since the epoch).
    public let timestamp: Int64
    /// One value per channel, in channel order (each column holds one row).
    public let values: [StoreColumn]
}

struct LiveSubscriber {
    let project: String
    let source: String?
    let continuation: AsyncStream<StoreLiveUpdate>.Continuation
}

extension TimeSeriesStore {
    /// Streams the newest row of every append to `project` (and `source`, if given) from now on, so a live
    /// view sees values as they are ingested without polling. A slow reader loses the oldest updates, never
    /// the writer's time: the stream keeps the newest `buffer` updates.
    public func subscribeLive(project: String, source: String? = nil, buffer: Int = 256) -> AsyncStream<StoreLiveUpdate> {
        let (stream, continuation) = AsyncStream<StoreLiveUpdate>.makeStream(bufferingPolicy: .bufferingNewest(buffer))
        let id = nextLiveSubscriber
        nextLiveSubscriber += 1
        liveSubscribers[id] = LiveSubscriber(project: project, source: source, continuation: continuation)
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            Task { await self.unsubscribeLive(id) }
        }
        return stream
    }

    /// Live subscribers now connected (for tests and metrics).
    public var liveSubscriberCount: Int { liveSubscribers.count }

    func unsubscribeLive(_ id: Int) {
        liveSubscribers[id] = nil
    }

    func publishLive(_ key: StoreGroupKey, channels: [StoreChannel], timestamps: [Int64], columns: [StoreColumn]) {
        // The newest row by time (appends may arrive out of order).
        guard var newest = timestamps.indices.first else { return }
        for i in timestamps.indices where timestamps[i] >= timestamps[newest] { newest = i }
        var update: StoreLiveUpdate?
        for subscriber in liveSubscribers.values
        where subscriber.project == key.project && (subscriber.source == nil || subscriber.source == key.source) {
            if update == nil {
                update = StoreLiveUpdate(
                    group: key, channels: channels, timestamp: timestamps[newest],
                    values: columns.map { $0.slice(newest..<newest + 1) })
            }
            subscriber.continuation.yield(update!)
        }
    }
}
