import FurrowStore
import Logging
import NIOCore
import NIOPosix
import NIOConcurrencyHelpers

/// The UDP socket of one `[[lorawan]]` link: answers PUSH_DATA with PUSH_ACK and PULL_DATA with PULL_ACK,
/// and turns what the gateways heard into sensor readings (see `LoRaWANNetwork`).
///
/// Malformed datagrams, bad JSON and unknown DevAddrs are counted on `lorawan-<link>`; MIC failures,
/// replayed counters and undecodable payloads on the device's source; each kind is logged at most once a
/// minute per source. Nothing a gateway sends stops the socket. Runs until its task is cancelled.
public struct LoRaWANListener: Sendable {
    public let link: DaemonConfiguration.LoRaWANLink
    let profiles: [String: SensorProfile]
    public let writer: SensorReadingWriter
    let group: any EventLoopGroup
    let logger: Logger
    /// Where `/healthz` shows the socket.
    public var status: DaemonStatus?

    /// A listener for `link`; `profiles` by name give each device its decoder and channels.
    public init(
        link: DaemonConfiguration.LoRaWANLink, profiles: [String: SensorProfile], writer: SensorReadingWriter,
        group: any EventLoopGroup, logger: Logger
    ) {
        self.link = link
        self.profiles = profiles
        self.writer = writer
        self.group = group
        self.logger = logger
    }

    /// Binds the socket (throws when it cannot: a port in use must fail the start) and returns the loop to run.
    public func bind() async throws -> NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>> {
        try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: link.listen.host, port: link.listen.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(
                        wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Serves the bound socket until cancelled.
    public func run(_ channel: NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>) async throws {
        let start = ContinuousClock.now
        var state = LoRaWANNetwork(link: link, profiles: profiles, wallAtZero: receiveClockMicroseconds())
        // The last frame counter each device had is its last stored reading's `fcnt`: replays stay refused across restarts.
        for device in link.devices {
            let key = StoreSeriesKey(
                group: StoreGroupKey(project: writer.project, source: device.source, name: SensorReadingWriter.group), channel: "fcnt")
            if case .float64(let values)? = try? await writer.store.latest(key)?.value, let last = values.last,
                let counter = UInt32(exactly: last)
            {
                state.resume(devAddr: device.devAddr, counter: counter)
                logger.info("LoRaWAN \(device.source): resuming after frame counter \(counter)")
            }
        }
        let network = NIOLockedValueBox(state)
        let problems = ThrottledLog(logger: logger, interval: .seconds(60))
        let writer = self.writer
        let logger = self.logger
        logger.info("LoRaWAN \(link.name): listening on udp \(link.listen), \(link.devices.count) devices")
        status?.setLink(link.name, endpoint: "lorawan udp \(link.listen)", connected: true)

        @Sendable func report(_ found: [LoRaWANNetwork.Problem]) {
            for problem in found {
                problem.metrics.error(problem.kind)
                problems.error("lorawan-\(problem.kind.rawValue)", key: "\(problem.metrics.source)/\(problem.kind.rawValue)", problem.message)
            }
        }
        @Sendable func store(_ rows: [LoRaWANNetwork.Row]) async {
            for row in rows {
                do {
                    try await writer.write(
                        source: row.source, group: row.group, channels: row.channels, values: row.values, at: row.timestamp,
                        after: nil)
                } catch {
                    problems.error("sensor-store", "LoRaWAN \(row.source): reading not stored: \(error)")
                }
            }
        }

        try await withThrowingDiscardingTaskGroup { tasks in
            // Hands over uplinks whose de-duplication window closed.
            tasks.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(50))
                    let (rows, found) = network.withLockedValue { $0.drain(now: ContinuousClock.now - start) }
                    report(found)
                    await store(rows)
                }
            }
            try await channel.executeThenClose { inbound, outbound in
                try await withTaskCancellationHandler {
                    for try await envelope in inbound {
                        let bytes = Array(envelope.data.readableBytesView)
                        let (ack, rows, found) = network.withLockedValue {
                            $0.receive(bytes, now: ContinuousClock.now - start, wall: receiveClockMicroseconds())
                        }
                        if let ack {
                            try? await outbound.write(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: ack)))
                        }
                        report(found)
                        await store(rows)
                    }
                } onCancel: {
                    outbound.finish()
                }
            }
            tasks.cancelAll()
        }
    }
}
