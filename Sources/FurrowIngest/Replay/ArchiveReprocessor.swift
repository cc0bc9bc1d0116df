import FurrowStore
import FurrowWire

/// Re-decodes a link's archived bytes through a (newer) profile and writes the result into the store as a new
/// version of the affected series, without duplicating rows.
///
/// Frames are timed as the daemon times them (receive time, made strictly increasing per link), so a
/// re-decoded row lands on the timestamp of the row it replaces and the store's append keeps the last write
/// per timestamp: rows are replaced, never doubled. Senders are named `<link>-<sysid>-<compid>`, the daemon's
/// default (a daemon's `[[source]]` renaming rules are not applied). A row group whose channels the profile
/// changed cannot take new rows next to old ones: with `replaceChangedGroups` (reprocessing a link's whole
/// archive) it is deleted and written anew, otherwise it is reported as refused and left as it was.
public struct ArchiveReprocessor: Sendable {
    /// What a reprocess did.
    public struct Report: Sendable, Hashable, Codable {
        public var receives = 0
        public var frames = 0
        /// Rows written (each replaces the stored row of its timestamp, if any).
        public var rowsWritten = 0
        /// Groups written to, as `source/group`.
        public var groups: [String] = []
        /// Groups deleted and written anew because their channels changed.
        public var replacedGroups: [String] = []
        /// Groups the store refused (channels changed and a partial range), with why.
        public var refused: [String] = []
    }

    public let reader: RawArchiveReader
    public let store: TimeSeriesStore
    public let mapper: MAVLinkMapper

    public init(reader: RawArchiveReader, store: TimeSeriesStore, mapper: MAVLinkMapper) {
        self.reader = reader
        self.store = store
        self.mapper = mapper
    }

    /// Reprocesses `link` of `project` over [`from`, `to`); `isDatagram` says each receive is self-contained.
    ///
    /// - Throws: archive read and store write errors (`RawArchiveError`, `StoreError`, database errors).
    public func run(
        project: String, link: String, from: Int64 = .min, to: Int64 = .max, isDatagram: Bool,
        replaceChangedGroups: Bool
    ) async throws -> Report {
        var report = Report()
        var framer = MAVLinkFramer()
        var batcher = MAVLinkBatcher(rowsPerBatch: 4096)
        var lastTimestamp = Int64.min
        var appends: [StoreAppend] = []
        var frames = 0
        func map(_ batch: MAVLinkBatch) {
            let source = "\(link)-\(batch.source.systemID)-\(batch.source.componentID)"
            for rows in mapper.map(batch) {
                appends.append(
                    StoreAppend(
                        group: StoreGroupKey(project: project, source: source, name: rows.group),
                        channels: rows.channels, timestamps: rows.timestamps, columns: rows.columns))
            }
        }
        for try await record in reader.records(project: project, source: link, from: from, to: to) {
            report.receives += 1
            let receivedAt = record.receivedAt
            framer.feed(Array(record.bytes)) { frame in
                let timestamp = Swift.max(receivedAt, lastTimestamp &+ 1)
                lastTimestamp = timestamp
                frames += 1
                batcher.append(frame, timestamp: timestamp) { map($0) }
            }
            if isDatagram { framer.finish { _ in } }
        }
        framer.finish { frame in
            lastTimestamp &+= 1
            frames += 1
            batcher.append(frame, timestamp: lastTimestamp) { map($0) }
        }
        batcher.flush { map($0) }
        report.frames = frames
        // One write for everything, then one flush: readers see the old version or the new one per group.
        let keys = Dictionary(appends.map { ($0.group.description, $0.group) }, uniquingKeysWith: { a, _ in a })
        var refused = try await store.append(contentsOf: appends)
        if !refused.isEmpty && replaceChangedGroups {
            var replaced: Set<StoreGroupKey> = []
            for error in refused {
                if let key = Self.group(of: error).flatMap({ keys[$0] }) { replaced.insert(key) }
            }
            for key in replaced { try await store.deleteGroup(key) }
            refused = try await store.append(contentsOf: appends.filter { replaced.contains($0.group) })
            report.replacedGroups = replaced.map { "\($0.source)/\($0.name)" }.sorted()
        }
        try await store.flush()
        let refusedGroups = Set(refused.compactMap(Self.group(of:)))
        report.refused = refused.map { "\($0)" }
        report.rowsWritten = appends.filter { !refusedGroups.contains($0.group.description) }.reduce(0) { $0 + $1.timestamps.count }
        report.groups = Set(appends.map { "\($0.group.source)/\($0.group.name)" }).sorted()
        return report
    }

    /// The group (as `StoreGroupKey.description`) a store error names, for the schema errors a reprocess meets.
    static func group(of error: StoreError) -> String? {
        switch error {
        case .schemaMismatch(let group, _, _), .typeMismatch(let group, _, _, _), .rowCountMismatch(let group, _, _, _):
            group
        default:
            nil
        }
    }
}
