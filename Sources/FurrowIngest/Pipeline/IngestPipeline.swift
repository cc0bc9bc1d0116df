import FurrowStore
import FurrowWire
import Logging
import Metrics

/// Who a MAVLink sender on a link is in the store: its source name, its project, how its messages map to
/// channels.
public struct SourceBinding: Sendable {
    public var name: String
    public var project: String
    public var mapper: MAVLinkMapper
    /// How the source's flights are summarised (its profile's `[flight]`).
    public var flight: FlightProfile

    public init(name: String, project: String, mapper: MAVLinkMapper, flight: FlightProfile = FlightProfile()) {
        self.name = name
        self.project = project
        self.mapper = mapper
        self.flight = flight
    }
}

/// A link the pipeline reads: its name, the project its raw bytes are archived under, and whether its
/// receives are datagrams (each one self-contained) or pieces of a byte stream (serial, TCP).
public struct LinkBinding: Sendable {
    public var name: String
    public var project: String
    public var isDatagram: Bool

    public init(name: String, project: String, isDatagram: Bool) {
        self.name = name
        self.project = project
        self.isDatagram = isDatagram
    }

    /// The checkpoint that says up to which receive time the link's archived bytes are in the store.
    var checkpointName: String { "archive:\(project)/\(name)" }
    /// The checkpoint holding the link's row clock (last timestamp given), so a re-read after a crash
    /// gives the same timestamps the first read did.
    var clockName: String { "clock:\(project)/\(name)" }
}

/// Transport bytes → frames → batches → mapped row groups → store (and archive, flights, forwarding).
///
/// Runs on one task. Receive times become row timestamps, made strictly increasing per link so two frames
/// of a message received in the same microsecond never collide (a duplicate timestamp would overwrite).
/// Rows wait in per-(sender, message) batches and in the store's heads until a checkpoint writes them all
/// in one transaction together with, per link, the receive time they reach; the raw archive (sealed every
/// flush interval) holds everything after it, so a restart re-reads that tail and nothing is lost beyond
/// the archive's flush interval.
public struct IngestPipeline {
    public struct Settings: Sendable {
        /// Rows per (sender, message) batch before it is mapped and handed to the store.
        public var rowsPerBatch = 256
        /// Receive time (µs) after which partly filled batches are handed to the store while bursts are
        /// processed, whatever the wall clock says (the daemon's flush interval).
        ///
        /// A pipeline catching up on a backlog (after a checkpoint, on a busy machine) decodes seconds of
        /// datagrams in one `process` call; without this every (sender, message) batch filled towards
        /// `rowsPerBatch` before the next publish, and kept that capacity: 4,000 drones' ~50,000 batches
        /// grew to 256 rows each, the 600-900 MiB of RSS the daemon reached at 150-200 k msg/s.
        public var publishSpanMicroseconds: Int64 = 1_000_000

        public init() {}
    }

    public let store: TimeSeriesStore
    public let archive: RawArchive?
    public let flights: FlightCatalog
    /// Called when a live flight ends (the daemon summarises it from the archive).
    public var onFlightEnded: (@Sendable (LiveFlightEnd) -> Void)?
    let senderDirectory: SenderDirectory
    public let settings: Settings
    let resolve: @Sendable (String, MAVLinkSourceID, String?) -> SourceBinding
    let logger: Logger
    let problems: ThrottledLog
    let links: [String: LinkDecoder]
    let output: PipelineOutput
    public var framesProcessed: Int { links.values.reduce(0) { $0 + $1.framesProcessed } }

    public init(
        links: [LinkBinding], store: TimeSeriesStore, archive: RawArchive?, flights: FlightCatalog,
        settings: Settings = Settings(), logger: Logger,
        resolve: @escaping @Sendable (_ link: String, _ sender: MAVLinkSourceID, _ peer: String?) -> SourceBinding
    ) {
        self.store = store
        self.archive = archive
        self.flights = flights
        self.senderDirectory = SenderDirectory(database: flights.database)
        self.settings = settings
        self.logger = logger
        self.problems = ThrottledLog(logger: logger)
        self.resolve = resolve
        var decoders: [String: LinkDecoder] = [:]
        let output = PipelineOutput()
        for link in links {
            let decoder = LinkDecoder(binding: link, rowsPerBatch: settings.rowsPerBatch, resolve: resolve, logger: logger)
            decoder.output = output
            decoders[link.name] = decoder
        }
        self.output = output
        self.links = decoders
    }

