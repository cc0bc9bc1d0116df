import Foundation
import FurrowStore
import Hummingbird
import HummingbirdCore
import NIOCore

extension APIServer {
    /// A series as the API names it.
    struct SeriesView: Encodable {
        var id: Int64
        var source: String
        var group: String
        var tags: [String: String]
        var channel: String
        var unit: String?
        var type: String

        init(_ info: StoreSeriesInfo) {
            id = info.id
            source = info.key.group.source
            group = info.key.group.name
            tags = info.key.group.tags
            channel = info.key.channel
            unit = info.unit
            type = info.valueType.description
        }
    }

    struct SourceView: Encodable {
        var name: String
        var groups: Int
        var series: Int
    }

    struct SourceList: Encodable { var sources: [SourceView] }
    struct SeriesList: Encodable { var series: [SeriesView] }

    /// How a query answer is written.
    enum OutputFormat: String {
        case json
        case csv
        case lp
    }

    /// How times are written in JSON answers.
    enum TimeFormat: String {
        case rfc3339
        case ms
        case us
    }

    static func registerSeriesRoutes(_ r: inout RouteRegistrar) {
        r.add(.get, "/v1/projects/{project}/sources") { server, _, context in
            let slug = try await server.authorize(context, role: .reader)
            let sources = try await server.store.sources(project: slug)
            return try json(SourceList(sources: sources.map { SourceView(name: $0.name, groups: $0.groups, series: $0.series) }))
        }
        r.add(.get, "/v1/projects/{project}/sources/{source}/series") { server, _, context in
            let slug = try await server.authorize(context, role: .reader)
            let source = try pathParameter(context, "source")
            let series = try await server.store.series(project: slug, source: source)
            guard !series.isEmpty else { throw APIProblem(.notFound, "no source \(source)", parameter: "source") }
            return try json(SeriesList(series: series.map(SeriesView.init)))
        }
        r.add(.get, "/v1/projects/{project}/series") { server, request, context in
            let slug = try await server.authorize(context, role: .reader)
            let query = request.uri.queryParameters
            let limit = try query.get("limit").map { text -> Int in
                guard let n = Int(text), (1...100_000).contains(n) else {
                    throw APIProblem(.invalidParameter, "limit=\(text) must be 1…100000", parameter: "limit")
                }
                return n
            } ?? 10_000
            let series = try await server.store.series(
                project: slug, source: query.get("source"), group: query.get("group"),
                channel: query.get("channel"), limit: limit)
            return try json(SeriesList(series: series.map(SeriesView.init)))
        }
        r.add(.get, "/v1/projects/{project}/series/data") { server, request, context in
            let slug = try await server.authorize(context, role: .reader)
            return try await server.seriesData(request, project: slug)
        }
        r.add(.get, "/v1/projects/{project}/series/latest") { server, request, context in
            let slug = try await server.authorize(context, role: .reader)
            let query = request.uri.queryParameters
            let series = try await server.resolveSeries(query, project: slug)
            let timeFormat = try Self.timeFormat(query)
            var out = JSONText()
            out.raw("{\"series\":[")
            for (n, info) in series.enumerated() {
                if n > 0 { out.raw(",") }
                server.writeSeriesHeader(&out, info)
                if let latest = try await server.store.latest(info.key) {
                    out.key("time")
                    Self.writeTime(&out, latest.timestamp, timeFormat)
                    out.key("value")
                    var values = JSONText(capacity: 32)
                    values.values(latest.value, 0..<1)
                    out.bytes.append(contentsOf: values.bytes.dropFirst().dropLast())
                } else {
                    out.raw(",\"time\":null,\"value\":null")
                }
                out.raw("}")
            }
            out.raw("]}")
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: out.bytes)))
        }
    }

    // MARK: - Query parameters

    /// The series named by `series=` (repeatable, ids from the listings), each of this project.
    func resolveSeries(_ query: FlatDictionary<Substring, Substring>, project: String) async throws -> [StoreSeriesInfo] {
        let texts = query.getAll("series").flatMap { $0.split(separator: ",") }
        guard !texts.isEmpty else {
            throw APIProblem(.invalidParameter, "name at least one series=<id> (see /series)", parameter: "series")
        }
        guard texts.count <= limits.maximumSeriesPerQuery else {
            throw APIProblem(
                .invalidParameter, "at most \(limits.maximumSeriesPerQuery) series per query, got \(texts.count)",
                parameter: "series")
        }
        var result: [StoreSeriesInfo] = []
        for text in texts {
            guard let id = Int64(text), let info = try await store.series(id: id, project: project) else {
                throw APIProblem(.unknownSeries, "no series \(text) in project \(project)", parameter: "series")
            }
            result.append(info)
        }
        return result
    }

    static func timeFormat(_ query: FlatDictionary<Substring, Substring>) throws -> TimeFormat {
        guard let text = query.get("time") else { return .rfc3339 }
        guard let format = TimeFormat(rawValue: text) else {
            throw APIProblem(.invalidParameter, "time=\(text): expected rfc3339, ms or us", parameter: "time")
        }
        return format
    }

    static func outputFormat(_ query: FlatDictionary<Substring, Substring>, _ request: Request) throws -> OutputFormat {
        if let text = query.get("format") {
            guard let format = OutputFormat(rawValue: text) else {
                throw APIProblem(.invalidParameter, "format=\(text): expected json, csv or lp", parameter: "format")
            }
            return format
        }
        let accept = request.headers[.accept] ?? ""
        if accept.contains("text/csv") { return .csv }
        return .json
    }

    static func writeTime(_ out: inout JSONText, _ t: Int64, _ format: TimeFormat) {
        switch format {
        case .rfc3339: out.time(t)
        case .ms: out.integer(t / 1000)
        case .us: out.integer(t)
        }
    }

    func writeSeriesHeader(_ out: inout JSONText, _ info: StoreSeriesInfo) {
        out.raw("{")
        out.key("id", first: true)
        out.raw("\(info.id)")
        out.key("source")
        out.string(info.key.group.source)
        out.key("group")
        out.string(info.key.group.name)
        out.key("tags")
        out.raw("{")
        for (n, tag) in info.key.group.tags.sorted(by: { $0.key < $1.key }).enumerated() {
            out.key(tag.key, first: n == 0)
            out.string(tag.value)
        }
        out.raw("}")
        out.key("channel")
        out.string(info.key.channel)
        out.key("unit")
        out.optionalString(info.unit)
        out.key("type")
        out.string(info.valueType.description)
    }

    // MARK: - Data

    /// Closes the `series` array and the answer with the chunks that were skipped as corrupt.
    static func writeSkipped(_ out: inout JSONText, _ skipped: [String]) {
        out.raw("],\"skipped\":[")
        for (n, s) in skipped.enumerated() {
            if n > 0 { out.raw(",") }
            out.string(s)
        }
        out.raw("]}")
    }

    /// `series/data`: raw rows, or buckets with `bucket=`, as JSON, CSV or line protocol.
    func seriesData(_ request: Request, project: String) async throws -> Response {
        let query = request.uri.queryParameters
        let series = try await resolveSeries(query, project: project)
        let range = try TimeParameters.range(query)
        let format = try Self.outputFormat(query, request)
        let timeFormat = try Self.timeFormat(query)
        if let bucketText = query.get("bucket") {
            let width = try TimeParameters.duration(Substring(bucketText), name: "bucket")
            let span = range.upperBound.subtractingReportingOverflow(range.lowerBound)
            let buckets = span.overflow ? Int64.max : span.partialValue / width + 1
            let cells = buckets.multipliedReportingOverflow(by: Int64(series.count * 8))
            guard !cells.overflow, cells.partialValue <= limits.maximumResultValues else {
                throw APIProblem(
                    .resultTooLarge,
                    "\(series.count) series × \(buckets) buckets is more than the \(limits.maximumResultValues) values an answer may hold; widen bucket or narrow the range",
                    parameter: "bucket")
            }
            for info in series where info.valueType == .string {
                throw APIProblem(
                    .invalidParameter, "series \(info.id) holds strings; buckets need numbers", parameter: "series")
            }
            return try await bucketAnswer(series, range: range, width: width, format: format, timeFormat: timeFormat)
        }
        var rows = 0
        for info in series { rows += try await store.rowCountUpperBound(info, in: range) }
        let limit = format == .json ? limits.maximumResultValues : limits.maximumExportRows
        guard rows <= limit else {
            throw APIProblem(
                .resultTooLarge,
                "the range holds up to \(rows) rows, more than the \(limit) this answer may hold; narrow the range, add bucket= or export as CSV",
                parameter: "to")
        }
        switch format {
        case .json: return try await rawJSON(series, range: range, timeFormat: timeFormat)
        case .csv, .lp: return rawExport(series, range: range, format: format)
        }
    }

    func rawJSON(_ series: [StoreSeriesInfo], range: Range<Int64>, timeFormat: TimeFormat) async throws -> Response {
        var out = JSONText(capacity: 1 << 16)
        out.raw("{\"series\":[")
        var skipped: [String] = []
        for (n, info) in series.enumerated() {
            if n > 0 { out.raw(",") }
            writeSeriesHeader(&out, info)
            var times = JSONText(capacity: 1 << 14)
            var values = JSONText(capacity: 1 << 14)
            var first = true
            for try await event in try await store.read(info.key, in: range) {
                switch event {
                case .rows(let slice):
                    guard !slice.timestamps.isEmpty else { continue }
                    for t in slice.timestamps {
                        times.raw(first ? "" : ",")
                        Self.writeTime(&times, t, timeFormat)
                        first = false
                    }
                    var part = JSONText(capacity: slice.timestamps.count * 8)
                    part.values(slice.values, 0..<slice.timestamps.count)
                    if !values.bytes.isEmpty { values.raw(",") }
                    values.bytes.append(contentsOf: part.bytes.dropFirst().dropLast())
                case .skipped(let error):
                    skipped.append("\(error)")
                }
            }
            out.raw(",\"times\":[")
            out.bytes.append(contentsOf: times.bytes)
            out.raw("],\"values\":[")
            out.bytes.append(contentsOf: values.bytes)
            out.raw("]}")
        }
        Self.writeSkipped(&out, skipped)
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: out.bytes)))
    }

    func rawExport(_ series: [StoreSeriesInfo], range: Range<Int64>, format: OutputFormat) -> Response {
        let store = self.store
        let body = ResponseBody { writer in
            var out: [UInt8] = []
            out.reserveCapacity(1 << 16)
            if format == .csv { out += Array("time,series,source,group,tags,channel,value\n".utf8) }
            for info in series {
                let key = info.key
                let prefix = Array(
                    ",\(info.id),\(StoreExport.csvQuoted(key.group.source)),\(StoreExport.csvQuoted(key.group.name)),\(StoreExport.csvQuoted(key.group.canonicalTags)),\(StoreExport.csvQuoted(key.channel)),"
                        .utf8)
                for try await event in try await store.read(key, in: range) {
                    guard case .rows(let slice) = event else { continue }
                    for (i, t) in slice.timestamps.enumerated() {
                        let value = StoreExport.value(slice.values, i)
                        if format == .csv {
                            out += Array(StoreTime.format(t).utf8)
                            out += prefix
                            out += Array(StoreExport.csvText(value).utf8)
                            out.append(0x0A)
                        } else {
                            out += Array((StoreExport.line(key.group, fields: [(key.channel, value)], micros: t) + "\n").utf8)
                        }
                        if out.count >= 1 << 16 {
                            try await writer.write(ByteBuffer(bytes: out))
                            out.removeAll(keepingCapacity: true)
                        }
                    }
                }
            }
            if !out.isEmpty { try await writer.write(ByteBuffer(bytes: out)) }
            try await writer.finish(nil)
        }
        let contentType = format == .csv ? "text/csv; charset=utf-8" : "text/plain; charset=utf-8"
        return Response(status: .ok, headers: [.contentType: contentType], body: body)
    }

    /// The aggregates of a bucket answer after `count`, in answer order.
    static let bucketColumns: [(String, @Sendable (StoreBucket) -> Double)] = [
        ("mean", { $0.mean }), ("min", { $0.minimum }), ("max", { $0.maximum }), ("sum", { $0.sum }),
        ("first", { $0.first }), ("last", { $0.last }),
    ]

    func bucketAnswer(
        _ series: [StoreSeriesInfo], range: Range<Int64>, width: Int64, format: OutputFormat, timeFormat: TimeFormat
    ) async throws -> Response {
        var results: [(StoreSeriesInfo, [StoreBucket])] = []
        var skipped: [String] = []
        for info in series {
            let answer = try await store.buckets(info.key, in: range, width: width)
            results.append((info, answer.buckets))
            skipped += answer.skipped.map { "\($0)" }
        }
        switch format {
        case .json:
            var out = JSONText(capacity: 1 << 14)
            out.raw("{\"bucketSeconds\":\(Double(width) / 1e6),\"series\":[")
            for (n, (info, buckets)) in results.enumerated() {
                if n > 0 { out.raw(",") }
                writeSeriesHeader(&out, info)
                out.raw(",\"buckets\":{")
                out.key("start", first: true)
                out.raw("[")
                for (i, b) in buckets.enumerated() {
                    if i > 0 { out.byte(0x2C) }
                    Self.writeTime(&out, b.start, timeFormat)
                }
                out.raw("]")
                out.key("count")
                out.raw("[")
                for (i, b) in buckets.enumerated() {
                    if i > 0 { out.byte(0x2C) }
                    out.integer(Int64(b.count))
                }
                out.raw("]")
                // One column at a time from a plain array (not a closure per value over the bucket structs).
                var column = [Double](repeating: 0, count: buckets.count)
                for (name, aggregate) in Self.bucketColumns {
                    for i in buckets.indices { column[i] = aggregate(buckets[i]) }
                    out.key(name)
                    out.doubles(column)
                }
                out.raw("}}")
            }
            Self.writeSkipped(&out, skipped)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: out.bytes)))
        case .csv:
            var out = "time,series,source,group,tags,channel,count,mean,min,max,sum,first,last\n"
            for (info, buckets) in results {
                let key = info.key
                for b in buckets {
                    out += "\(StoreTime.format(b.start)),\(info.id),\(StoreExport.csvQuoted(key.group.source)),\(StoreExport.csvQuoted(key.group.name)),\(StoreExport.csvQuoted(key.group.canonicalTags)),\(StoreExport.csvQuoted(key.channel)),\(b.count),\(b.mean),\(b.minimum),\(b.maximum),\(b.sum),\(b.first),\(b.last)\n"
                }
            }
            return Response(
                status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: out)))
        case .lp:
            var out = ""
            for (info, buckets) in results {
                for b in buckets {
                    let fields: [(key: String, value: LineProtocolValue)] = [
                        ("\(info.key.channel)_count", .integer(Int64(b.count))), ("\(info.key.channel)_mean", .float(b.mean)),
                        ("\(info.key.channel)_min", .float(b.minimum)), ("\(info.key.channel)_max", .float(b.maximum)),
                        ("\(info.key.channel)_sum", .float(b.sum)), ("\(info.key.channel)_first", .float(b.first)),
                        ("\(info.key.channel)_last", .float(b.last)),
                    ].filter { if case .float(let v) = $0.value { v.isFinite } else { true } }
                    out += StoreExport.line(info.key.group, fields: fields, micros: b.start) + "\n"
                }
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: out)))
        }
    }
}
