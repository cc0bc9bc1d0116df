import Foundation
import FurrowIngest
import FurrowLogs
import FurrowStore
import FurrowWire
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What an import did, kept with the upload (`report`) so a researcher sees exactly what went in.
public struct FlightImportReport: Sendable, Codable, Hashable {
    public var format: String
    public var bytes: Int64
    /// Row groups (log series) and values stored.
    public var seriesGroups = 0
    public var rows = 0
    public var values = 0
    /// Rows whose timestamp did not advance in their series, stored 1 µs after the previous row so none is
    /// lost (the store keeps one row per series and timestamp), and which series they were in.
    public var nudgedRows = 0
    public var nudgedSeries: [String] = []
    /// Where the file was cut, when it was (everything before it is imported).
    public var truncation: String?
    /// How log times became UTC: `gps`, `tlog`, or `upload-time` when the log has no GPS time.
    public var timeAnchor: String
    /// Log types not stored as series (self-description; parameters are kept in the summary).
    public var skippedTypes: [String] = []
    /// Seconds spent reading the summary, and storing.
    public var summarySeconds = 0.0
    public var storeSeconds = 0.0
    /// Why the import failed, when it did.
    public var error: String?
}

/// Why an import stopped (nothing of it is visible afterwards).
public struct FlightImportError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public let format: String?
    public var description: String { reason }
}

/// Imports one uploaded log: a summary pass, then every series into a staging area of the store, then one
/// transaction that publishes the series together with the flight and marks the upload done.
///
/// A file that is not a flight log, or fails while storing, leaves nothing visible: staged rows are deleted.
/// A truncated log is imported up to the cut, and the report says where the cut was.
public struct FlightLogImporter: Sendable {
    public let store: TimeSeriesStore
    public let uploads: UploadCatalog
    /// Reads per chunk (also the unit of progress).
    var chunkSize = 4 << 20

    public init(store: TimeSeriesStore, uploads: UploadCatalog) {
        self.store = store
        self.uploads = uploads
    }

    /// The store source an upload's series live under.
    public static func sourceName(upload: Int64) -> String { "upload-\(upload)" }

    /// Imports `upload` from the file at `path`; returns the flight id.
    @discardableResult
    public func run(_ upload: UploadRecord, path: String) async throws -> Int64 {
        let prefix = Self.prefix(of: path)
        guard let format = FlightLogFormat.detect(prefix) else {
            throw FlightImportError(
                reason: "not a flight log: a .tlog, ArduPilot DataFlash .bin or PX4 .ulg was expected (first bytes: "
                    + prefix.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ") + ")",
                format: nil)
        }
        let formatName = Self.formatName(format)
        try uploads.start(id: upload.id, format: formatName)
        let summaryStart = ContinuousClock.now
        let flows = upload.flows.compactMap { try? FlightFlowChannel(specification: $0, marksSpraying: upload.sprayingOnly) }
        let options = FlightSummaryOptions(
            swathWidthMeters: upload.swathWidth, areaOnlyWhileSpraying: upload.sprayingOnly && !flows.isEmpty,
            flowChannels: flows)
        let summary: FlightSummary
        do {
            summary = try FlightLogSummary.read(path: path, format: format, options: options)
        } catch {
            throw FlightImportError(reason: "the log could not be read: \(error)", format: formatName)
        }
        var report = FlightImportReport(format: formatName, bytes: upload.size, timeAnchor: "gps")
        report.truncation = summary.truncation
        report.summarySeconds = Self.seconds(since: summaryStart)

        let offset: Int64
        if format == .tlog {
            offset = 0
            report.timeAnchor = "tlog"
        } else if let gps = summary.utcOffsetMicros {
            offset = gps
        } else {
            // No GPS time: place the log so it ends when it was uploaded, and say so.
            offset = upload.createdAt - (summary.logSpan?.endMicros ?? 0)
            report.timeAnchor = "upload-time"
        }
        let source = Self.sourceName(upload: upload.id)
        let staging = TimeSeriesStore.stagingPrefix + upload.project
        var writer = LogSeriesWriter(project: staging, source: source, offset: offset)
        let storeStart = ContinuousClock.now
        do {
            let loader = StoreBulkLoader(store: store)
            if let cut = try await storeSeries(format: format, path: path, upload: upload, writer: &writer, loader: loader) {
                report.truncation = cut.description
            }
            try await loader.finish()
        } catch {
            _ = try? await store.deleteSource(project: staging, source: source)
            throw FlightImportError(reason: "storing the log's series failed: \(error)", format: formatName)
        }
        guard writer.rows > 0 else {
            _ = try? await store.deleteSource(project: staging, source: source)
            throw FlightImportError(
                reason: "the file holds no data messages" + (summary.truncation.map { " (\($0))" } ?? ""), format: formatName)
        }
        report.storeSeconds = Self.seconds(since: storeStart)
        report.seriesGroups = writer.groupNames.count
        report.rows = writer.rows
        report.values = writer.values
        report.nudgedRows = writer.nudgedRows
        report.nudgedSeries = writer.nudgedSeries.sorted()
        report.skippedTypes = format == .dataflash ? LogSeriesWriter.skippedDataFlashTypes.sorted() : []

