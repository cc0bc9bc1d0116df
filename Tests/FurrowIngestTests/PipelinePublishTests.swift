import Foundation
import FurrowStore
import FurrowWire
import Testing

@testable import FurrowIngest

/// A backlog decoded in one `process` call still hands its rows to the store every publish span of receive
/// time, so (sender, message) batches hold about one flush interval of rows however far behind the daemon is.
@Suite("IngestPipeline: publishing by receive time")
struct PipelinePublishTests {
    static let t0: Int64 = 1_763_000_000_000_000

    static func pipeline(directory: URL, publishSpan: Int64) throws -> IngestPipeline {
        let pool = try StoreDatabase.open(path: directory.appendingPathComponent("furrow.sqlite").path)
        let mapper = try ReprocessArchiveTests.mapper(scale: 0.001)
        var settings = IngestPipeline.Settings()
        settings.publishSpanMicroseconds = publishSpan
        return IngestPipeline(
            links: [LinkBinding(name: "udp1", project: "default", isDatagram: true)], store: try TimeSeriesStore(pool: pool),
            archive: nil, flights: FlightCatalog(database: pool), settings: settings, logger: LogRecords().logger()
        ) { _, sender, _ in
            SourceBinding(name: "drone-\(sender.systemID)", project: "default", mapper: mapper)
        }
    }

    @Test(
        "30 frames over 3 s of receive time, decoded at once: rows reach the store each second of receive time",
        arguments: [(Int64(1_000_000), 20...22), (Int64(3_600_000_000), 0...0)])
    func backlogPublishes(publishSpan: Int64, published: ClosedRange<Int>) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("publish-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pipeline = try Self.pipeline(directory: directory, publishSpan: publishSpan)
        // One datagram per burst, as the UDP transport hands them on when the socket is read as they come.
        var bursts: [ReceiveBurst] = []
        for i in 0..<30 {
            var burst = ReceiveBurst(link: "udp1")
            let frame = try ReprocessArchiveTests.status(system: 7, millivolts: UInt16(12_000 + i))
            burst.append(frame, peer: "127.0.0.1:5000", receivedAt: Self.t0 + Int64(i) * 100_000)
            bursts.append(burst)
        }
        await pipeline.process(bursts)
        // Without publishing, all 30 rows would still wait in their batch (256 rows per batch).
        #expect(published.contains(pipeline.rowsSinceCheckpoint), "\(pipeline.rowsSinceCheckpoint) rows handed on")
        await pipeline.publish()
        #expect(pipeline.rowsSinceCheckpoint == 30)
    }
}
