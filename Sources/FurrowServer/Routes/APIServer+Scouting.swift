import Foundation
import FurrowAgronomy
import Hummingbird
import HummingbirdCore
import NIOCore

extension APIServer {
    struct DetectionImport: Encodable {
        var stored: Int
        var flights: [String]
        /// Rows outside the field's boundary, not stored.
        var flagged: [DetectionUpload.RowIssue]
    }

    static func registerScoutingRoutes(_ r: inout RouteRegistrar) {
        r.add(.post, "/v1/projects/{project}/fields/{field}/detections") { server, request, context in
            let slug = try await server.authorize(context, role: .uploader)
            let field = try server.requireField(context, project: slug)
            guard let boundary = field.boundary else {
                throw APIProblem(.fieldNotReady, "field \(field.id) has no boundary: detections are placed in its grid", parameter: "boundary")
            }
            let flight = request.uri.queryParameters.get("flight")
            if let flight, !(1...200).contains(flight.count) {
                throw APIProblem(.invalidParameter, "a flight id has 1–200 characters", parameter: "flight")
            }
            let data = try await server.collectDataFile(request, what: "the detections")
            let csv = request.headers[.contentType]?.lowercased().hasPrefix("text/csv") ?? false
            let upload: DetectionUpload
            do {
                upload = try DetectionUpload(data, csv: csv, flight: flight, boundary: boundary)
            } catch let error as DetectionUpload.Failure {
                throw APIProblem(.invalidBody, "nothing stored: \(error.description)", parameter: "body")
            }
            try server.detections.save(upload.inside, field: field)
            return try json(
                DetectionImport(
                    stored: upload.inside.count, flights: Array(Set(upload.inside.compactMap(\.detection.flightID))).sorted(),
                    flagged: upload.outside),
                status: .created)
        }
        r.add(.get, "/v1/projects/{project}/fields/{field}/hotspots") { server, request, context in
            let slug = try await server.authorize(context, role: .reader)
            let field = try server.requireField(context, project: slug)
            guard let boundary = field.boundary else {
                throw APIProblem(.fieldNotReady, "field \(field.id) has no boundary: the grid is laid over it", parameter: "boundary")
            }
            let query = request.uri.queryParameters
            let flight = query.get("flight")
            func number(_ name: String, _ range: ClosedRange<Double>) throws -> Double? {
                guard let text = query.get(name) else { return nil }
                guard let v = Double(text), v.isFinite, range.contains(v) else {
                    throw APIProblem(.invalidParameter, "\(name)=\(text): expected a number in \(range.lowerBound)…\(range.upperBound)", parameter: name)
                }
                return v
            }
            let cellSize = try number("cellSize", 2...500) ?? 10
            let settings = ScoutingHotspots.Settings(
                cellSize: cellSize, minimumConfidence: try number("minConfidence", 0...1) ?? 0,
                classes: query.get("class").map { Set($0.split(separator: ",").map(String.init)) },
                densityThreshold: try number("densityThreshold", 0...1e9))
            let points = boundary.polygons.flatMap { $0.first ?? [] }
            let bounds = GeoBounds(
                minLongitude: points.map { $0[0] }.min() ?? 0, minLatitude: points.map { $0[1] }.min() ?? 0,
                maxLongitude: points.map { $0[0] }.max() ?? 0, maxLatitude: points.map { $0[1] }.max() ?? 0)
            // At most 250 000 cells per answer.
            let approximateCells = (bounds.maxLongitude - bounds.minLongitude) * 111_320 * cos(bounds.minLatitude * .pi / 180)
                * (bounds.maxLatitude - bounds.minLatitude) * 110_574 / (cellSize * cellSize)
            guard approximateCells <= 250_000 else {
                throw APIProblem(.invalidParameter, "cellSize=\(cellSize) m gives ~\(Int(approximateCells)) cells over this field; at most 250000", parameter: "cellSize")
            }
            let detections = try server.detections.detections(project: slug, field: field.id, flight: flight)
            let result: ScoutingHotspots
            do {
                result = try ScoutingHotspots(detections, bounds: bounds, settings: settings)
            } catch let error as AgronomyError {
                throw APIProblem(.fieldNotReady, error.message, parameter: error.field)
            }
            func n(_ v: Double?) -> JSONValue { v.map { $0.isFinite ? .number($0) : .null } ?? .null }
            let features: [JSONValue] = result.cells.map { c in
                .object([
                    "type": .string("Feature"),
                    "geometry": .object(["type": .string("Polygon"), "coordinates": .array([.array(c.ring.map { .array($0.map { .number($0) }) })])]),
                    "properties": .object([
                        "cell": .number(Double(c.index)), "column": .number(Double(c.column)), "row": .number(Double(c.row)),
                        "count": .number(Double(c.count)), "densityPerHectare": n(c.densityPerHectare), "meanConfidence": n(c.meanConfidence),
                        "z": n(c.z), "p": n(c.p), "confidence": .number(Double(c.confidence.rawValue)),
                        "aboveDensityThreshold": .bool(c.aboveDensityThreshold),
                    ]),
                ])
            }
            let map: JSONValue = .object(["type": .string("FeatureCollection"), "features": .array(features)])
            if query.get("format") == "geojson" {
                var response = try json(map)
                response.headers[.contentType] = "application/geo+json"
                return response
            }
            guard (query.get("format") ?? "json") == "json" else {
                throw APIProblem(.invalidParameter, "format: expected json or geojson", parameter: "format")
            }
            let document: [String: JSONValue] = [
                "field": .number(Double(field.id)), "flight": flight.map { .string($0) } ?? .null,
                "method": .string("Getis–Ord Gi* (binary queen weights including the cell itself) on detection counts per cell; every cell of the grid over the boundary's bounding box is an observation; confidence: ±1/2/3 = 90/95/99 % (two-sided bins)"),
                "grid": .object(["columns": .number(Double(result.grid.columns)), "rows": .number(Double(result.grid.rows)), "cellSizeMetres": .number(cellSize)]),
                "detections": .number(Double(detections.count)), "counted": .number(Double(result.counted)),
                "filteredOut": .number(Double(result.filteredOut)), "rejected": .number(Double(result.rejected.count)),
                "hotspots95": .number(Double(result.hotspots(atLeast: 95).count)),
                "cells": map,
            ]
            return try json(JSONValue.object(document))
        }
    }
}
