import FurrowLogs
import FurrowStore
import FurrowWire
import GRDB
import Logging
import Metrics
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A link the daemon reads, with where its bytes come from.
public struct IngestLink: Sendable {
    public enum Endpoint: Sendable {
        case udp(host: String, port: Int)
        /// Any transport with a `run(into:)` that reads until cancelled and reopens on its own (serial, TCP
        /// client), with the status it keeps and a way to write to it (forward targets' replies).
        case stream(
            description: String, status: StreamLinkStatus, run: @Sendable (any ReceiveSink) async throws -> Void,
            send: @Sendable ([UInt8]) async throws -> Void)
    }

    public var binding: LinkBinding
    public var endpoint: Endpoint

    public init(binding: LinkBinding, endpoint: Endpoint) {
        self.binding = binding
        self.endpoint = endpoint
    }

    var endpointDescription: String {
        switch endpoint {
        case .udp(let host, let port): "udp \(host):\(port)"
        case .stream(let description, _, _, _): description
        }
    }
}

/// Where the daemon forwards the frames of some links unchanged (a ground station keeps working while
/// Furrow records, as with mavlink-router).
public struct ForwardTarget: Sendable, Hashable {
    public var name: String
    public var host: String
    public var port: Int
    /// Links whose receives are forwarded; nil forwards all.
    public var links: Set<String>?

    public init(name: String, host: String, port: Int, links: Set<String>? = nil) {
        self.name = name
        self.host = host
        self.port = port
        self.links = links
    }
}

/// The ingest daemon as a lifecycle service: transports → queue → pipeline → store and archive.
///
/// Durability: receives are archived and the archive seals a segment once it is half a `flushInterval` old
/// (checked every quarter interval), so a kill -9 loses at most about `flushInterval`. Decoded rows reach
/// SQLite at checkpoints (every `checkpointInterval`, or sooner when `checkpointRows` are waiting, which
/// bounds the memory the store's heads hold), and a restart re-decodes the archive after the last
/// checkpoint. Queries see rows within `flushInterval` (the store's in-memory heads) either way.
public struct IngestService: Service {
    public struct Settings: Sendable {
        public var databasePath: String
        public var flushInterval: Duration = .seconds(1)
        public var checkpointInterval: Duration = .seconds(60)
        public var checkpointRows = 1_000_000
        public var queueBytes = 256 << 20
        public var chunkRows = 4096
        public var archives = true
        public var forward: [ForwardTarget] = []
        /// Row groups whose small chunks compaction examines after each checkpoint.
        public var compactionGroups = 2_000
        /// Store retention in days, applied at start and hourly to every project (nil keeps everything).
        public var retentionDays: Int?
        /// Raw archive retention in days (nil keeps everything).
        public var archiveRetentionDays: Int?

        public init(databasePath: String) {
            self.databasePath = databasePath
        }
    }

    public let settings: Settings
    /// The database and store this service writes (opened by `openStore(settings:)`, shared with the API).
    public let pool: DatabasePool
    public let store: TimeSeriesStore
    public let links: [IngestLink]
    public let status: DaemonStatus
    let resolve: @Sendable (String, MAVLinkSourceID, String?) -> SourceBinding
    let logger: Logger
    let group: any EventLoopGroup
    /// Called with each UDP link's bound address once listening (tests bind port 0 and read it here).
    let onListening: @Sendable (String, SocketAddress) -> Void

    /// Opens the store the way the daemon writes it: big chunks, checkpoints as the flush interval, no fold.
    ///
    /// `migrations` registers the tables of other modules (projects, tokens) after the store's own.
    public static func openStore(
        settings: Settings, migrations: (inout DatabaseMigrator) -> Void = { _ in }
    ) throws -> (pool: DatabasePool, store: TimeSeriesStore) {
        let pool = try StoreDatabase.open(path: settings.databasePath, migrations: migrations)
        let store = try TimeSeriesStore(
            pool: pool,
            options: .init(
                chunkRows: settings.chunkRows, flushInterval: settings.checkpointInterval,
                // Checkpoints write each group's new rows as they are (re-encoding the last chunk of tens of
                // thousands of groups made a checkpoint take seconds); compaction merges them afterwards.
                foldLimit: 0))
        return (pool, store)
    }

