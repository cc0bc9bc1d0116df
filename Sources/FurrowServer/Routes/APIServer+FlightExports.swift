import Foundation
import FurrowIngest
import FurrowLogs
import FurrowStore
import Hummingbird
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension APIServer {
    /// Exports of one flight: its track (GeoJSON, KML, GPX), its channels as CSV, and the original log file.
    static func registerFlightExportRoutes(_ r: inout RouteRegistrar) {
        r.add(.get, "/v1/projects/{project}/flights/{flight}/track") { server, request, context in
            let slug = try await server.authorize(context, role: .reader)
            let flight = try await server.flight(context, project: slug)
            let text = request.uri.queryParameters.get("format") ?? "geojson"
            guard let format = TrackExportFormat(rawValue: text) else {
                throw APIProblem(.invalidParameter, "format must be geojson, kml or gpx", parameter: "format")
            }
            guard let summary = try await server.trackSummary(flight) else {
                throw APIProblem(.notFound, "flight \(flight.id) has no recorded GPS track", parameter: "flight")
            }
            var collected: [ByteBuffer] = []
            try format.write(summary) { collected.append(ByteBuffer(string: $0)) }
            let pieces = collected
            let body = ResponseBody { writer in
                for piece in pieces { try await writer.write(piece) }
                try await writer.finish(nil)
            }
            return Response(
                status: .ok,
                headers: [
                    .contentType: format.mediaType,
                    .contentDisposition: "attachment; filename=\"flight-\(flight.id).\(format.fileExtension)\"",
                ],
                body: body)
        }
        r.add(.get, "/v1/projects/{project}/flights/{flight}/original") { server, _, context in
            let slug = try await server.authorize(context, role: .reader)
            let flight = try await server.flight(context, project: slug)
            guard let uploadID = flight.upload, let upload = try await server.uploadCatalog.upload(id: uploadID, project: slug),
                let files = server.uploadQueue?.files, let path = files.path(sha256: upload.sha256)
            else {
                throw APIProblem(.notFound, "flight \(flight.id) was recorded live: it has no uploaded file", parameter: "flight")
            }
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                throw APIProblem(.notFound, "the original file of flight \(flight.id) is no longer kept", parameter: "flight")
            }
            let body = ResponseBody { writer in
                defer { close(fd) }
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { break }
                    try await writer.write(ByteBuffer(bytes: buffer[0..<n]))
                }
                try await writer.finish(nil)
            }
            let name = upload.fileName.replacingOccurrences(of: "\"", with: "_")
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/octet-stream", .contentLength: String(upload.size),
                    .contentDisposition: "attachment; filename=\"\(name)\"",
                ],
                body: body)
        }
        r.add(.get, "/v1/projects/{project}/flights/{flight}/series") { server, _, context in
            let slug = try await server.authorize(context, role: .reader)
            let flight = try await server.flight(context, project: slug)
            let series = try await server.store.series(project: slug, source: flight.source)
            return try json(SeriesList(series: series.map(SeriesView.init)))
        }
        r.add(.get, "/v1/projects/{project}/flights/{flight}/csv") { server, request, context in
            let slug = try await server.authorize(context, role: .reader)
            let flight = try await server.flight(context, project: slug)
            let query = request.uri.queryParameters
            guard let group = query.get("group"), !group.isEmpty else {
                throw APIProblem(
                    .invalidParameter, "name the row group to export with group= (see the flight's series)", parameter: "group")
            }
            var series = try await server.store.series(project: slug, source: flight.source, group: group)
            guard !series.isEmpty else {
                throw APIProblem(.notFound, "flight \(flight.id) has no row group \(group)", parameter: "group")
            }
            // One set of tags (a .tlog's sender `sysid/compid`): the first unless `sender=` picks another.
            if let sender = query.get("sender") {
                series = series.filter { $0.key.group.tags["sender"] == sender }
                guard !series.isEmpty else {
                    throw APIProblem(.notFound, "row group \(group) has no sender \(sender)", parameter: "sender")
                }
            }
            let tags = series[0].key.group.tags
            series = series.filter { $0.key.group.tags == tags }
            let channels = query.getAll("channel").flatMap { $0.split(separator: ",").map(String.init) }
            if !channels.isEmpty {
                let known = Set(series.map(\.key.channel))
                if let unknown = channels.first(where: { !known.contains($0) }) {
                    throw APIProblem(.invalidParameter, "row group \(group) has no channel \(unknown)", parameter: "channel")
                }
                series = channels.compactMap { name in series.first { $0.key.channel == name } }
            }
            // An uploaded log's source holds that log only: all of it (rows logged before arming, topics whose
            // timestamps stay 0); a live flight is its armed period of the vehicle's source.
            let range = flight.upload != nil ? Int64.min..<Int64.max : flight.start..<((flight.end ?? Int64.max - 1) + 1)
            var rows = 0
            if let first = series.first { rows = try await server.store.rowCountUpperBound(first, in: range) }
            guard rows <= server.limits.maximumExportRows else {
                throw APIProblem(
                    .resultTooLarge, "row group \(group) holds up to \(rows) rows in this flight, more than the \(server.limits.maximumExportRows) an export may stream",
                    parameter: "group")
            }
            return server.wideCSV(series, range: range, fileName: "flight-\(flight.id)-\(group).csv")
        }
    }

    /// Flight `{flight}` of `project`, or 404.
    func flight(_ context: APIContext, project: String) async throws -> FlightRecord {
        let id = try Self.pathID(context, "flight")
        guard let flight = try await flights.flight(id: id, project: project) else {
            throw APIProblem(.notFound, "no flight \(id)", parameter: "flight")
        }
        return flight
    }

    /// A flight's summary with its stored track, ready for the track writers; nil without a track.
    func trackSummary(_ flight: FlightRecord) async throws -> FlightSummary? {
        guard let bytes = try await flights.track(id: flight.id, project: flight.project) else { return nil }
        var summary =
            flight.summary.flatMap { FlightSummaryStorage.decode(json: $0, track: bytes) }
            ?? FlightSummary(format: .tlog, timeBase: .utc)
        if summary.track.isEmpty { summary.track = FlightSummaryStorage.decodeTrack(bytes) ?? [] }
        guard !summary.track.isEmpty else { return nil }
        return summary
    }

    /// One CSV row per timestamp with a column per channel of one row group (time first, RFC 3339), streamed.
    func wideCSV(_ series: [StoreSeriesInfo], range: Range<Int64>, fileName: String) -> Response {
        let store = self.store
        let body = ResponseBody { writer in
            var out: [UInt8] = []
            out.reserveCapacity(1 << 16)
            out += Array(("time," + series.map { StoreExport.csvQuoted($0.key.channel) }.joined(separator: ",") + "\n").utf8)
            var zipper = RowZipper(count: series.count)
            var iterators: [AsyncThrowingStream<StoreReadEvent, any Error>.AsyncIterator] = []
            for info in series { iterators.append(try await store.read(info.key, in: range).makeAsyncIterator()) }
            while true {
                for i in iterators.indices where zipper.needsRows(i) {
                    var next: StoreSlice?
                    while let event = try await iterators[i].next() {
                        if case .rows(let slice) = event, !slice.timestamps.isEmpty {
                            next = slice
                            break
                        }
                    }
                    zipper.supply(i, next)
                }
                guard let (time, values) = zipper.nextRow() else { break }
                out += Array(StoreTime.format(time).utf8)
                for value in values {
                    out.append(0x2C)
                    if let value { out += Array(StoreExport.csvText(value).utf8) }
                }
                out.append(0x0A)
                if out.count >= 1 << 16 {
                    try await writer.write(ByteBuffer(bytes: out))
                    out.removeAll(keepingCapacity: true)
                }
            }
            if !out.isEmpty { try await writer.write(ByteBuffer(bytes: out)) }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(fileName)\""],
            body: body)
    }
}