    /// Decodes, maps and archives a batch of bursts, then hands the full row groups to the store.
    ///
    /// Archive and store write errors (a full disk) are logged once per interval and counted, never thrown:
    /// the archive keeps failed segments and retries them, the store keeps rows in memory until a flush works.
    public func process(_ bursts: [ReceiveBurst]) async {
        for burst in bursts {
            guard let link = links[burst.link] else { continue }
            link.decode(burst, into: output)
            if let last = burst.pieces.last?.receivedAt {
                if let since = output.publishedThrough, last &- since >= settings.publishSpanMicroseconds {
                    for link in links.values { link.flushBatches(into: output) }
                    output.publishedThrough = last
                    await handOnReportingErrors()
                } else if output.publishedThrough == nil {
                    output.publishedThrough = last
                }
            }
            if let archive {
                do {
                    try await archive.append(
                        project: link.binding.project, source: link.binding.name, bytes: burst.bytes,
                        pieces: burst.pieces.map { RawArchivePiece(receivedAt: $0.receivedAt, range: $0.range) })
                } catch {
                    problems.error("archive-write", "raw archive: writing failed, segments kept for retry: \(error)")
                }
            }
        }
        await handOnReportingErrors()
    }

    func handOnReportingErrors() async {
        do {
            try await handOn()
        } catch {
            problems.error("store-write", "store: writing a full chunk failed, rows kept in memory: \(error)")
        }
    }

    /// Hands mapped row groups to the store and records flight starts and ends.
    func handOn() async throws {
        let (appends, events, senders) = output.take()
        for new in senders where new.link.isDatagram {
            do {
                try senderDirectory.record(
                    project: new.link.project, link: new.link.name, systemID: new.sender.systemID,
                    componentID: new.sender.componentID, peer: new.peer)
            } catch {
                problems.error("sender-write", "senders: recording \(new.sender) failed: \(error)")
            }
        }
        for event in events {
            do {
                try record(event)
            } catch {
                problems.error("flight-write", "flights: recording \(event) failed: \(error)")
            }
        }
        if !appends.isEmpty {
            output.rowsSinceCheckpoint += appends.reduce(0) { $0 + $1.timestamps.count }
            for refusal in try await store.append(contentsOf: appends) {
                // Usually a profile that changed under stored data: the group keeps its first channels.
                problems.error("store-refused", "store: rows refused: \(refusal)")
            }
        }
    }

    func record(_ event: FlightTracker.Event) throws {
        switch event {
        case .armed(let project, let source, let at, let vehicleType, let autopilot):
            try flights.begin(
                project: project, source: source, start: at, vehicleType: vehicleType, autopilot: autopilot)
            logger.info("source \(source): armed, flight started")
        case .disarmed(let project, let source, let at, let archive):
            if let open = try flights.openFlight(project: project, source: source) {
                try flights.end(id: open.id, at: at)
                logger.info("source \(source): disarmed, flight of \((at - open.start) / 1_000_000) s ended")
                if let archive {
                    onFlightEnded?(LiveFlightEnd(flight: open.id, project: project, start: open.start, end: at, archive: archive))
                }
            }
        }
    }

    /// Hands every partly filled batch to the store's in-memory heads, where queries see it.
    public func publish() async {
        for link in links.values { link.flushBatches(into: output) }
        await handOnReportingErrors()
    }

    /// Writes everything decoded so far to the store in one transaction, with each link's checkpoint.
    public func checkpoint() async throws {
        await publish()
        var checkpoints: [String: Int64] = [:]
        for link in links.values {
            if let last = link.lastReceivedAt {
                checkpoints[link.binding.checkpointName] = last
                checkpoints[link.binding.clockName] = link.lastTimestamp
            }
        }
        try await store.flush(checkpoints: checkpoints)
        output.rowsSinceCheckpoint = 0
        // Per source: how long its oldest row of this checkpoint waited for the disk (receive → commit).
        let committed = receiveClockMicroseconds()
        for link in links.values { link.recordFlushLatencies(committedAt: committed) }
    }

    /// Rows handed to the store since the last checkpoint (what a checkpoint would write).
    public var rowsSinceCheckpoint: Int { output.rowsSinceCheckpoint }

