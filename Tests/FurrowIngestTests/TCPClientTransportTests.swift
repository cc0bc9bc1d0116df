import FurrowIngest
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

/// A TCP server on 127.0.0.1 that keeps its accepted connections (to write to and close) and what they
/// received.
final class TestTCPServer: Sendable {
    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received: NIOLockedValueBox<[UInt8]>
        init(received: NIOLockedValueBox<[UInt8]>) { self.received = received }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            received.withLockedValue { $0 += buffer.readableBytesView }
        }
    }

    let channel: any Channel
    private let connections: NIOLockedValueBox<[any Channel]>
    private let receivedBytes: NIOLockedValueBox<[UInt8]>

    private init(
        channel: any Channel,
        connections: NIOLockedValueBox<[any Channel]>,
        received: NIOLockedValueBox<[UInt8]>
    ) {
        self.channel = channel
        self.connections = connections
        self.receivedBytes = received
    }

    static func start(port: Int = 0) async throws -> TestTCPServer {
        let connections = NIOLockedValueBox<[any Channel]>([])
        let received = NIOLockedValueBox<[UInt8]>([])
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                connections.withLockedValue { $0.append(child) }
                return child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(Collector(received: received))
                }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
        return TestTCPServer(channel: channel, connections: connections, received: received)
    }

    var port: Int { channel.localAddress?.port ?? 0 }
    var connectionCount: Int { connections.withLockedValue { $0.count } }
    var received: [UInt8] { receivedBytes.withLockedValue { $0 } }
    var latest: (any Channel)? { connections.withLockedValue { $0.last } }

    func send(_ bytes: [UInt8]) async throws {
        let connection = try #require(latest)
        try await connection.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    func closeLatestConnection() async throws {
        try await latest?.close()
    }

    func stop() async throws {
        try await channel.close()
        for connection in connections.withLockedValue({ $0 }) {
            try? await connection.close()
        }
    }
}

@Suite("TCPClientTransport")
struct TCPClientTransportTests {
    struct Running {
        var transport: TCPClientTransport
        var sink: CollectingSink
        var metrics: TestMetrics
        var logs: LogRecords
        var task: Task<Void, any Error>
    }

    static func start(port: Int, link: String = "sitl") -> Running {
        let metrics = TestMetrics()
        let logs = LogRecords()
        let sink = CollectingSink()
        let transport = TCPClientTransport(
            link: link,
            host: "127.0.0.1",
            port: port,
            group: MultiThreadedEventLoopGroup.singleton,
            logger: logs.logger(),
            backoff: ReconnectBackoff(initial: .milliseconds(20), maximum: .milliseconds(200)),
            metricsFactory: metrics
        )
        let task = Task { try await transport.run(into: sink) }
        return Running(transport: transport, sink: sink, metrics: metrics, logs: logs, task: task)
    }

    @Test func deliversEveryByteInOrder() async throws {
        let server = try await TestTCPServer.start()
        let running = Self.start(port: server.port)
        defer { running.task.cancel() }
        #expect(try await eventually { running.transport.status.isConnected && server.connectionCount == 1 })
        let pattern = testPattern(count: 1 << 20)
        for start in stride(from: 0, to: pattern.count, by: 65536) {
            try await server.send(Array(pattern[start..<min(start + 65536, pattern.count)]))
        }
        #expect(try await eventually(timeout: .seconds(8)) { running.sink.byteCount >= pattern.count })
        #expect(running.sink.bytes == pattern)
        for burst in running.sink.bursts {
            #expect(burst.link == "sitl")
            #expect(burst.pieces.count == 1)
            #expect(burst.pieces.first?.peer == nil)
        }
        #expect(running.metrics.value("furrow_transport_receive_bytes_total", link: "sitl") == Int64(pattern.count))
        #expect(running.metrics.value("furrow_transport_connected", link: "sitl") == 1)
        #expect(running.logs.count("TCP link connected") == 1)

        running.task.cancel()
        try await running.task.value
        #expect(running.metrics.value("furrow_transport_connected", link: "sitl") == 0)
        try await server.stop()
    }

