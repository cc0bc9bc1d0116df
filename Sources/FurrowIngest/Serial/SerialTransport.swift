import Logging
import Metrics
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a serial port into the ingest pipeline and keeps it open: when the device goes away (a USB
/// adapter unplugged, the radio powered off) it reopens it with backoff until it is back.
///
/// Every read becomes one ``ReceiveBurst`` (`peer: nil`) offered to the sink; refused bursts are
/// counted as drops. The port is read by SwiftNIO (`NIOPipeBootstrap` over the tty's descriptor), so no
/// thread blocks on it.
///
/// Logs one line per state change: `serial link opened`, `serial device gone, retrying` (with the reason,
/// such as `Input/output error`), `serial link reopened` (with the number of attempts), each with `link`
/// and `endpoint` metadata. Metrics, each with dimension `link`: `furrow_transport_reopens_total`,
/// `furrow_transport_receive_bytes_total`, `furrow_transport_dropped_bursts_total`,
/// `furrow_transport_dropped_bytes_total` (counters) and `furrow_transport_connected` (gauge, 0 or 1).
///
/// ```swift
/// let settings = try SerialPortSettings(device: "/dev/ttyUSB0", baudRate: 57600, framing: "8N1")
/// let radio = SerialTransport(link: "radio", settings: settings, group: eventLoopGroup, logger: logger)
/// try await radio.run(into: pipeline)      // until the task is cancelled
/// // elsewhere: try await radio.send(heartbeat); radio.status.snapshot.isConnected
/// ```
///
/// ## Topics
/// - Running: ``run(into:)``
/// - Writing back: ``send(_:)``, ``sendBreak(duration:)``
/// - Health: ``status``
public struct SerialTransport: Sendable {
    /// The link's name in the configuration (`radio`); the bursts' `link`.
    public let link: String
    public let settings: SerialPortSettings
    /// Connected or not, the last error, how often it reopened; shared by all copies of this value.
    public let status: StreamLinkStatus

    private let group: any EventLoopGroup
    private let logger: Logger
    private let backoff: ReconnectBackoff
    private let metrics: StreamTransportMetrics

    /// - Parameters:
    ///   - link: The link's name in the configuration; bursts, logs and metrics carry it.
    ///   - settings: The port to open and how.
    ///   - group: The event loops that read the port (the daemon's `MultiThreadedEventLoopGroup`).
    ///   - logger: Where state changes are logged.
    ///   - backoff: Waits between attempts to reopen.
    ///   - metricsFactory: The metrics backend; the one bootstrapped in `MetricsSystem` by default.
    public init(
        link: String,
        settings: SerialPortSettings,
        group: any EventLoopGroup,
        logger: Logger,
        backoff: ReconnectBackoff = ReconnectBackoff(),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.link = link
        self.settings = settings
        self.group = group
        self.logger = logger
        self.backoff = backoff
        self.metrics = StreamTransportMetrics(link: link, factory: metricsFactory)
        self.status = StreamLinkStatus(link: link, endpoint: settings.device)
    }

    /// Opens the port and delivers what it reads to `sink` until the task is cancelled; then closes the
    /// port and returns normally.
    ///
    /// A missing, busy or forbidden device, a read error or end of file (unplugged) closes the port and
    /// retries with backoff. Run one `run` per transport at a time.
    ///
    /// - Throws: a ``SerialPortError`` retrying cannot fix: the path is not a tty
    ///   (``SerialPortError/notATerminal(path:)``), or the driver refuses the settings
    ///   (``SerialPortError/settingsNotApplied(requested:actual:)``).
    public func run(into sink: some ReceiveSink) async throws {
        let loop = StreamReconnectLoop(
            link: link,
            endpoint: settings.device,
            wording: .init(
                connected: "serial link opened",
                reconnected: "serial link reopened",
                lost: "serial device gone, retrying",
                unavailable: "cannot open serial device, retrying",
                failed: "cannot use serial device, giving up"
            ),
            backoff: backoff,
            logger: logger,
            metrics: metrics,
            status: status
        )
        try await loop.run { reason in
            try await open(into: sink, closeReason: reason)
        } isPermanent: { error in
            (error as? SerialPortError)?.isPermanent ?? false
        } diagnoseClose: { connection in
            // NIO reports a tty's hangup (USB adapter pulled, pty master closed: the kernel hangs the tty
            // up and reads return 0) as end of file; a read on the port's own descriptor tells a hangup
            // or an I/O error from a channel closed for another reason.
            guard let port = connection.serialPort else { return nil }
            do throws(SerialPortError) {
                _ = try port.read(maximumCount: 1)
                return nil
            } catch .deviceGone(_, let errno) {
                return errno.map(SerialPortError.text) ?? "hung up"
            } catch {
                return nil
            }
        }
    }

    /// Writes bytes to the port (MAVLink forwarding, Modbus requests); returns when the driver took them.
    ///
    /// - Throws: ``StreamLinkError`` while the port is not open; a channel error when the write failed.
    public func send(_ bytes: some Sequence<UInt8>) async throws {
        guard let connection = status.connection else {
            throw StreamLinkError(link: link, endpoint: settings.device)
        }
        let buffer = ByteBuffer(bytes: bytes)
        try await connection.channel.writeAndFlush(buffer)
    }

    /// Holds the line in break for `duration` (SDI-12: at least 12 ms), then releases it.
    ///
    /// Does not wait for earlier ``send(_:)`` bytes to leave the UART; await them first.
    ///
    /// - Throws: ``StreamLinkError`` while the port is not open; ``SerialPortError`` when the driver
    ///   refuses.
    public func sendBreak(duration: Duration = .milliseconds(250)) async throws {
        guard let port = status.connection?.serialPort else {
            throw StreamLinkError(link: link, endpoint: settings.device)
        }
        try port.setBreak(true)
        do {
            try await Task.sleep(for: duration)
        } catch {
            try? port.setBreak(false)
            throw error
        }
        try port.setBreak(false)
    }

    /// Opens and configures the port and hands duplicates of its descriptor (one to read, one to write)
    /// to a NIO pipe channel; the port keeps its own for breaks.
    private func open(into sink: some ReceiveSink, closeReason: CloseReason) async throws -> StreamConnection {
        let port = try SerialPort(opening: settings)
        let input: CInt
        let output: CInt
        do throws(SerialPortError) {
            input = try port.duplicateDescriptor()
            do throws(SerialPortError) {
                output = try port.duplicateDescriptor()
            } catch {
                _ = closeDuplicate(input)
                throw error
            }
        } catch {
            port.close()
            throw error
        }
        let link = self.link
        let metrics = self.metrics
        let status = self.status
        let future = NIOPipeBootstrap(group: group)
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
            .takingOwnershipOfDescriptors(input: input, output: output)
        do {
            let channel = try await future.get()
            return StreamConnection(channel: channel, serialPort: port)
        } catch {
            // NIO did not take the descriptors, so they are still ours to close.
            _ = closeDuplicate(input)
            _ = closeDuplicate(output)
            port.close()
            throw error
        }
    }
}

private func closeDuplicate(_ descriptor: CInt) -> CInt {
    close(descriptor)
}
