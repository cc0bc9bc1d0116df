import ArgumentParser
import Foundation
import FurrowAgronomy

/// `furrow agro hotspots`: scouting detections → grid counts and Getis–Ord Gi* hot spots (JSON in, JSON out).
struct AgroHotspotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hotspots",
        abstract: "Scouting detections aggregated to a field grid with Getis–Ord Gi* hot spots (JSON in, JSON out).",
        discussion: """
            Input keys: bounds [min_lon, min_lat, max_lon, max_lat]; cell_size (m, default 10); min_confidence \
            (0–1); classes (list, default all); weights "queen" (default) or {"distance_band": metres}; \
            density_threshold (detections/ha); detections [{lon, lat, class, confidence, flight}]. The grid is in a \
            field-local equal-area projection; weights are binary and include the cell itself. Output: one record \
            per cell (row-major from the south-west) with count, density, z, one-sided p and the two-sided \
            confidence bin (±90/95/99), plus the rows rejected (outside the box, impossible values) by index.
            """
    )

    struct Input: Decodable {
        struct Detection: Decodable {
            var lon: Double
            var lat: Double
            var `class`: String?
            var confidence: Double?
            var flight: String?
        }

        enum Weights: Decodable {
            case queen
            case distanceBand(Double)

            init(from decoder: any Decoder) throws {
                if let name = try? decoder.singleValueContainer().decode(String.self) {
                    guard name == "queen" else {
                        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "weights: \(name) is not queen"))
                    }
                    self = .queen
                } else {
                    let band = try decoder.singleValueContainer().decode([String: Double].self)
                    guard let metres = band["distance_band"] else {
                        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "weights: expected \"queen\" or {\"distance_band\": metres}"))
                    }
                    self = .distanceBand(metres)
                }
            }
        }

        var bounds: [Double]
        var cellSize: Double?
        var minConfidence: Double?
        var classes: [String]?
        var weights: Weights?
        var densityThreshold: Double?
        var detections: [Detection]
    }

    @Option(help: "The detections and grid settings as JSON.") var input: String

    func run() throws {
        let spec = try decodeSnakeCaseJSON(Input.self, path: input)
        guard spec.bounds.count == 4 else { throw ValidationError("bounds: expected [min_lon, min_lat, max_lon, max_lat]") }
        let weights: ScoutingHotspots.Weights
        switch spec.weights ?? .queen {
        case .queen: weights = .queen
        case .distanceBand(let metres): weights = .distanceBand(metres: metres)
        }
        let settings = ScoutingHotspots.Settings(
            cellSize: spec.cellSize ?? 10, minimumConfidence: spec.minConfidence ?? 0, classes: spec.classes.map(Set.init),
            weights: weights, densityThreshold: spec.densityThreshold)
        let bounds = GeoBounds(minLongitude: spec.bounds[0], minLatitude: spec.bounds[1], maxLongitude: spec.bounds[2], maxLatitude: spec.bounds[3])
        let detections = spec.detections.map {
            ScoutingHotspots.Detection(longitude: $0.lon, latitude: $0.lat, className: $0.class ?? "", confidence: $0.confidence ?? 1, flightID: $0.flight)
        }
        let result: ScoutingHotspots
        do {
            result = try ScoutingHotspots(detections, bounds: bounds, settings: settings)
        } catch {
            // The do body throws only AgronomyError (typed throws).
            throw agronomyFailure(error)
        }
        let cells: [[String: Any]] = result.cells.map { c in
            var record: [String: Any] = [
                "index": c.index, "column": c.column, "row": c.row, "count": c.count, "density_ha": c.densityPerHectare,
                "confidence": c.confidence.rawValue, "above_density_threshold": c.aboveDensityThreshold, "ring": c.ring,
            ]
            record["z"] = c.z ?? NSNull()
            record["p"] = c.p ?? NSNull()
            record["mean_confidence"] = c.meanConfidence ?? NSNull()
            return record
        }
        try printJSON([
            "grid": [
                "columns": result.grid.columns, "rows": result.grid.rows, "cell_size_m": result.grid.cellSize,
                "projection": "local Lambert azimuthal equal-area (authalic sphere)",
                "center": [result.grid.projection.centerLongitude, result.grid.projection.centerLatitude],
            ],
            "weights": { if case .distanceBand(let m) = weights { return "distance band \(m) m, binary, incl. self" }; return "queen, binary, incl. self" }(),
            "counted": result.counted, "filtered_out": result.filteredOut,
            "rejected": result.rejected.map { ["index": $0.index, "reason": $0.reason] as [String: Any] },
            "cells": cells,
        ])
    }
}

