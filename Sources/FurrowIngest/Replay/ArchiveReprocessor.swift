import FurrowStore
import FurrowWire

/// Re-decodes a link's archived bytes through a (newer) profile and writes the result into the store as a new
/// version of the affected series, without duplicating rows and without touching anything outside the range.
///
/// Frames are timed as the daemon times them (receive time, made strictly increasing per link; the archive is
/// read from `leadIn` before the range so the chain of timestamps matches the daemon's at the range's start).
/// Senders are named by `naming`: the daemon configuration's `[[source]]` rules (name, project and profile per
/// sender) or the default `<link>-<sysid>-<compid>`. Then, in one store transaction
/// (`TimeSeriesStore.replaceRows(in:of:with:)`), every stored row of the affected sources in [`from`, `to`) is
/// replaced by the re-decoded rows: rows outside the range stay as they are, none is doubled. A row group
/// whose channels the profile changed is deleted and written anew when all its rows lie inside the range
/// (always so for a link's whole archive), otherwise it is reported as refused and left as it was.
public struct ArchiveReprocessor: Sendable {
    /// What a reprocess did.
    public struct Report: Sendable, Hashable, Codable {
        public var receives = 0
        public var frames = 0
        /// Rows written (each replaces the stored row of its timestamp, if any).
        public var rowsWritten = 0
        /// Stored rows of the affected sources removed from the range before the new rows went in.
        public var rowsDeleted = 0
        /// The affected sources, as `project/source`.
        public var sources: [String] = []
        /// Groups written to, as `source/group`.
        public var groups: [String] = []
        /// Groups deleted and written anew because their channels changed.
        public var replacedGroups: [String] = []
        /// Groups the store refused (channels changed and a partial range), with why.
        public var refused: [String] = []
    }

    /// How a sender of the link is stored: its source name, project and mapper (its profile).
    public typealias Naming = @Sendable (MAVLinkSourceID) -> SourceBinding

    public let reader: RawArchiveReader
    public let store: TimeSeriesStore
    public let naming: Naming
    /// How much of the archive before `from` is read (and decoded, not written) to time frames as the daemon did.
    public var leadIn: Int64 = 10_000_000

    /// Every sender as `<link>-<sysid>-<compid>` in `project`, mapped with `mapper` (the daemon's default naming).
    public init(reader: RawArchiveReader, store: TimeSeriesStore, mapper: MAVLinkMapper, project: String, link: String) {
        self.init(reader: reader, store: store) { sender in
            SourceBinding(name: "\(link)-\(sender.systemID)-\(sender.componentID)", project: project, mapper: mapper)
        }
    }

    /// Senders named (and mapped) by `naming`, e.g. the daemon's `DaemonAssembly.resolver` for the link.
    public init(reader: RawArchiveReader, store: TimeSeriesStore, naming: @escaping Naming) {
        self.reader = reader
        self.store = store
        self.naming = naming
    }

    /// Reprocesses `link` of `project` (the project its bytes are archived under) over [`from`, `to`);
    /// `isDatagram` says each receive is self-contained.
    ///
    /// - Throws: archive read and store write errors (`RawArchiveError`, `StoreError`, database errors).
    public func run(project: String, link: String, from: Int64 = .min, to: Int64 = .max, isDatagram: Bool) async throws
        -> Report
    {
        var report = Report()
        var framer = MAVLinkFramer()
        var batcher = MAVLinkBatcher(rowsPerBatch: 4096)
        var lastTimestamp = Int64.min
        var appends: [StoreAppend] = []
        var bindings: [MAVLinkSourceID: SourceBinding] = [:]
        var affected: Set<StoreSourceKey> = []
        var frames = 0
        let range = from..<to
        func binding(_ sender: MAVLinkSourceID) -> SourceBinding {
            if let known = bindings[sender] { return known }
            let resolved = naming(sender)
            bindings[sender] = resolved
            return resolved
        }
        func map(_ batch: MAVLinkBatch) {
            let target = binding(batch.source)
            for rows in target.mapper.map(batch) {
                appends.append(
                    StoreAppend(
                        group: StoreGroupKey(project: target.project, source: target.name, name: rows.group),
                        channels: rows.channels, timestamps: rows.timestamps, columns: rows.columns))
            }
        }
        func take(_ frame: MAVLinkFrame, at timestamp: Int64) {
            // Lead-in frames only set the timing chain; frames timed outside the range are not written.
            guard range.contains(timestamp) else { return }
            frames += 1
            let target = binding(MAVLinkSourceID(systemID: frame.systemID, componentID: frame.componentID))
            affected.insert(StoreSourceKey(project: target.project, source: target.name))
            batcher.append(frame, timestamp: timestamp) { map($0) }
        }
        let readFrom = from == .min ? from : from &- Swift.max(leadIn, 0)
        for try await record in reader.records(project: project, source: link, from: readFrom, to: to) {
            if record.receivedAt >= from { report.receives += 1 }
            let receivedAt = record.receivedAt
            framer.feed(Array(record.bytes)) { frame in
                let timestamp = Swift.max(receivedAt, lastTimestamp &+ 1)
                lastTimestamp = timestamp
                take(frame, at: timestamp)
            }
            if isDatagram { framer.finish { _ in } }
        }
        framer.finish { frame in
            lastTimestamp &+= 1
            take(frame, at: lastTimestamp)
        }
        batcher.flush { map($0) }
        report.frames = frames
        // One transaction: readers see the old version of the range or the new one.
        let replacement = try await store.replaceRows(in: range, of: affected, with: appends)
        let refusedGroups = Set(replacement.refused.compactMap(Self.group(of:)))
        report.refused = replacement.refused.map { "\($0)" }
        report.rowsWritten = replacement.rowsWritten
        report.rowsDeleted = replacement.rowsDeleted
        report.replacedGroups = replacement.recreatedGroups.map { "\($0.source)/\($0.name)" }.sorted()
        report.sources = affected.map(\.description).sorted()
        report.groups = Set(
            appends.filter { !refusedGroups.contains($0.group.description) }.map { "\($0.group.source)/\($0.group.name)" }
        ).sorted()
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