    /// Publishes the framers' counters (CRC failures, unknown ids, gaps) as metrics; call about once a second.
    public func publishStatistics() {
        for link in links.values { link.publishStatistics() }
    }

    /// The receive time up to which `link`'s archived bytes are already in the store (from the last checkpoint).
    public func storedThrough(_ link: LinkBinding) async throws -> Int64? {
        try await store.checkpoint(link.checkpointName)
    }

    /// Re-reads the archive tail of every link that the store does not hold yet (after a crash), through the
    /// same decoding, without archiving it again; then checkpoints. Returns the receives replayed.
    public func recover() async throws -> Int {
        guard let archive else { return 0 }
        var replayed = 0
        for link in links.values.map(\.binding) {
            let from = try await storedThrough(link).map { $0 &+ 1 } ?? .min
            if let clock = try await store.checkpoint(link.clockName) { links[link.name]?.lastTimestamp = clock }
            if link.isDatagram { links[link.name]?.knownPeers = try senderDirectory.peers(project: link.project, link: link.name) }
            var burst = ReceiveBurst(link: link.name)
            for try await record in archive.reader.records(
                project: link.project, source: link.name, from: from, corruptSegments: .skip(report: { _ in }))
            {
                burst.append(record.bytes, peer: nil, receivedAt: record.receivedAt)
                replayed += 1
                if burst.bytes.count >= 1 << 20 {
                    await processWithoutArchiving(burst)
                    burst = ReceiveBurst(link: link.name)
                }
            }
            if !burst.isEmpty { await processWithoutArchiving(burst) }
        }
        if replayed > 0 {
            try await checkpoint()
            logger.info("recovered \(replayed) archived receives that were not in the store yet")
        }
        return replayed
    }

    func processWithoutArchiving(_ burst: ReceiveBurst) async {
        links[burst.link]?.decode(burst, into: output)
        await handOnReportingErrors()
    }
}

/// Mapped row groups and flight events decoded since the pipeline last handed them on.
final class PipelineOutput {
    var appends: [StoreAppend] = []
    /// Senders seen for the first time (link, sender, address), to record in the sender directory.
    var newSenders: [(link: LinkBinding, sender: MAVLinkSourceID, peer: String?)] = []
    var rowsSinceCheckpoint = 0
    var flightEvents: [FlightTracker.Event] = []
    /// Receive time up to which partly filled batches were last handed on (`Settings.publishSpanMicroseconds`).
    var publishedThrough: Int64?

    func take() -> (
        appends: [StoreAppend], events: [FlightTracker.Event],
        senders: [(link: LinkBinding, sender: MAVLinkSourceID, peer: String?)]
    ) {
        defer {
            appends.removeAll(keepingCapacity: true)
            flightEvents.removeAll()
            newSenders.removeAll()
        }
        return (appends, flightEvents, newSenders)
    }
}

/// One link's decoding state: its framer, batcher, row clock and senders.
final class LinkDecoder {
    /// Sets each source's flush-latency gauge for the checkpoint just committed.
    func recordFlushLatencies(committedAt now: Int64) {
        for i in sources.indices {
            guard let since = sources[i].pendingSince else { continue }
            sources[i].pendingSince = nil
            if sources[i].flushLatency == nil {
                sources[i].flushLatency = Gauge(
                    label: "furrow_store_flush_latency_seconds", dimensions: [("source", sources[i].binding.name)])
            }
            sources[i].flushLatency?.record(Double(Swift.max(0, now - since)) / 1e6)
        }
    }

    struct SourceState {
        let binding: SourceBinding
        var groupKeys: [String: StoreGroupKey] = [:]
        /// Receive time of the source's oldest row not yet committed (nil: nothing pending).
        var pendingSince: Int64?
        /// `furrow_store_flush_latency_seconds{source}`, made on the source's first flush.
        var flushLatency: Gauge?
        var flight: FlightTracker
        /// The UDP sender it was last seen from, and whether a second host was reported.
        var peer: String?
        var reportedOtherPeer = false
    }

