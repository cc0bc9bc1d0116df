import Foundation
import FurrowStore
import Hummingbird
import HummingbirdCore
import NIOCore

extension APIServer {
    static func registerIrrigationRoutes(_ r: inout RouteRegistrar) {
        r.add(.get, "/v1/projects/{project}/fields/{field}/irrigation") { server, request, context in
            let slug = try await server.authorize(context, role: .reader)
            let id = try pathID(context, "field")
            guard let field = try server.fields.field(id: id, project: slug) else { throw noField(id) }
            let query = request.uri.queryParameters
            let from = try query.get("from").map { try Self.localDate(Substring($0), name: "from") }
            let to = try query.get("to").map { try Self.localDate(Substring($0), name: "to") }
            let format = query.get("format") ?? "json"
            guard format == "json" || format == "csv" else {
                throw APIProblem(.invalidParameter, "format=\(format): expected json or csv", parameter: "format")
            }
            let summary: IrrigationSummary
            do {
                summary = try await IrrigationSummarizer(store: server.store, fields: server.fields)
                    .summary(field: field, project: slug, from: from, to: to)
            } catch let error as IrrigationSummaryError {
                throw APIProblem(
                    error.kind == .invalidRequest ? .invalidParameter : .fieldNotReady, error.message,
                    parameter: error.parameter)
            }
            if format == "csv" {
                return Response(
                    status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: summary.csv)))
            }
            return try json(JSONValue.object(summary.document))
        }
    }

    /// A local date: YYYY-MM-DD as given.
    static func localDate(_ text: Substring, name: String) throws -> String {
        guard FieldCatalog.parseDate(String(text)) != nil else {
            throw APIProblem(.invalidParameter, "\(name)=\(text) is not a local date YYYY-MM-DD", parameter: name)
        }
        return String(text)
    }
}
