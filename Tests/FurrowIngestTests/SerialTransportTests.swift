import Foundation
import FurrowIngest
import Logging
import NIOCore
import NIOPosix
import Testing

/// SerialTransport against real pseudo-terminals made by socat: bytes written at one end must reach the
/// sink exactly; killing socat is an unplug, restarting it a replug.
@Suite("SerialTransport")
struct SerialTransportTests {
    static let fastBackoff = ReconnectBackoff(initial: .milliseconds(20), maximum: .milliseconds(200))

    /// A running transport on `pair.a`, its sink, metrics and logs; cancel `task` to stop it.
    struct Running {
        var transport: SerialTransport
        var sink: CollectingSink
        var metrics: TestMetrics
        var logs: LogRecords
        var task: Task<Void, any Error>
    }

    static func start(
        _ settings: SerialPortSettings,
        link: String = "radio",
        sink: CollectingSink = CollectingSink()
    ) -> Running {
        let metrics = TestMetrics()
        let logs = LogRecords()
        let transport = SerialTransport(
            link: link,
            settings: settings,
            group: MultiThreadedEventLoopGroup.singleton,
            logger: logs.logger(),
            backoff: fastBackoff,
            metricsFactory: metrics
        )
        let task = Task { try await transport.run(into: sink) }
        return Running(transport: transport, sink: sink, metrics: metrics, logs: logs, task: task)
    }

    /// Writes everything, waiting a little whenever the pty is full.
    static func writeAll(_ bytes: [UInt8], to port: SerialPort) async throws {
        var offset = 0
        while offset < bytes.count {
            let written = try port.write(bytes[offset..<min(offset + 4096, bytes.count)])
            offset += written
            if written == 0 {
                try await Task.sleep(for: .milliseconds(1))
            }
        }
    }

    @Test(arguments: [(57600, "8N1"), (921_600, "8N1"), (9600, "7E1")])
    func deliversEveryByteInOrder(baudRate: Int, framing: String) async throws {
        let pair = try SocatPtyPair()
        try await pair.start()
        let settings = try SerialPortSettings(device: pair.a, baudRate: baudRate, framing: framing)
        let running = Self.start(settings)
        defer { running.task.cancel() }
        #expect(try await eventually { running.transport.status.isConnected })
        #expect(running.metrics.value("furrow_transport_connected", link: "radio") == 1)

        let writer = try SerialPort(opening: SerialPortSettings(device: pair.b, baudRate: baudRate, framing: framing))
        defer { writer.close() }
        let pattern = testPattern(count: 1 << 20)
        let before = receiveClockMicroseconds()
        try await Self.writeAll(pattern, to: writer)
        #expect(try await eventually(timeout: .seconds(8)) { running.sink.byteCount >= pattern.count })
        let after = receiveClockMicroseconds()

        #expect(running.sink.bytes == pattern)
        let bursts = running.sink.bursts
        #expect(bursts.count > 1)
        var previous = before
        for burst in bursts {
            #expect(burst.link == "radio")
            #expect(burst.pieces.count == 1)
            #expect(burst.pieces.first?.peer == nil)
            #expect(burst.pieces.first?.range == 0..<burst.bytes.count)
            let time = burst.pieces.first?.receivedAt ?? 0
            #expect(time >= previous && time <= after)
            previous = time
        }
        #expect(running.metrics.value("furrow_transport_receive_bytes_total", link: "radio") == Int64(pattern.count))
        #expect(running.transport.status.snapshot.receivedBytes == pattern.count)
        #expect(running.metrics.value("furrow_transport_dropped_bursts_total", link: "radio") == 0)

        running.task.cancel()
        try await running.task.value  // returns normally on cancellation
        #expect(!running.transport.status.isConnected)
        #expect(running.transport.status.snapshot.lastError == "stopped")
        #expect(running.metrics.value("furrow_transport_connected", link: "radio") == 0)
        #expect(running.logs.count("serial link opened") == 1)
    }

