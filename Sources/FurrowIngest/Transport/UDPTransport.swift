import Foundation
import Logging
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Receives MAVLink (or any datagram protocol) on one UDP port and hands the datagrams on in bursts.
///
/// The socket is read by a thread of its own with `recvmmsg`, up to 64 datagrams per system call (see
/// `UDPReceiveLoop`), and everything one wake-up reads (at most 256 datagrams) goes on as one burst. Each
/// datagram keeps its sender (`127.0.0.1:54321`, `[::1]:54321`) and receive time. The socket's receive
/// buffer is raised (beyond `net.core.rmem_max` where the daemon may) so a stall of a few hundred
/// milliseconds does not drop datagrams in the kernel; when the pipeline's queue is full the burst is
/// dropped and counted. The socket is also a NIO channel, with reads off, through which replies go out.
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
    public static var datagramsPerRead: Int { UDPReceiveLoop.datagramsPerRead }
    /// The socket receive buffer asked for. The kernel charges each queued datagram of a small frame 832
    /// bytes on loopback (measured: `rx_queue` in /proc/net/udp) and allows twice the size asked for, so
    /// 32 MiB holds ~80,000 datagrams: 0.4 s of 200,000/s while the daemon's threads are busy elsewhere (the
    /// old 8 MiB, capped at `net.core.rmem_max` = 4 MiB here, held 50 ms). Memory only while it is used.
    public static let receiveBufferBytes = 32 << 20

    public init(link: String, host: String, port: Int, group: any EventLoopGroup, logger: Logger) {
        self.link = link
        self.host = host
        self.port = port
        self.group = group
        self.logger = logger
    }

    /// Binds the socket and starts reading; returns the running receiver (port 0 picks a free port: see
    /// `localAddress`).
    ///
    /// - Parameter lastSender: updated with the address of the last datagram of each burst, so replies (from
    ///   a forwarded ground station) can go back to the vehicle.
    /// - Throws: `UDPTransportError` when the host does not resolve or the port cannot be bound.
    public func bind(into sink: some ReceiveSink, lastSender: UDPLastSender? = nil) async throws -> UDPReceiver {
        let endpoint = "\(host):\(port)"
        let address: SocketAddress
        do {
            address = try SocketAddress.makeAddressResolvingHost(host, port: port)
        } catch {
            throw UDPTransportError(code: .resolve, link: link, endpoint: endpoint)
        }
        let fd = try Self.openSocket(address, link: link, endpoint: endpoint)
        let channel: any Channel
        do {
            channel = try await DatagramBootstrap(group: group)
                .channelOption(.autoRead, value: false)
                .withBoundSocket(fd)
                .get()
        } catch {
            close(fd)
            throw error
        }
        let loop = UDPReceiveLoop(
            fd: fd, link: link, sink: sink, lastSender: lastSender, datagramSize: Self.maximumDatagramSize)
        let receiver = UDPReceiver(channel: channel, loop: loop, name: "udp-\(link)")
        logger.info("link \(link): listening on udp \(channel.localAddress?.description ?? endpoint)")
        return receiver
    }

    /// Binds and receives until the task is cancelled, then closes the socket.
    public func run(into sink: some ReceiveSink) async throws {
        let receiver = try await bind(into: sink)
        await withTaskCancellationHandler {
            try? await receiver.channel.closeFuture.get()
        } onCancel: {
            receiver.stop()
        }
        await receiver.close()
    }

    /// A bound UDP socket of `address`'s family with address reuse and a large receive buffer.
    static func openSocket(_ address: SocketAddress, link: String, endpoint: String) throws(UDPTransportError) -> Int32 {
        let fd = socket(address.protocol.rawValue, datagramSocketType, 0)
        guard fd >= 0 else { throw UDPTransportError(code: .socket, link: link, endpoint: endpoint, errno: errno) }
        var on: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var size = Int32(receiveBufferBytes)
        #if os(Linux)
            // Beyond net.core.rmem_max when the daemon may (CAP_NET_ADMIN); else as much as the limit allows.
            if setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size)) != 0 {
                _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            }
        #else
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        #endif
        let bound = address.withSockAddr { bindSocket(fd, $0, socklen_t($1)) }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw UDPTransportError(code: .bind, link: link, endpoint: endpoint, errno: code)
        }
        return fd
    }
}

/// A UDP link's socket being read: its channel (for replies and the bound address) and its reader thread.
///
/// The reader is a thread of its own at the process's normal priority (not one of the ingest threads, which
/// may run at a lower one): emptying the socket before its buffer fills is what keeps the kernel from
/// dropping datagrams. It closes the channel when it stops, so the descriptor is never closed under a read.
public final class UDPReceiver: Sendable {
    /// The socket as a NIO channel, reads off: replies to vehicles are written here.
    public let channel: any Channel
    let loop: UDPReceiveLoop

    init(channel: any Channel, loop: UDPReceiveLoop, name: String) {
        self.channel = channel
        self.loop = loop
        let thread = Thread { [channel, loop] in
            loop.run()
            channel.close(promise: nil)
        }
        thread.name = name
        thread.start()
    }

    deinit {
        loop.stop()
    }

    /// The bound address (with the port the system picked for port 0).
    public var localAddress: SocketAddress? { channel.localAddress }

    /// Stops reading (what was read is handed on first), then the socket closes; returns at once.
    public func stop() {
        loop.stop()
    }

    /// Stops reading and waits until the socket is closed.
    public func close() async {
        loop.stop()
        try? await channel.closeFuture.get()
    }
}

/// The address a UDP link last received from (the vehicle or the router in front of it).
public final class UDPLastSender: Sendable {
    public let address = NIOLockedValueBox<SocketAddress?>(nil)

    public init() {}
}

/// `bind(2)` (inside `UDPTransport` the name is its own method's).
private func bindSocket(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    bind(fd, address, length)
}