    let binding: LinkBinding
    let resolve: @Sendable (String, MAVLinkSourceID, String?) -> SourceBinding
    let logger: Logger
    var framer = MAVLinkFramer()
    var batcher: MAVLinkBatcher
    /// Last row timestamp given on this link (strictly increasing).
    var lastTimestamp: Int64 = .min
    /// Receive time of the last receive processed.
    var lastReceivedAt: Int64?
    /// Sender (sysid << 8 | compid) → index into `sources`.
    var sourceSlots = [Int32](repeating: -1, count: 65536)
    var sources: [SourceState] = []
    var reported = MAVLinkStatistics()
    var framesProcessed = 0
    let metrics: LinkMetrics
    /// Where new senders are announced (set by the pipeline).
    var output: PipelineOutput?
    /// Last known address per sender (from the sender directory), used while re-decoding the archive.
    var knownPeers: [Int: String] = [:]

    init(
        binding: LinkBinding, rowsPerBatch: Int, resolve: @escaping @Sendable (String, MAVLinkSourceID, String?) -> SourceBinding,
        logger: Logger
    ) {
        self.binding = binding
        self.resolve = resolve
        self.logger = logger
        self.batcher = MAVLinkBatcher(rowsPerBatch: rowsPerBatch)
        self.metrics = LinkMetrics(link: binding.name)
    }

    func decode(_ burst: ReceiveBurst, into output: PipelineOutput) {
        var frames = 0
        let isDatagram = binding.isDatagram
        burst.bytes.withUnsafeBytes { buffer in
            for piece in burst.pieces {
                let range = piece.range.clamped(to: 0..<buffer.count)
                let receivedAt = piece.receivedAt
                let peer = piece.peer
                framer.feed(UnsafeRawBufferPointer(rebasing: buffer[range])) { frame in
                    let slot = Int(frame.systemID) << 8 | Int(frame.componentID)
                    let index = sourceSlots[slot]
                    if index < 0 {
                        _ = sourceIndex(MAVLinkSourceID(systemID: frame.systemID, componentID: frame.componentID), peer: peer)
                    } else if isDatagram, let peer, sources[Int(index)].peer != peer {
                        samePeerCheck(Int(index), sender: frame, peer: peer)
                    }
                    let timestamp = Swift.max(receivedAt, lastTimestamp &+ 1)
                    lastTimestamp = timestamp
                    frames &+= 1
                    if frame.messageID == 0, frame.messageIndex != nil {
                        heartbeat(frame, at: timestamp, into: output)
                    }
                    batcher.append(frame, timestamp: timestamp) { full in map(full, into: output) }
                }
                // A datagram is self-contained: a frame cut at its end will not continue in the next one.
                if isDatagram { framer.finish { _ in } }
                lastReceivedAt = receivedAt
            }
        }
        framesProcessed &+= frames
        metrics.frames.increment(by: frames)
    }

    /// Maps every partly filled batch (every flush interval and before a checkpoint).
    ///
    /// Each batch is mapped while the batcher lends it, not collected first: a kept copy would share the
    /// batch's row buffer when the batcher empties it, and the next frame of each of the tens of thousands
    /// of batches would then copy its whole buffer (seen as 6 % of the daemon's CPU at 100 k msg/s).
    func flushBatches(into output: PipelineOutput) {
        batcher.flush { map($0, into: output) }
    }

    /// A MAVLink system id must be unique on a network; two UDP senders using the same one are stored as one
    /// source. Said once per sender, with what to do about it.
    func samePeerCheck(_ index: Int, sender frame: MAVLinkFrame, peer: String) {
        func host(_ address: String?) -> Substring? {
            guard let address, let colon = address.lastIndex(of: ":") else { return nil }
            return address[..<colon]
        }
        // A new port on the same host is the same vehicle after a reconnect: follow it.
        if sources[index].peer == nil || host(sources[index].peer) == host(peer) {
            sources[index].peer = peer
            return
        }
        guard !sources[index].reportedOtherPeer else { return }
        sources[index].reportedOtherPeer = true
        logger.warning(
            "link \(binding.name): sender \(frame.systemID)/\(frame.componentID) also sends from \(peer) (first seen from \(sources[index].peer ?? "?")); both are stored as source \(sources[index].binding.name) — give each vehicle its own MAVLink system id")
    }

