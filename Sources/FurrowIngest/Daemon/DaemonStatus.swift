import Synchronization

/// What `/healthz` reports: each link's state and the pipeline's progress, updated by the daemon's parts.
public final class DaemonStatus: Sendable {
    public struct Link: Sendable, Codable, Hashable {
        public var name: String
        /// `udp 0.0.0.0:14550`, `serial /dev/ttyUSB0 57600 8N1`, `tcp 127.0.0.1:5760`.
        public var endpoint: String
        public var connected: Bool
        public var lastError: String?
        /// Stream links: times the device or connection was reopened, and receive counters.
        public var reopenCount: Int?
        public var receivedBytes: Int?
        public var droppedBursts: Int?
    }

    public struct Snapshot: Sendable, Codable {
        public var status: String
        public var startedAt: Int64
        public var links: [Link]
        public var framesProcessed: Int
        public var queuedBytes: Int
        public var rowsSinceCheckpoint: Int
        public var lastCheckpointAt: Int64?
        public var recoveredReceives: Int
        public var lastError: String?
    }

    let state: Mutex<Snapshot>
    /// Stream links keep their own status (they reopen on their own); read at each snapshot.
    let streams = Mutex<[StreamLinkStatus]>([])

    public init() {
        state = Mutex(
            Snapshot(
                status: "starting", startedAt: receiveClockMicroseconds(), links: [], framesProcessed: 0, queuedBytes: 0,
                rowsSinceCheckpoint: 0, lastCheckpointAt: nil, recoveredReceives: 0, lastError: nil))
    }

    public var snapshot: Snapshot {
        var snapshot = state.withLock { $0 }
        for stream in streams.withLock({ $0 }) {
            let s = stream.snapshot
            snapshot.links.append(
                Link(
                    name: s.link, endpoint: s.endpoint, connected: s.isConnected, lastError: s.lastError,
                    reopenCount: s.reopenCount, receivedBytes: s.receivedBytes, droppedBursts: s.droppedBursts))
        }
        return snapshot
    }

    /// Reports a stream link's status from now on.
    public func add(_ stream: StreamLinkStatus) {
        streams.withLock { $0.append(stream) }
    }

    public func update(_ body: (inout Snapshot) -> Void) {
        state.withLock { body(&$0) }
    }

    /// Sets one link's state (added on first call).
    public func setLink(_ name: String, endpoint: String, connected: Bool, error: String? = nil) {
        state.withLock { s in
            let link = Link(name: name, endpoint: endpoint, connected: connected, lastError: error)
            if let i = s.links.firstIndex(where: { $0.name == name }) { s.links[i] = link } else { s.links.append(link) }
        }
    }
}