    public init(
        settings: Settings, pool: DatabasePool, store: TimeSeriesStore, links: [IngestLink], status: DaemonStatus,
        group: any EventLoopGroup, logger: Logger,
        onListening: @escaping @Sendable (String, SocketAddress) -> Void = { _, _ in },
        resolve: @escaping @Sendable (_ link: String, _ sender: MAVLinkSourceID, _ peer: String?) -> SourceBinding
    ) {
        self.settings = settings
        self.pool = pool
        self.store = store
        self.links = links
        self.status = status
        self.group = group
        self.logger = logger
        self.onListening = onListening
        self.resolve = resolve
    }

    public func run() async throws {
        let archive =
            settings.archives
            ? RawArchive(database: pool, configuration: .init(maximumSegmentAge: settings.flushInterval / 2)) : nil
        var pipelineSettings = IngestPipeline.Settings()
        pipelineSettings.publishSpanMicroseconds = Swift.max(1, settings.flushInterval.nanoseconds / 1000)
        var assembling = IngestPipeline(
            links: links.map(\.binding), store: store, archive: archive, flights: FlightCatalog(database: pool),
            settings: pipelineSettings, logger: logger, resolve: resolve)
        // Ended flights are summarised from the archive in the background (one at a time).
        let endedFlights = EndedFlightQueue()
        if archive != nil { assembling.onFlightEnded = { endedFlights.add($0) } }
        let pipeline = assembling
        let recovered = try await pipeline.recover()
        status.update { $0.recoveredReceives = recovered }

        // A flooded link may fill at most its share of the queue (all of it when it is the only link).
        let queue = BurstQueue(capacityBytes: settings.queueBytes, linkCapacityBytes: settings.queueBytes / Swift.max(1, links.count))
        let routes = ReplyRoutes()
        let forwarder = try await Forwarder.start(targets: settings.forward, routes: routes, group: group, logger: logger)
        // Bind every UDP socket before reporting "running": a port in use fails the start.
        var receivers: [UDPReceiver] = []
        for link in links {
            guard case .udp(let host, let port) = link.endpoint else { continue }
            let lastSender = UDPLastSender()
            let receiver: UDPReceiver
            do {
                receiver = try await UDPTransport(
                    link: link.binding.name, host: host, port: port, group: group, logger: logger
                ).bind(into: queue, lastSender: lastSender)
            } catch {
                for started in receivers { await started.close() }
                throw error
            }
            routes.add(link: link.binding.name, channel: receiver.channel, sender: lastSender)

            receivers.append(receiver)
            if let address = receiver.localAddress { onListening(link.binding.name, address) }
            status.setLink(link.binding.name, endpoint: link.endpointDescription, connected: true)
        }
        for link in links {
            if case .stream(_, _, _, let send) = link.endpoint { routes.add(link: link.binding.name, send: send) }
        }
        status.update { $0.status = "running" }
        let queueDepth = Gauge(label: "furrow_pipeline_queue_bytes")
        let flushTimer = Timer(label: "furrow_store_checkpoint_seconds")
        let compactedRows = Counter(label: "furrow_store_compacted_rows_total")
        let logger = self.logger
        let settings = self.settings
        let status = self.status

        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for link in links {
                    guard case .stream(_, let linkStatus, let run, _) = link.endpoint else { continue }
                    status.add(linkStatus)
                    let name = link.binding.name
                    tasks.addTask {
                        // A link that cannot work at all (not a tty, settings refused) stops alone; the others go on.
                        do {
                            try await run(queue)
                        } catch {
                            logger.error("link \(name) stopped: \(error)")
                            status.update { $0.lastError = "link \(name): \(error)" }
                        }
                    }
                }
                let problems = pipeline.problems
                if let archive {
                    let summarizer = LiveFlightSummarizer(reader: archive.reader, flights: FlightCatalog(database: pool))
                    let sealDelay = settings.flushInterval
                    tasks.addTask {
                        for await _ in endedFlights.signal {
                            // What gathered is summarised a batch (one read per link) at a time, so a fleet
                            // landing together costs one pass over its bytes per batch.
                            while !Task.isCancelled {
                                let batch = endedFlights.take(
                                    limit: Self.flightsPerSummaryRead, spanMicroseconds: Self.flightTimePerSummaryRead)
                                if batch.isEmpty { break }
                                let started = ContinuousClock.now
                                // The archive seals a segment within half a flush interval: wait until the
                                // last disarm of the batch is in one.
                                let due = (batch.map(\.end).max() ?? 0) &+ sealDelay.nanoseconds / 1000
                                let wait = due &- receiveClockMicroseconds()
                                if wait > 0 { try? await Task.sleep(for: .microseconds(wait)) }
                                for (ended, result) in zip(batch, await summarizer.summarize(together: batch)) {
                                    switch result {
                                    case .success(let summary):
                                        logger.info(
                                            "flight \(ended.flight): summarised (\(summary.gpsPointCount) GPS fixes, \(Int(summary.distanceMeters)) m)")
                                    case .failure(let error):
                                        problems.error("flight-summary", "flight \(ended.flight): summary failed: \(error)")
                                    }
                                }
                                // Summaries are background work beside ingest on a small gateway: after a batch,
                                // rest as long as it took before the next one (at most half of a core).
                                try? await Task.sleep(for: ContinuousClock.now - started)
                            }
                        }
                    }
                }
                // The tick: wakes the pipeline every flush interval (publish batches, checkpoint when due) and
                // seals the archive's segments older than the interval.
                tasks.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: settings.flushInterval / 4)
                        _ = queue.offer(ReceiveBurst(link: ""))
                        do {
                            try await archive?.sealExpired(now: receiveClockMicroseconds())
                        } catch {
                            problems.error("archive-write", "raw archive: sealing failed, segments kept for retry: \(error)")
                            status.update { $0.lastError = "archive: \(error)" }
                        }
                    }
                }
                if settings.retentionDays != nil || settings.archiveRetentionDays != nil {
                    tasks.addTask {
                        while !Task.isCancelled {
                            await Self.applyRetention(settings: settings, pool: pool, store: store, archive: archive, logger: logger)
                            try? await Task.sleep(for: .seconds(3600))
                        }
                    }
                }
                var lastPublish = ContinuousClock.now
                var lastCheckpoint = ContinuousClock.now
                var lastTrim = ContinuousClock.now
                var lastStatistics = ContinuousClock.now
                while let bursts = await queue.next() {
                    await pipeline.process(bursts)
                    if bursts.reduce(0, { $0 + $1.pieces.count }) < 256 {
                        // Few receives per wake-up means the pipeline pays a thread wake per handful of datagrams;
                        // 2 ms of patience lets them gather (daemon CPU at 100 k msg/s over the same run:
                        // 1,541 -> 1,382 ticks). Counted in receives: a UDP burst now carries up to 256.
                        try? await Task.sleep(for: .milliseconds(2))
                    }
                    if let forwarder { forwarder.forward(bursts) }
                    let now = ContinuousClock.now
                    if now - lastCheckpoint >= settings.checkpointInterval
                        || pipeline.rowsSinceCheckpoint >= settings.checkpointRows
                    {
                        let started = ContinuousClock.now
                        // A failed checkpoint (disk full) keeps the rows in memory and is retried a checkpoint
                        // interval later; the archive still holds every byte.
                        lastCheckpoint = now
                        lastPublish = now
                        do {
                            try await pipeline.checkpoint()
                            flushTimer.recordNanoseconds(Int64((ContinuousClock.now - started).nanoseconds))
                            status.update { $0.lastCheckpointAt = receiveClockMicroseconds() }
                        } catch {
                            pipeline.problems.error("checkpoint", "store: checkpoint failed, retrying later: \(error)")
                            status.update { $0.lastError = "checkpoint: \(error)" }
                        }
                        do {
                            let merged = try await store.compact(groupLimit: settings.compactionGroups)
                            compactedRows.increment(by: merged.rows)
                        } catch {
                            pipeline.problems.error("compaction", "store: compaction failed: \(error)")
                        }
                        // Rarely: malloc_trim holds malloc's arena locks while it walks the heap (32 ms on a 300 MiB
                        // heap at 50k msg/s), and every thread that allocates meanwhile waits, API answers included
                        // (API p99 under ingest 49 -> 29 ms without it). Freed memory is reused either way.
                        if now - lastTrim >= MemoryTuning.trimInterval {
                            MemoryTuning.trim()
                            lastTrim = now
                        }
                    } else if now - lastPublish >= settings.flushInterval {
                        await pipeline.publish()
                        lastPublish = now
                    }
                    if now - lastStatistics >= .seconds(1) {
                        pipeline.publishStatistics()
                        lastStatistics = now
                        let queued = queue.queuedBytes
                        queueDepth.record(queued)
                        let frames = pipeline.framesProcessed
                        let rows = pipeline.rowsSinceCheckpoint
                        status.update {
                            $0.framesProcessed = frames
                            $0.queuedBytes = queued
                            $0.rowsSinceCheckpoint = rows
                        }
                    }
                }
                tasks.cancelAll()
                for receiver in receivers { await receiver.close() }
                try await tasks.waitForAll()
            }
            // Shutting down: everything decoded goes to the store, everything received to the archive.
            status.update { $0.status = "stopping" }
            try await pipeline.checkpoint()
            try await archive?.flush()
            forwarder?.close()
            routes.close()
            logger.info("ingest stopped: \(pipeline.framesProcessed) frames, store and archive flushed")
        } onGracefulShutdown: {
            queue.finish()
        }
    }
}

