import Foundation
import FurrowAgronomy
import Hummingbird
import HummingbirdCore
import NIOCore

extension APIServer {
    struct HarvestList: Encodable { var harvests: [Harvest] }

    static func registerYieldRoutes(_ r: inout RouteRegistrar) {
        r.add(.get, "/v1/projects/{project}/fields/{field}/harvests") { server, _, context in
            let slug = try await server.authorize(context, role: .reader)
            let field = try server.requireField(context, project: slug)
            return try json(HarvestList(harvests: try server.harvests.harvests(project: slug, field: field.id)))
        }
        r.add(.post, "/v1/projects/{project}/fields/{field}/harvests") { server, request, context in
            let slug = try await server.authorize(context, role: .uploader)
            let field = try server.requireField(context, project: slug)
            let query = request.uri.queryParameters
            let name = query.get("name") ?? "harvest"
            guard (1...200).contains(name.count) else {
                throw APIProblem(.invalidParameter, "a harvest name has 1–200 characters", parameter: "name")
            }
            let crop = query.get("crop")
            if let crop, YieldSummary.crop(crop) == nil {
                throw APIProblem(.invalidParameter, "crop=\(crop): expected corn (maize), soybean or wheat", parameter: "crop")
            }
            // Read as it streams in; refused as soon as it passes the limit.
            let data = try await server.collectDataFile(request, what: "the yield file")
            let upload: YieldCSVImport
            do {
                upload = try YieldCSVImport(data)
            } catch let error as YieldCSVImport.Failure {
                throw APIProblem(.invalidBody, "nothing stored: \(error.description)", parameter: "body")
            }
            return try json(try server.harvests.save(upload, name: name, crop: crop, field: field), status: .created)
        }
        r.add(.get, "/v1/projects/{project}/fields/{field}/yield") { server, request, context in
            let slug = try await server.authorize(context, role: .reader)
            let field = try server.requireField(context, project: slug)
            let query = request.uri.queryParameters
            let harvestID: Int64
            if let text = query.get("harvest") {
                guard let id = Int64(text), id > 0 else {
                    throw APIProblem(.invalidParameter, "harvest=\(text) is not a harvest id", parameter: "harvest")
                }
                harvestID = id
            } else {
                guard let latest = try server.harvests.latest(project: slug, field: field.id) else {
                    throw APIProblem(.notFound, "field \(field.id) has no harvest; upload one with POST …/fields/\(field.id)/harvests", parameter: "harvest")
                }
                harvestID = latest
            }
            guard let (harvest, records) = try server.harvests.load(id: harvestID, field: field.id, project: slug) else {
                throw APIProblem(.notFound, "field \(field.id) has no harvest \(harvestID)", parameter: "harvest")
            }
            var options = YieldSummary.Options()
            func number(_ name: String, _ range: ClosedRange<Double>) throws -> Double? {
                guard let text = query.get(name) else { return nil }
                guard let v = Double(text), v.isFinite, range.contains(v) else {
                    throw APIProblem(.invalidParameter, "\(name)=\(text): expected a number in \(range.lowerBound)…\(range.upperBound)", parameter: name)
                }
                return v
            }
            options.standardMoisture = try number("standardMoisture", 0...60)
            options.cellSize = try number("cellSize", 1...500) ?? 10
            options.cleaning.flowDelay = try number("flowDelay", 0...60) ?? 0
            options.cleaning.startPassDelay = try number("startPassDelay", 0...120) ?? 0
            options.cleaning.endPassDelay = try number("endPassDelay", 0...120) ?? 0
            options.cleaning.localCellSize = try number("localCellSize", 1...500)
            if let policy = query.get("moisturePolicy") {
                guard let p = DryYield.MoisturePolicy(rawValue: policy) else {
                    throw APIProblem(.invalidParameter, "moisturePolicy=\(policy): expected symmetric or never-above-wet", parameter: "moisturePolicy")
                }
                options.policy = p
            }
            if let text = query.get("vegetation") {
                guard let id = Int64(text), id > 0,
                    let survey = try server.vegetation.load(id: id, field: field.id, project: slug)
                else {
                    throw APIProblem(.notFound, "field \(field.id) has no vegetation survey \(text)", parameter: "vegetation")
                }
                options.vegetation = survey
            }
            let format = query.get("format") ?? "json"
            guard format == "json" || format == "geojson" else {
                throw APIProblem(.invalidParameter, "format=\(format): expected json or geojson", parameter: "format")
            }
            let summary: YieldSummary
            do {
                summary = try YieldSummary(harvest: harvest, records: records, field: field, options: options)
            } catch let error as PestSummaryError {
                throw APIProblem(.fieldNotReady, error.message, parameter: error.parameter)
            }
            if format == "geojson" {
                var response = try json(summary.map)
                response.headers[.contentType] = "application/geo+json"
                return response
            }
            return try json(JSONValue.object(summary.document))
        }
    }
}
