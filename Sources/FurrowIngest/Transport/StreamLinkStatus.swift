import NIOConcurrencyHelpers
import NIOCore

/// What a stream transport's link (a serial port, a TCP connection) is doing now, for `/healthz` and
/// logs; the transports update it, anyone may read it.
///
/// ```swift
/// let transport = SerialTransport(link: "radio", settings: settings, group: group, logger: logger)
/// let health = transport.status.snapshot
/// if !health.isConnected { print(health.link, health.lastError ?? "not yet opened") }
/// ```
public final class StreamLinkStatus: Sendable {
    /// One consistent reading of the status.
    public struct Snapshot: Sendable, Hashable {
        /// The link's name in the configuration (`radio`).
        public var link: String
        /// What the link opens: a device path (`/dev/ttyUSB0`) or `host:port`.
        public var endpoint: String
        /// True while the device is open or the connection is up.
        public var isConnected: Bool
        /// When the current connection was made, µs since the Unix epoch; nil while disconnected.
        public var connectedSince: Int64?
        /// The last failure (open, connect, read, disconnect), as a sentence; nil before any.
        public var lastError: String?
        /// How often the link came back after it had been connected.
        public var reopenCount: Int
        /// Failed attempts to open or connect since the link was last connected (or since start).
        public var failedAttempts: Int
        /// Bytes received, over all connections.
        public var receivedBytes: Int
        /// Bursts the sink refused (the pipeline was behind), over all connections.
        public var droppedBursts: Int
    }

    private struct State {
        var snapshot: Snapshot
        /// The open connection, for writing back.
        var connection: StreamConnection?
    }

    private let state: NIOLockedValueBox<State>

    init(link: String, endpoint: String) {
        let snapshot = Snapshot(
            link: link,
            endpoint: endpoint,
            isConnected: false,
            connectedSince: nil,
            lastError: nil,
            reopenCount: 0,
            failedAttempts: 0,
            receivedBytes: 0,
            droppedBursts: 0
        )
        state = NIOLockedValueBox(State(snapshot: snapshot, connection: nil))
    }

    /// The status now.
    public var snapshot: Snapshot {
        state.withLockedValue { $0.snapshot }
    }

    /// True while the device is open or the connection is up.
    public var isConnected: Bool {
        state.withLockedValue { $0.snapshot.isConnected }
    }

    // MARK: - Updates from the transport

    /// The open connection, or nil while disconnected.
    var connection: StreamConnection? {
        state.withLockedValue { $0.connection }
    }

    func connected(_ connection: StreamConnection, isReopen: Bool) {
        state.withLockedValue {
            $0.connection = connection
            $0.snapshot.isConnected = true
            $0.snapshot.connectedSince = receiveClockMicroseconds()
            $0.snapshot.failedAttempts = 0
            if isReopen {
                $0.snapshot.reopenCount += 1
            }
        }
    }

    func disconnected(reason: String) {
        state.withLockedValue {
            $0.connection = nil
            $0.snapshot.isConnected = false
            $0.snapshot.connectedSince = nil
            $0.snapshot.lastError = reason
        }
    }

    func attemptFailed(_ reason: String) {
        state.withLockedValue {
            $0.snapshot.failedAttempts += 1
            $0.snapshot.lastError = reason
        }
    }

    func received(bytes: Int, dropped: Bool) {
        state.withLockedValue {
            $0.snapshot.receivedBytes += bytes
            if dropped {
                $0.snapshot.droppedBursts += 1
            }
        }
    }
}

/// One open connection of a stream link: the channel that reads and writes, and for a serial link the
/// port (kept open for breaks; closed after the channel).
struct StreamConnection: Sendable {
    let channel: any Channel
    let serialPort: SerialPort?
}