    @Test func reopensAfterUnplug() async throws {
        let pair = try SocatPtyPair()
        try await pair.start()
        let settings = try SerialPortSettings(device: pair.a, baudRate: 57600, framing: "8N1")
        let running = Self.start(settings)
        defer { running.task.cancel() }
        #expect(try await eventually { running.transport.status.isConnected })

        var writer = try SerialPort(opening: SerialPortSettings(device: pair.b, baudRate: 57600))
        try await Self.writeAll(Array("before".utf8), to: writer)
        #expect(try await eventually { running.sink.byteCount == 6 })

        // Unplug: the device goes away; the transport notices, logs once, and keeps trying.
        writer.close()
        pair.stop()
        #expect(try await eventually { !running.transport.status.isConnected })
        #expect(try await eventually { running.transport.status.snapshot.failedAttempts >= 3 })
        #expect(running.metrics.value("furrow_transport_connected", link: "radio") == 0)
        let gone = try #require(running.logs.first("serial device gone, retrying"))
        #expect(gone.level == .warning)
        #expect(gone.metadata["link"] == "radio")
        #expect(gone.metadata["endpoint"] == "\(pair.a)")
        #expect(gone.metadata["error"] == "hung up")
        #expect(running.logs.count("serial device gone, retrying") == 1)
        #expect(running.logs.count("cannot open serial device, retrying") == 0)  // at debug level only
        #expect(running.logs.all.filter { $0.level == .debug }.count >= 2)
        let snapshot = running.transport.status.snapshot
        #expect(snapshot.lastError?.contains("not found") == true)
        #expect(snapshot.reopenCount == 0)

        // Replug under the same name: reopened, counted, and new bytes arrive.
        try await pair.start()
        #expect(try await eventually { running.transport.status.isConnected })
        #expect(running.transport.status.snapshot.reopenCount == 1)
        #expect(running.metrics.value("furrow_transport_reopens_total", link: "radio") == 1)
        #expect(running.metrics.value("furrow_transport_connected", link: "radio") == 1)
        let reopened = try #require(running.logs.first("serial link reopened"))
        #expect(Int("\(reopened.metadata["attempts"] ?? "0")") ?? 0 >= 2)
        #expect(running.logs.count("serial link reopened") == 1)

        writer = try SerialPort(opening: SerialPortSettings(device: pair.b, baudRate: 57600))
        defer { writer.close() }
        try await Self.writeAll(Array("after".utf8), to: writer)
        #expect(try await eventually { running.sink.byteCount == 11 })
        #expect(running.sink.bytes == Array("beforeafter".utf8))
        #expect(running.metrics.value("furrow_transport_receive_bytes_total", link: "radio") == 11)

        running.task.cancel()
        try await running.task.value
    }

    @Test func waitsForADeviceThatIsNotThereYet() async throws {
        let pair = try SocatPtyPair()
        let settings = try SerialPortSettings(device: pair.a, baudRate: 115_200)
        let running = Self.start(settings)
        defer { running.task.cancel() }
        #expect(try await eventually { running.transport.status.snapshot.failedAttempts >= 2 })
        #expect(running.logs.count("cannot open serial device, retrying") == 1)
        try await pair.start()
        #expect(try await eventually { running.transport.status.isConnected })
        #expect(running.logs.count("serial link opened") == 1)
        #expect(running.transport.status.snapshot.reopenCount == 0)  // a first open is not a reopen
        running.task.cancel()
        try await running.task.value
    }

    @Test func regularFileStopsTheTransport() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-not-a-tty-\(UUID())").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let running = Self.start(try SerialPortSettings(device: path, baudRate: 57600))
        await #expect(throws: SerialPortError.notATerminal(path: path)) {
            try await running.task.value
        }
        #expect(running.logs.count("cannot use serial device, giving up") == 1)
    }

    @Test func countsDroppedBursts() async throws {
        let pair = try SocatPtyPair()
        try await pair.start()
        let sink = CollectingSink()
        sink.setAccepting(false)
        let running = Self.start(try SerialPortSettings(device: pair.a, baudRate: 57600), sink: sink)
        defer { running.task.cancel() }
        #expect(try await eventually { running.transport.status.isConnected })
        let writer = try SerialPort(opening: SerialPortSettings(device: pair.b, baudRate: 57600))
        defer { writer.close() }
        try await Self.writeAll(testPattern(count: 1000), to: writer)
        #expect(
            try await eventually {
                running.metrics.value("furrow_transport_dropped_bytes_total", link: "radio") == 1000
            }
        )
        #expect((running.metrics.value("furrow_transport_dropped_bursts_total", link: "radio") ?? 0) >= 1)
        #expect(running.transport.status.snapshot.droppedBursts >= 1)
        #expect(sink.byteCount == 0)
    }

    @Test func sendingWhileClosedThrows() async throws {
        let transport = SerialTransport(
            link: "radio",
            settings: try SerialPortSettings(device: "/dev/null-radio", baudRate: 57600),
            group: MultiThreadedEventLoopGroup.singleton,
            logger: LogRecords().logger()
        )
        await #expect(throws: StreamLinkError(link: "radio", endpoint: "/dev/null-radio")) {
            try await transport.send([0xFE])
        }
        await #expect(throws: StreamLinkError.self) {
            try await transport.sendBreak()
        }
    }

    @Test func sendsBytesAndBreaks() async throws {
        let pair = try SocatPtyPair()
        try await pair.start()
        let running = Self.start(try SerialPortSettings(device: pair.a, baudRate: 57600))
        defer { running.task.cancel() }
        #expect(try await eventually { running.transport.status.isConnected })
        let reader = try SerialPort(opening: SerialPortSettings(device: pair.b, baudRate: 57600))
        defer { reader.close() }
        let message = testPattern(count: 300)
        try await running.transport.send(message)
        try await running.transport.sendBreak(duration: .milliseconds(12))
        var received: [UInt8] = []
        #expect(
            try await eventually {
                received += try reader.read()
                return received.count >= message.count
            }
        )
        #expect(received == message)
    }
}