    /// The state of a sender, created (and its binding resolved) on first sight.
    func sourceIndex(_ sender: MAVLinkSourceID, peer: String? = nil) -> Int {
        let slot = Int(sender.systemID) << 8 | Int(sender.componentID)
        if sourceSlots[slot] >= 0 { return Int(sourceSlots[slot]) }
        let peer = peer ?? knownPeers[slot]
        let resolved = resolve(binding.name, sender, peer)
        output?.newSenders.append((binding, sender, peer))
        sources.append(
            SourceState(
                binding: resolved,
                flight: FlightTracker(
                    project: resolved.project, source: resolved.name,
                    archive: LiveFlightArchive(
                        project: binding.project, link: binding.name, systemID: sender.systemID,
                        componentID: sender.componentID, options: resolved.flight.summaryOptions)),
                peer: peer))
        sourceSlots[slot] = Int32(sources.count - 1)
        logger.info(
            "link \(binding.name): new sender \(sender)\(peer.map { " from \($0)" } ?? "") → source \(resolved.name) (project \(resolved.project))")
        return sources.count - 1
    }

    func map(_ batch: MAVLinkBatch, into output: PipelineOutput) {
        let index = sourceIndex(batch.source)
        let source = sources[index].binding
        if sources[index].pendingSince == nil, let first = batch.timestamps.first { sources[index].pendingSince = first }
        for rows in source.mapper.map(batch) {
            let key: StoreGroupKey
            if let known = sources[index].groupKeys[rows.group] {
                key = known
            } else {
                key = StoreGroupKey(project: source.project, source: source.name, name: rows.group)
                sources[index].groupKeys[rows.group] = key
            }
            output.appends.append(
                StoreAppend(group: key, channels: rows.channels, timestamps: rows.timestamps, columns: rows.columns))
        }
    }

    func heartbeat(_ frame: MAVLinkFrame, at timestamp: Int64, into output: PipelineOutput) {
        let fields = frame.withUnsafePayload { payload -> (type: Int, autopilot: Int, baseMode: UInt8) in
            func byte(_ i: Int) -> UInt8 { i < payload.count ? payload[i] : 0 }
            return (Int(byte(4)), Int(byte(5)), byte(6))
        }
        // Ground stations and other non-vehicles also send HEARTBEAT (autopilot INVALID, type GCS); only
        // autopilots arm.
        guard fields.autopilot != 8, fields.type != 6 else { return }
        let index = sourceIndex(MAVLinkSourceID(systemID: frame.systemID, componentID: frame.componentID))
        if let event = sources[index].flight.observe(
            armed: fields.baseMode & 0x80 != 0, at: timestamp, vehicleType: fields.type, autopilot: fields.autopilot)
        {
            output.flightEvents.append(event)
        }
    }

    func publishStatistics() {
        let now = framer.statistics
        metrics.publish(now, since: reported)
        reported = now
    }
}

/// Per-link counters exported on /metrics.
struct LinkMetrics {
    let frames: Counter
    let crcFailures: Counter
    let unknownIDs: Counter
    let bytesSkipped: Counter
    let framesLost: Counter
    let rejected: Counter

    init(link: String) {
        let d = [("link", link)]
        frames = Counter(label: "furrow_frames_total", dimensions: d)
        crcFailures = Counter(label: "furrow_crc_failures_total", dimensions: d)
        unknownIDs = Counter(label: "furrow_unknown_message_ids_total", dimensions: d)
        bytesSkipped = Counter(label: "furrow_bytes_skipped_total", dimensions: d)
        framesLost = Counter(label: "furrow_sequence_frames_lost_total", dimensions: d)
        rejected = Counter(label: "furrow_frames_rejected_total", dimensions: d)
    }

    func publish(_ now: MAVLinkStatistics, since before: MAVLinkStatistics) {
        crcFailures.increment(by: Swift.max(0, now.crcFailures - before.crcFailures))
        unknownIDs.increment(by: Swift.max(0, now.unknownIDs - before.unknownIDs))
        bytesSkipped.increment(by: Swift.max(0, now.bytesSkipped - before.bytesSkipped))
        framesLost.increment(by: Swift.max(0, now.framesLost - before.framesLost))
        let rejectedNow = now.incompatRejected + now.badSignatures + now.replayedSignatures + now.unsignedRejected
        let rejectedBefore =
            before.incompatRejected + before.badSignatures + before.replayedSignatures + before.unsignedRejected
        rejected.increment(by: Swift.max(0, rejectedNow - rejectedBefore))
    }
}