    @Test func reconnectsWhenTheServerClosesTheConnection() async throws {
        let server = try await TestTCPServer.start()
        let running = Self.start(port: server.port)
        defer { running.task.cancel() }
        #expect(try await eventually { running.transport.status.isConnected && server.connectionCount == 1 })
        try await server.send(Array("first".utf8))
        #expect(try await eventually { running.sink.byteCount == 5 })

        try await server.closeLatestConnection()
        #expect(try await eventually { server.connectionCount == 2 && running.transport.status.isConnected })
        #expect(running.transport.status.snapshot.reopenCount == 1)
        #expect(running.metrics.value("furrow_transport_reopens_total", link: "sitl") == 1)
        #expect(running.logs.count("TCP connection lost, reconnecting") == 1)
        #expect(running.logs.first("TCP connection lost, reconnecting")?.metadata["error"] == "closed by the server")
        #expect(running.logs.count("TCP link reconnected") == 1)

        try await server.send(Array("second".utf8))
        #expect(try await eventually { running.sink.byteCount == 11 })
        #expect(running.sink.bytes == Array("firstsecond".utf8))

        running.task.cancel()
        try await running.task.value
        try await server.stop()
    }

    @Test func connectsOnceTheServerComesUp() async throws {
        // A port that was free a moment ago: nothing listens there now.
        let probe = try await TestTCPServer.start()
        let port = probe.port
        try await probe.stop()

        let running = Self.start(port: port)
        defer { running.task.cancel() }
        #expect(try await eventually { running.transport.status.snapshot.failedAttempts >= 3 })
        #expect(!running.transport.status.isConnected)
        #expect(running.transport.status.snapshot.lastError == "Connection refused")
        #expect(running.logs.count("cannot connect to TCP server, retrying") == 1)
        #expect(running.metrics.value("furrow_transport_connected", link: "sitl") == 0)

        let server = try await TestTCPServer.start(port: port)
        #expect(try await eventually { running.transport.status.isConnected && server.connectionCount == 1 })
        #expect(running.transport.status.snapshot.reopenCount == 0)
        let connected = try #require(running.logs.first("TCP link connected"))
        #expect(Int("\(connected.metadata["attempts"] ?? "0")") ?? 0 >= 4)
        try await server.send([0xFD, 0x09, 0x00])
        #expect(try await eventually { running.sink.bytes == [0xFD, 0x09, 0x00] })

        running.task.cancel()
        try await running.task.value
        try await server.stop()
    }

    @Test func sendsBytesToTheServer() async throws {
        let server = try await TestTCPServer.start()
        let running = Self.start(port: server.port)
        defer { running.task.cancel() }
        #expect(try await eventually { running.transport.status.isConnected })
        let message = testPattern(count: 10_000)
        try await running.transport.send(message)
        #expect(try await eventually { server.received.count >= message.count })
        #expect(server.received == message)

        running.task.cancel()
        try await running.task.value
        try await server.stop()
    }

    @Test func cancellingDuringBackoffReturnsPromptly() async throws {
        let probe = try await TestTCPServer.start()
        let port = probe.port
        try await probe.stop()
        let metrics = TestMetrics()
        let transport = TCPClientTransport(
            link: "gcs",
            host: "127.0.0.1",
            port: port,
            group: MultiThreadedEventLoopGroup.singleton,
            logger: LogRecords().logger(),
            backoff: ReconnectBackoff(initial: .seconds(30), maximum: .seconds(60)),
            metricsFactory: metrics
        )
        let task = Task { try await transport.run(into: CollectingSink()) }
        #expect(try await eventually { transport.status.snapshot.failedAttempts == 1 })
        let clock = ContinuousClock()
        let started = clock.now
        task.cancel()
        try await task.value
        // The backoff is 30 s: returning well before it proves cancellation ends the wait. (A 1 s bound failed at
        // 2.3 s once with 380 tests and two other builds sharing the 2 cores.)
        #expect(clock.now - started < .seconds(10))
    }
}
