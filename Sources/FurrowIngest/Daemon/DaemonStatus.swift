import Synchronization

/// What `/healthz` reports: each link's state and the pipeline's progress, updated by the daemon's parts.
public final class DaemonStatus: Sendable {
    public struct Link: Sendable, Codable, Hashable {
        public var name: String
        /// `udp 0.0.0.0:14550`, `serial /dev/ttyUSB0 57600 8N1`, `tcp 127.0.0.1:5760`.
        public var endpoint: String
        public var connected: Bool
        public var lastError: String?
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

    public init() {
        state = Mutex(
            Snapshot(
                status: "starting", startedAt: receiveClockMicroseconds(), links: [], framesProcessed: 0, queuedBytes: 0,
                rowsSinceCheckpoint: 0, lastCheckpointAt: nil, recoveredReceives: 0, lastError: nil))
    }

    public var snapshot: Snapshot { state.withLock { $0 } }

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