/// `furrow agro degree-days`: daily and cumulative degree-days for a pest model or explicit thresholds.
struct AgroDegreeDaysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "degree-days",
        abstract: "Daily and cumulative degree-days (UC IPM methods) from daily min/max temperature (JSON in, JSON out).",
        discussion: """
            Input keys: model (\(PestModel.builtIn.map(\.id).joined(separator: ", "))) or lower, upper, scale \
            (F|C), method (single-sine, double-sine, single-triangle, double-triangle, simple-average, \
            simple-average-clipped), cutoff (horizontal, vertical, intermediate); biofix (a date of the series; \
            default the first day); days [{date, tmin, tmax}] in the model's scale. The biofix day counts.
            """
    )

    struct Input: Decodable {
        struct Day: Decodable {
            var date: String
            var tmin: Double
            var tmax: Double
        }

        var model: String?
        var lower: Double?
        var upper: Double?
        var scale: TemperatureScale?
        var method: DegreeDays.Method?
        var cutoff: DegreeDays.Cutoff?
        var biofix: String?
        var days: [Day]
    }

    @Option(help: "The weather and settings as JSON.") var input: String

    func run() throws {
        let spec = try decodeSnakeCaseJSON(Input.self, path: input)
        var model: PestModel?
        if let id = spec.model {
            guard let m = PestModel.named(id) else {
                throw ValidationError("unknown model \(id); known: \(PestModel.builtIn.map(\.id).joined(separator: ", "))")
            }
            model = m
        }
        guard let lower = spec.lower ?? model?.degreeDays.lower else { throw ValidationError("give a model or lower") }
        let settings = DegreeDays(
            lower: lower, upper: spec.lower == nil ? model?.degreeDays.upper : spec.upper,
            scale: spec.scale ?? model?.degreeDays.scale ?? .fahrenheit,
            method: spec.method ?? model?.degreeDays.method ?? .singleSine,
            cutoff: spec.cutoff ?? model?.degreeDays.cutoff ?? .horizontal)
        let days = spec.days.map { DailyTemperature(date: $0.date, tMin: $0.tmin, tMax: $0.tmax) }
        guard !days.isEmpty else { throw ValidationError("days: empty") }
        let acc: DegreeDayAccumulation
        do {
            acc = try spec.biofix.map { try DegreeDayAccumulation(days, settings: settings, biofix: $0) }
                ?? DegreeDayAccumulation(days, settings: settings)
        } catch let error as AgronomyError {
            throw agronomyFailure(error)
        }
        var out: [String: Any] = [
            "lower": settings.lower, "upper": settings.upper ?? NSNull(), "scale": settings.scale.rawValue,
            "method": settings.method.rawValue, "cutoff": settings.cutoff.rawValue, "biofix": days[acc.biofixIndex].date,
            "total": acc.total,
            "days": acc.days.map { ["date": $0.date, "dd": $0.daily, "cumulative": $0.cumulative] as [String: Any] },
        ]
        if let model {
            out["model"] = model.id
            out["sources"] = model.sources
            out["notes"] = model.notes
            out["milestones"] = acc.reached(model.milestones).map {
                ["name": $0.milestone.name, "dd": $0.milestone.degreeDays, "verified": $0.milestone.verified,
                 "date": $0.date ?? NSNull()] as [String: Any]
            }
        }
        try printJSON(out)
    }
}

/// A command's JSON input file (snake_case keys), with the file named in any error.
func decodeSnakeCaseJSON<T: Decodable>(_ type: T.Type, path: String) throws -> T {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    do {
        return try decoder.decode(T.self, from: data)
    } catch {
        throw ValidationError("\(path): \(error)")
    }
}