/// Lines up the streams of several series by timestamp: each row takes the earliest pending time, and a series
/// without a value at that time leaves its cell empty.
struct RowZipper {
    var slices: [StoreSlice?]
    var positions: [Int]
    var finished: [Bool]

    init(count: Int) {
        slices = Array(repeating: nil, count: count)
        positions = Array(repeating: 0, count: count)
        finished = Array(repeating: false, count: count)
    }

    func needsRows(_ i: Int) -> Bool {
        !finished[i] && (slices[i].map { positions[i] >= $0.timestamps.count } ?? true)
    }

    mutating func supply(_ i: Int, _ slice: StoreSlice?) {
        slices[i] = slice
        positions[i] = 0
        if slice == nil { finished[i] = true }
    }

    mutating func nextRow() -> (Int64, [LineProtocolValue?])? {
        var time = Int64.max
        for i in slices.indices where !finished[i] {
            if let s = slices[i], positions[i] < s.timestamps.count { time = Swift.min(time, s.timestamps[positions[i]]) }
        }
        guard time != .max else { return nil }
        var values: [LineProtocolValue?] = []
        values.reserveCapacity(slices.count)
        for i in slices.indices {
            if !finished[i], let s = slices[i], positions[i] < s.timestamps.count, s.timestamps[positions[i]] == time {
                values.append(StoreExport.value(s.values, positions[i]))
                positions[i] += 1
            } else {
                values.append(nil)
            }
        }
        return (time, values)
    }
}
