import Logging
import Metrics
import NIOCore
import NIOPosix

/// Sends received datagrams and stream pieces on, unchanged, to other UDP endpoints (ground stations).
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
    static func start(targets: [ForwardTarget], group: any EventLoopGroup, logger: Logger) async throws -> Forwarder? {
        guard !targets.isEmpty else { return nil }
        let resolved = try targets.map { ($0, try SocketAddress.makeAddressResolvingHost($0.host, port: $0.port)) }
        let channel = try await DatagramBootstrap(group: group).bind(host: "0.0.0.0", port: 0).get()
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
