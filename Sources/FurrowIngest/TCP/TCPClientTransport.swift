import Logging
import Metrics
import NIOCore
import NIOPosix

/// Reads MAVLink (or any byte stream) from a TCP server — SITL and companion computers listen on port
/// 5760 — and stays connected: when the server refuses, closes or resets, it reconnects with backoff.
///
/// Every read becomes one ``ReceiveBurst`` (`peer: nil`) offered to the sink; refused bursts are counted
/// as drops. Logging and metrics are those of ``SerialTransport`` (`TCP link connected`,
/// `TCP connection lost, reconnecting`, `TCP link reconnected`; `furrow_transport_*{link}`).
///
/// ```swift
/// let sitl = TCPClientTransport(link: "sitl", host: "127.0.0.1", port: 5760, group: eventLoopGroup, logger: logger)
/// try await sitl.run(into: pipeline)      // until the task is cancelled
/// // elsewhere: try await sitl.send(commandLong)
/// ```
///
/// ## Topics
/// - Running: ``run(into:)``
/// - Writing back: ``send(_:)``
/// - Health: ``status``
public struct TCPClientTransport: Sendable {
    /// The link's name in the configuration (`sitl`); the bursts' `link`.
    public let link: String
    public let host: String
    public let port: Int
    /// Connected or not, the last error, how often it reconnected; shared by all copies of this value.
    public let status: StreamLinkStatus

    private let group: any EventLoopGroup
    private let logger: Logger
    private let backoff: ReconnectBackoff
    private let connectTimeout: Duration
    private let metrics: StreamTransportMetrics

    /// - Parameters:
    ///   - link: The link's name in the configuration; bursts, logs and metrics carry it.
    ///   - host: The server's name or address.
    ///   - port: The server's TCP port (5760 for ArduPilot SITL).
    ///   - group: The event loops that run the connection (the daemon's `MultiThreadedEventLoopGroup`).
    ///   - logger: Where state changes are logged.
    ///   - backoff: Waits between attempts to reconnect.
    ///   - connectTimeout: How long one connection attempt may take.
    ///   - metricsFactory: The metrics backend; the one bootstrapped in `MetricsSystem` by default.
    public init(
        link: String,
        host: String,
        port: Int,
        group: any EventLoopGroup,
        logger: Logger,
        backoff: ReconnectBackoff = ReconnectBackoff(),
        connectTimeout: Duration = .seconds(5),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.link = link
        self.host = host
        self.port = port
        self.group = group
        self.logger = logger
        self.backoff = backoff
        self.connectTimeout = connectTimeout
        self.metrics = StreamTransportMetrics(link: link, factory: metricsFactory)
        self.status = StreamLinkStatus(link: link, endpoint: "\(host):\(port)")
    }

    /// Connects and delivers what the server sends to `sink` until the task is cancelled; then closes the
    /// connection and returns normally. Refusals, timeouts, resets and closes are retried with backoff.
    /// Run one `run` per transport at a time.
    public func run(into sink: some ReceiveSink) async throws {
        let loop = StreamReconnectLoop(
            link: link,
            endpoint: "\(host):\(port)",
            wording: .init(
                connected: "TCP link connected",
                reconnected: "TCP link reconnected",
                lost: "TCP connection lost, reconnecting",
                unavailable: "cannot connect to TCP server, retrying",
                failed: "cannot connect to TCP server, giving up"
            ),
            backoff: backoff,
            logger: logger,
            metrics: metrics,
            status: status
        )
        try await loop.run { reason in
            try await connect(into: sink, closeReason: reason)
        } isPermanent: { _ in
            false
        } diagnoseClose: { _ in
            // The connection ended without an error: the server closed it (end of file).
            "closed by the server"
        }
    }

    /// Writes bytes to the server (MAVLink forwarding); returns when the kernel took them.
    ///
    /// - Throws: ``StreamLinkError`` while not connected; a channel error when the write failed.
    public func send(_ bytes: some Sequence<UInt8>) async throws {
        guard let connection = status.connection else {
            throw StreamLinkError(link: link, endpoint: "\(host):\(port)")
        }
        try await connection.channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    private func connect(into sink: some ReceiveSink, closeReason: CloseReason) async throws -> StreamConnection {
        let link = self.link
        let metrics = self.metrics
        let status = self.status
        let future = ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(connectTimeout))
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        BurstForwardingHandler(
                            link: link,
                            sink: sink,
                            metrics: metrics,
                            status: status,
                            closeReason: closeReason
                        )
                    )
                }
            }
            .connect(host: host, port: port)
        let channel = try await channelOrCancellation(future)
        return StreamConnection(channel: channel, serialPort: nil)
    }
}