extension IngestService {
    /// Most ended flights summarised from one read of their link's archive (each holds its summariser and
    /// track in memory until the read ends).
    static var flightsPerSummaryRead: Int { 4096 }
    /// Most flight time (µs, summed over the flights) summarised from one read: bounds the tracks held
    /// (~100,000 flight-seconds of GPS fixes at 5–10 Hz: tens of MiB); a fleet of short flights landing
    /// together is one read.
    static var flightTimePerSummaryRead: Int64 { 100_000 * 1_000_000 }

    /// Deletes what is older than the retention periods, in every project the database holds.
    static func applyRetention(
        settings: Settings, pool: DatabasePool, store: TimeSeriesStore, archive: RawArchive?, logger: Logger
    ) async {
        let day: Int64 = 86_400_000_000
        let now = receiveClockMicroseconds()
        do {
            let projects = try await pool.read { db in
                try String.fetchAll(
                    db, sql: "SELECT DISTINCT project FROM rowGroup UNION SELECT DISTINCT project FROM rawSegment")
            }
            for project in projects {
                if let days = settings.retentionDays {
                    let report = try await store.applyRetention(project: project, olderThan: now - Int64(days) * day)
                    if report.rowsDeleted > 0 {
                        logger.info("retention: project \(project): \(report.rowsDeleted) rows older than \(days) days deleted")
                    }
                }
                if let days = settings.archiveRetentionDays, let archive {
                    _ = try await archive.deleteSegments(project: project, olderThan: now - Int64(days) * day)
                }
            }
        } catch {
            logger.error("retention failed: \(error)")
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
