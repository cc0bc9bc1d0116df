import Logging
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The links replies can go back through: each UDP link's socket and the address it last heard from, and
/// each stream link's (serial, TCP) writer.
final class ReplyRoutes: Sendable {
    let routes = NIOLockedValueBox<[String: (channel: any Channel, sender: UDPLastSender)]>([:])
    /// Per stream link, a queue drained by one task, so replies reach the link in the order they came.
    let streams = NIOLockedValueBox<[String: AsyncStream<[UInt8]>.Continuation]>([:])
    let streamFailures = Counter(label: "furrow_forward_replies_failed_total")

    func add(link: String, channel: any Channel, sender: UDPLastSender) {
        routes.withLockedValue { $0[link] = (channel, sender) }
    }

    func add(link: String, send: @escaping @Sendable ([UInt8]) async throws -> Void) {
        let (replies, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        let failures = streamFailures
        Task {
            for await reply in replies {
                do { try await send(reply) } catch { failures.increment() }
            }
        }
        streams.withLockedValue { $0[link] = continuation }
    }

    /// Ends the stream links' reply queues.
    func close() {
        for continuation in streams.withLockedValue({ $0.values }) { continuation.finish() }
    }

    /// Sends `bytes` from each of `links` (all when nil) to the address that link last heard from; returns
    /// how many datagrams went out.
    func send(_ bytes: ByteBuffer, toLinks links: Set<String>?) -> Int {
        var sent = 0
        for (link, route) in routes.withLockedValue({ $0 }) where links?.contains(link) ?? true {
            guard let address = route.sender.address.withLockedValue({ $0 }) else { continue }
            route.channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: bytes), promise: nil)
            sent += 1
        }
        // Serial and TCP links: written in order per link; a link that is down (unplugged, reconnecting)
        // loses the reply, counted, as a radio out of range would.
        for (link, queue) in streams.withLockedValue({ $0 }) where links?.contains(link) ?? true {
            queue.yield(Array(bytes.readableBytesView))
            sent += 1
        }
        return sent
    }
}

/// Sends received datagrams and stream pieces on, unchanged, to other UDP endpoints (ground stations), and
/// routes what those send back (commands, mission uploads, parameter requests) to the vehicles through the
/// UDP links they were forwarded from, as mavlink-router does.
final class Forwarder: Sendable {
    let channel: any Channel
    let targets: [(target: ForwardTarget, address: SocketAddress)]
    let forwarded: Counter

    init(channel: any Channel, targets: [(ForwardTarget, SocketAddress)]) {
        self.channel = channel
        self.targets = targets
        self.forwarded = Counter(label: "furrow_forwarded_datagrams_total")
    }

    /// A forwarder with its own socket, or nil when there is nothing to forward to.
    static func start(
        targets: [ForwardTarget], routes: ReplyRoutes, group: any EventLoopGroup, logger: Logger
    ) async throws -> Forwarder? {
        guard !targets.isEmpty else { return nil }
        let resolved = try targets.map { ($0, try SocketAddress.makeAddressResolvingHost($0.host, port: $0.port)) }
        let replies = ForwardReplyHandler(targets: resolved, routes: routes)
        let channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(replies) }
            }
            .bind(host: resolved.first.map { $0.1.protocol == .inet6 } == true ? "::" : "0.0.0.0", port: 0).get()
        for (target, address) in resolved {
            logger.info("forwarding \(target.links.map { $0.sorted().joined(separator: ",") } ?? "all links") to \(address)")
        }
        return Forwarder(channel: channel, targets: resolved)
    }

    /// Forwards every piece of the bursts to the targets that take its link.
    func forward(_ bursts: [ReceiveBurst]) {
        var envelopes: [AddressedEnvelope<ByteBuffer>] = []
        for burst in bursts where !burst.isEmpty {
            for (target, address) in targets where target.links?.contains(burst.link) ?? true {
                for piece in burst.pieces {
                    let buffer = channel.allocator.buffer(bytes: burst.bytes[piece.range])
                    envelopes.append(AddressedEnvelope(remoteAddress: address, data: buffer))
                }
            }
        }
        guard !envelopes.isEmpty else { return }
        forwarded.increment(by: envelopes.count)
        let channel = self.channel
        let batch = envelopes
        channel.eventLoop.execute {
            for envelope in batch { channel.write(envelope, promise: nil) }
            channel.flush()
        }
    }

    func close() {
        channel.close(promise: nil)
    }
}

/// Datagrams a forward target sends back: to the vehicles of the links forwarded to it.
final class ForwardReplyHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    let targets: [(target: ForwardTarget, address: SocketAddress)]
    let routes: ReplyRoutes
    let replies = Counter(label: "furrow_forward_replies_total")
    let ignored = Counter(label: "furrow_forward_replies_ignored_total")

    init(targets: [(ForwardTarget, SocketAddress)], routes: ReplyRoutes) {
        self.targets = targets
        self.routes = routes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        // Only a configured target may talk to the vehicles, and only through the links forwarded to it.
        guard let target = targets.first(where: { $0.address == envelope.remoteAddress })?.target else {
            ignored.increment()
            return
        }
        replies.increment(by: routes.send(envelope.data, toLinks: target.links))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
