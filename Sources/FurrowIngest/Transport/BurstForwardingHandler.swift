import Metrics
import NIOConcurrencyHelpers
import NIOCore

/// Hands every read of a stream channel to the sink as one burst (`peer: nil`), counting bytes and drops;
/// notes the first error for the log and closes the channel on it.
///
/// Runs on the channel's event loop: the sink's `offer` is synchronous and must not block.
final class BurstForwardingHandler<Sink: ReceiveSink>: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let link: String
    private let sink: Sink
    private let metrics: StreamTransportMetrics
    private let status: StreamLinkStatus
    private let closeReason: CloseReason

    init(link: String, sink: Sink, metrics: StreamTransportMetrics, status: StreamLinkStatus, closeReason: CloseReason)
    {
        self.link = link
        self.sink = sink
        self.metrics = metrics
        self.status = status
        self.closeReason = closeReason
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let count = buffer.readableBytes
        guard count > 0 else { return }
        var burst = ReceiveBurst(link: link)
        burst.append(buffer.readableBytesView, peer: nil, receivedAt: receiveClockMicroseconds())
        metrics.receivedBytes.increment(by: Int64(count))
        let accepted = sink.offer(burst)
        if !accepted {
            metrics.droppedBursts.increment()
            metrics.droppedBytes.increment(by: Int64(count))
        }
        status.received(bytes: count, dropped: !accepted)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        closeReason.note(error)
        context.close(promise: nil)
    }
}

/// The first error a connection saw, which is why it closed; nil when it ended cleanly (end of file).
final class CloseReason: Sendable {
    private let error = NIOLockedValueBox<(any Error)?>(nil)

    func note(_ error: any Error) {
        self.error.withLockedValue { $0 = $0 ?? error }
    }

    var firstError: (any Error)? {
        error.withLockedValue { $0 }
    }
}