        try uploads.progress(id: upload.id, phase: "publishing", bytes: upload.size)
        let stored = try FlightSummaryStorage.encode(summary, offset: offset)
        let summaryJSON = stored.json
        let track = stored.track
        let reportJSON = String(decoding: try JSONEncoder.sorted.encode(report), as: UTF8.self)
        let start = (summary.startMicros ?? summary.logSpan?.startMicros ?? 0) + offset
        let end = (summary.endMicros ?? summary.logSpan?.endMicros).map { $0 + offset }
        let project = upload.project
        let id = upload.id
        let now = Self.now()
        do {
            return try await store.moveSource(project: staging, source: source, toProject: project, toSource: source) { db in
                let flight = try FlightCatalog.insertImported(
                    db, project: project, source: source, start: start, end: end, vehicleType: nil,
                    autopilot: nil, upload: id, summary: summaryJSON, track: track)
                try UploadCatalog.finish(db, id: id, flight: flight, report: reportJSON, now: now)
                return flight
            }
        } catch {
            _ = try? await store.deleteSource(project: staging, source: source)
            throw FlightImportError(reason: "publishing the flight failed: \(error)", format: formatName)
        }
    }

    /// Pass 2: every data message into the staging source, a chunk of the file at a time.
    func storeSeries(
        format: FlightLogFormat, path: String, upload: UploadRecord, writer: inout LogSeriesWriter,
        loader: StoreBulkLoader
    ) async throws -> LogTruncation? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FlightImportError(reason: "cannot open the upload: errno \(errno)", format: nil) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var bytesRead = 0 as Int64
        var lastProgress = ContinuousClock.now
        var dataflash = DataFlashReader()
        var dataflashBatcher = DataFlashBatcher()
        var ulog = ULogReader()
        var ulogBatcher = ULogBatcher()
        var tlog = TlogReader()
        var mavlinkBatcher = MAVLinkBatcher()
        let mapper = try Self.tlogMapper()
        var appends: [StoreAppend] = []
        var end = false
        while !end {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FlightImportError(reason: "cannot read the upload: errno \(errno)", format: nil)
            }
            end = n == 0
            bytesRead += Int64(n)
            // Readers hand over messages synchronously; the batches they fill are appended after each chunk.
            func take(_ batch: LogBatch) {
                if let append = writer.append(for: batch) { appends.append(append) }
            }
            func takeMAVLink(_ batch: MAVLinkBatch) {
                for rows in mapper.map(batch) {
                    let mapped = StoreAppend(
                        group: StoreGroupKey(
                            project: writer.project, source: writer.source, name: rows.group,
                            tags: ["sender": "\(batch.source.systemID)/\(batch.source.componentID)"]),
                        channels: rows.channels, timestamps: rows.timestamps, columns: rows.columns)
                    appends.append(writer.adopt(mapped))
                }
            }
            try buffer.withUnsafeBytes { all in
                let chunk = UnsafeRawBufferPointer(rebasing: all[0..<Swift.max(n, 0)])
                switch format {
                case .dataflash:
                    if end {
                        dataflash.finish { dataflashBatcher.append($0, take) }
                        dataflashBatcher.flush(take)
                    } else {
                        dataflash.feed(chunk) { dataflashBatcher.append($0, take) }
                    }
                case .ulog:
                    let onEvent: (ULogEvent) -> Void = { event in
                        if case .data(let data) = event { ulogBatcher.append(data, take) }
                    }
                    if end {
                        try ulog.finish(onEvent)
                        ulogBatcher.flush(take)
                    } else {
                        try ulog.feed(chunk, onEvent)
                    }
                case .tlog:
                    let onRecord: (TlogRecord) -> Void = { record in
                        mavlinkBatcher.append(record.frame, timestamp: record.timestampMicros, onFull: takeMAVLink)
                    }
                    if end {
                        tlog.finish(onRecord)
                        mavlinkBatcher.flush(takeMAVLink)
                    } else {
                        tlog.feed(chunk, onRecord)
                    }
                }
            }
            for append in appends { try await loader.append(append) }
            appends.removeAll(keepingCapacity: true)
            if end {
                switch format {
                case .dataflash: return dataflash.truncation
                case .ulog: return ulog.truncation
                case .tlog: return nil
                }
            }
            if ContinuousClock.now - lastProgress > .milliseconds(500) {
                lastProgress = .now
                try? uploads.progress(id: upload.id, phase: "storing", bytes: bytesRead)
            }
        }
        return nil
    }

    /// Every message and field of a .tlog, as the daemon's `generic-mavlink` profile stores them.
    static func tlogMapper() throws -> MAVLinkMapper {
        let profile = DeviceProfile(
            name: "upload-tlog", deviceProtocol: .mavlink, transport: DeviceTransportDefaults(),
            mavlink: MAVLinkProfileMapping(mapAll: true, exclude: []), file: "(built in)")
        return try MAVLinkMapper(profile: profile)
    }

    static func formatName(_ format: FlightLogFormat) -> String {
        switch format {
        case .tlog: "tlog"
        case .dataflash: "bin"
        case .ulog: "ulg"
        }
    }

    static func prefix(of path: String) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 64)
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, 64) }
        return Array(bytes.prefix(Swift.max(n, 0)))
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1e6) }
}

extension JSONEncoder {
    /// Sorted keys, unescaped slashes: stable stored JSON.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
