import Logging
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Receives MAVLink (or any datagram protocol) on one UDP port and hands the datagrams on in bursts.
///
/// Reads up to 64 datagrams per system call (`recvmmsg`) and delivers everything one wake-up read as one
/// burst. Each datagram keeps its sender (`udp:[addr]:port`) and receive time. The socket buffer is raised
/// so a short stall of the pipeline does not drop datagrams in the kernel; when the pipeline's queue is full
/// the burst is dropped and counted.
public struct UDPTransport: Sendable {
    /// The link's name in the configuration.
    public let link: String
    public let host: String
    public let port: Int
    public let group: any EventLoopGroup
    public let logger: Logger
    /// Largest datagram received whole; larger ones are cut (MAVLink frames are ≤ 280 bytes and ground
    /// stations pack at most one MTU).
    public static let maximumDatagramSize = 4096
    /// Datagrams per `recvmmsg`.
    public static let datagramsPerRead = 64

    public init(link: String, host: String, port: Int, group: any EventLoopGroup, logger: Logger) {
        self.link = link
        self.host = host
        self.port = port
        self.group = group
        self.logger = logger
    }

    /// Binds the socket and returns the bound channel (port 0 picks a free port: see `localAddress`).
    ///
    /// - Parameter lastSender: updated with the address of the last datagram of each read, so replies (from
    ///   a forwarded ground station) can go back to the vehicle.
    public func bind(into sink: some ReceiveSink, lastSender: UDPLastSender? = nil) async throws -> any Channel {
        let handler = UDPReceiveHandler(link: link, sink: sink, lastSender: lastSender)
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(.so_rcvbuf), value: 8 << 20)
            .channelOption(.datagramVectorReadMessageCount, value: Self.datagramsPerRead)
            .channelOption(.maxMessagesPerRead, value: 4)
            .channelOption(
                .recvAllocator,
                value: FixedSizeRecvByteBufferAllocator(capacity: Self.maximumDatagramSize * Self.datagramsPerRead)
            )
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler) }
            }
            .bind(host: host, port: port)
            .get()
        logger.info("link \(link): listening on udp \(channel.localAddress?.description ?? "\(host):\(port)")")
        return channel
    }

    /// Binds and receives until the task is cancelled, then closes the socket.
    public func run(into sink: some ReceiveSink) async throws {
        let channel = try await bind(into: sink)
        await withTaskCancellationHandler {
            try? await channel.closeFuture.get()
        } onCancel: {
            channel.close(promise: nil)
        }
    }
}

/// The address a UDP link last received from (the vehicle or the router in front of it).
public final class UDPLastSender: Sendable {
    public let address = NIOLockedValueBox<SocketAddress?>(nil)

    public init() {}
}

/// Collects the datagrams of one read into a burst; hands it on at `channelReadComplete`.
final class UDPReceiveHandler<Sink: ReceiveSink>: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    let link: String
    let sink: Sink
    let lastSender: UDPLastSender?
    var lastAddress: SocketAddress?
    var burst: ReceiveBurst
    /// Sender names already formatted (bounded: cleared when it grows past `maximumPeers`): IPv4 senders
    /// by address and port packed in one integer (hashing a `SocketAddress` per datagram cost 5 % of the
    /// daemon's CPU at 100 k datagrams/s), others by their address.
    var peerNamesV4: [UInt64: String] = [:]
    var peerNames: [SocketAddress: String] = [:]
    static var maximumPeers: Int { 65_536 }
    let receivedBytes: Counter
    let receivedDatagrams: Counter
    let droppedBursts: Counter
    let droppedBytes: Counter

    init(link: String, sink: Sink, lastSender: UDPLastSender?) {
        self.link = link
        self.sink = sink
        self.lastSender = lastSender
        self.burst = ReceiveBurst(link: link)
        let dimensions = [("link", link)]
        receivedBytes = Counter(label: "furrow_transport_receive_bytes_total", dimensions: dimensions)
        receivedDatagrams = Counter(label: "furrow_transport_receive_datagrams_total", dimensions: dimensions)
        droppedBursts = Counter(label: "furrow_transport_dropped_bursts_total", dimensions: dimensions)
        droppedBytes = Counter(label: "furrow_transport_dropped_bytes_total", dimensions: dimensions)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let peer = peerName(envelope.remoteAddress)
        lastAddress = envelope.remoteAddress
        let now = receiveClockMicroseconds()
        envelope.data.withUnsafeReadableBytes { burst.append($0, peer: peer, receivedAt: now) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        guard !burst.isEmpty else { return }
        if let lastSender, let lastAddress { lastSender.address.withLockedValue { $0 = lastAddress } }
        let size = burst.bytes.count
        let count = burst.pieces.count
        if sink.offer(burst) {
            receivedBytes.increment(by: size)
            receivedDatagrams.increment(by: count)
        } else {
            droppedBursts.increment()
            droppedBytes.increment(by: size)
        }
        burst = ReceiveBurst(link: link)
        burst.bytes.reserveCapacity(Swift.max(size, 4096))
        burst.pieces.reserveCapacity(count)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP port-unreachable and similar per-datagram errors must not close the listening socket.
    }

    func peerName(_ address: SocketAddress) -> String {
        if case .v4(let v4) = address {
            let raw = v4.address
            let key = UInt64(raw.sin_addr.s_addr) << 16 | UInt64(raw.sin_port)
            if let name = peerNamesV4[key] { return name }
            if peerNamesV4.count >= Self.maximumPeers { peerNamesV4.removeAll(keepingCapacity: true) }
            let name = Self.format(address)
            peerNamesV4[key] = name
            return name
        }
        if let name = peerNames[address] { return name }
        if peerNames.count >= Self.maximumPeers { peerNames.removeAll(keepingCapacity: true) }
        let name = Self.format(address)
        peerNames[address] = name
        return name
    }

    /// `127.0.0.1:14550`, `[::1]:14550`.
    static func format(_ address: SocketAddress) -> String {
        switch (address.protocol, address.ipAddress, address.port) {
        case (.inet6, let ip?, let port?): "[\(ip)]:\(port)"
        case (_, let ip?, let port?): "\(ip):\(port)"
        default: "\(address)"
        }
    }
}
