import Foundation
import FurrowAgronomy
import FurrowStore
import Hummingbird
import HummingbirdCore
import NIOCore

extension APIServer {
    struct TrapList: Encodable { var traps: [Trap] }

    struct CountImport: Encodable {
        var trap: Int64
        var stored: Int
        var first: String
        var last: String
    }

    static func registerPestRoutes(_ r: inout RouteRegistrar) {
        r.add(.get, "/v1/projects/{project}/fields/{field}/traps") { server, _, context in
            let slug = try await server.authorize(context, role: .reader)
            let field = try server.requireField(context, project: slug)
            return try json(TrapList(traps: try server.traps.traps(project: slug, field: field.id)))
        }
        r.add(.post, "/v1/projects/{project}/fields/{field}/traps") { server, request, context in
            let slug = try await server.authorize(context, role: .admin)
            let field = try server.requireField(context, project: slug)
            let input = try await server.decodeBody(TrapInput.self, request)
            do {
                return try json(try server.traps.create(input, field: field), status: .created)
            } catch TrapCatalog.Problem.nameTaken(let name) {
                throw APIProblem(.conflict, "field \(field.id) has a trap named \(name) already", parameter: "name")
            } catch TrapCatalog.Problem.invalid(let parameter, let reason) {
                throw APIProblem(.invalidBody, reason, parameter: parameter)
            }
        }
        r.add(.post, "/v1/projects/{project}/fields/{field}/traps/{trap}/counts") { server, request, context in
            let slug = try await server.authorize(context, role: .uploader)
            let field = try server.requireField(context, project: slug)
            let trapID = try pathID(context, "trap")
            guard let trap = try server.traps.trap(id: trapID, field: field.id, project: slug) else {
                throw APIProblem(.notFound, "field \(field.id) has no trap \(trapID); create it with POST …/fields/\(field.id)/traps first", parameter: "trap")
            }
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: server.limits.maximumBodyBytes)
            } catch {
                throw APIProblem(.bodyTooLarge, "the request body is larger than \(server.limits.maximumBodyBytes) bytes")
            }
            let csv = request.headers[.contentType]?.lowercased().hasPrefix("text/csv") ?? false
            let zone = try server.fields.field(id: field.parent ?? field.id, project: slug)?.timeZone ?? field.timeZone
            let upload: TrapCountUpload
            do {
                upload = try TrapCountUpload(
                    Data(buffer.readableBytesView), csv: csv, timeZone: zone.flatMap(TimeZone.init(identifier:)) ?? .gmt)
            } catch let error as TrapCountUploadError {
                throw APIProblem(.invalidBody, "nothing stored: \(error.description)", parameter: "body")
            }
            let group = TrapCatalog.group(project: slug, field: field.id, trap: trap.id)
            let existing = try await TrapCatalog.counts(
                store: server.store, project: slug, field: field.id, trap: trap.id, in: 0..<Int64.max)
            let stored = Set(existing.times)
            let clashes = upload.rows.filter { stored.contains($0.time) }
            if !clashes.isEmpty {
                let list = clashes.prefix(20).map { "row \($0.number): trap \(trap.id) already has a check at \(StoreTime.format($0.time))" }
                throw APIProblem(.conflict, "nothing stored: " + list.joined(separator: "; "), parameter: "body")
            }
            try await server.store.append(
                group, channels: [StoreChannel(name: "count", valueType: .int64, unit: "insects")],
                timestamps: upload.rows.map(\.time), columns: [.int64(upload.rows.map(\.count))])
            try await server.store.flush()
            return try json(
                CountImport(
                    trap: trap.id, stored: upload.rows.count, first: StoreTime.format(upload.rows[0].time),
                    last: StoreTime.format(upload.rows[upload.rows.count - 1].time)),
                status: .created)
        }
        r.add(.get, "/v1/projects/{project}/fields/{field}/pest") { server, request, context in
            let slug = try await server.authorize(context, role: .reader)
            let field = try server.requireField(context, project: slug)
            let query = request.uri.queryParameters
            let from = try query.get("from").map { try Self.localDate(Substring($0), name: "from") }
            let to = try query.get("to").map { try Self.localDate(Substring($0), name: "to") }
            let model = query.get("model") ?? "codling-moth"
            let format = query.get("format") ?? "json"
            guard format == "json" || format == "csv" else {
                throw APIProblem(.invalidParameter, "format=\(format): expected json or csv", parameter: "format")
            }
            let summary: PestSummary
            do {
                summary = try await PestSummarizer(store: server.store, fields: server.fields, traps: server.traps)
                    .summary(field: field, project: slug, model: model, from: from, to: to)
            } catch let error as PestSummaryError {
                throw APIProblem(
                    error.kind == .invalidRequest ? .invalidParameter : .fieldNotReady, error.message,
                    parameter: error.parameter)
            } catch let error as AgronomyError {
                throw APIProblem(.fieldNotReady, error.description, parameter: error.field)
            }
            if format == "csv" {
                return Response(
                    status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: summary.csv)))
            }
            return try json(JSONValue.object(summary.document))
        }
    }

    func requireField(_ context: APIContext, project: String) throws -> Field {
        let id = try Self.pathID(context, "field")
        guard let field = try fields.field(id: id, project: project) else { throw Self.noField(id) }
        return field
    }
}
