import Foundation
import FurrowAgronomy

/// A harvest's yield summary: cleaning report, dry yield at the crop's standard moisture, field totals and
/// statistics, and the grid map as GeoJSON — computed on request from the stored records with the given settings.
public struct YieldSummary: Sendable {
    public var document: [String: JSONValue]
    /// The grid map alone, a GeoJSON FeatureCollection.
    public var map: JSONValue

    /// Options of one summary request.
    public struct Options: Sendable {
        public var standardMoisture: Double?
        public var policy: DryYield.MoisturePolicy = .symmetric
        public var cellSize: Double = 10
        public var cleaning = YieldCleaning.Settings()
        /// A multispectral survey to average per cell and regress the cell yields on.
        public var vegetation: (survey: VegetationSurvey, samples: [VegetationGrid.Sample])?

        public init() {}
    }

    /// The crop's standard moisture and bushel weight for a crop name (maize = corn).
    static func crop(_ name: String?) -> DryYield.Crop? {
        switch name?.lowercased() {
        case "corn", "maize", "grain-maize": .corn
        case "soybean", "soybeans", "soy": .soybean
        case "wheat": .wheat
        default: nil
        }
    }

    /// What the summary says about the upload it came from.
    public struct Source: Sendable {
        public var harvestID: Int64?
        public var name: String
        public var columns: [String: String]
        public var fieldID: Int64?
        /// Crop name for the standard moisture (maize = corn).
        public var crop: String?
        /// The field boundary: records outside are removed by the position filter.
        public var boundary: FieldBoundary?

        public init(
            harvestID: Int64?, name: String, columns: [String: String], fieldID: Int64?, crop: String?, boundary: FieldBoundary?
        ) {
            self.harvestID = harvestID
            self.name = name
            self.columns = columns
            self.fieldID = fieldID
            self.crop = crop
            self.boundary = boundary
        }
    }

    /// Summarises a stored harvest of a field.
    public init(harvest: Harvest, records: [YieldRecord], field: Field, options: Options) throws(PestSummaryError) {
        try self.init(
            records: records,
            source: Source(
                harvestID: harvest.id, name: harvest.name, columns: harvest.columns, fieldID: field.id,
                crop: harvest.crop ?? field.crop, boundary: field.boundary),
            options: options)
    }

    /// Summarises `records`.
    /// - Throws: ``PestSummaryError`` (not ready: unknown crop, nothing left after cleaning).
    public init(records: [YieldRecord], source: Source, options: Options) throws(PestSummaryError) {
        let cropName = source.crop
        var crop = Self.crop(cropName)
        if let m = options.standardMoisture {
            crop = DryYield.Crop(name: crop?.name ?? cropName ?? "custom", standardMoisture: m, poundsPerBushel: crop?.poundsPerBushel ?? 56)
        }
        guard let crop else {
            throw PestSummaryError(
                kind: .fieldNotReady, parameter: "standardMoisture",
                message: "crop \(cropName ?? "(none)") has no built-in standard moisture (corn 15.5 %, soybean 13 %, wheat 13.5 %): give standardMoisture")
        }
        var settings = options.cleaning
        settings.boundary = source.boundary?.polygons.first?.first
        let dry = DryYield(crop: crop, policy: options.policy)
        let cleaning: YieldCleaning
        let map: YieldMap
        do {
            cleaning = try YieldCleaning(records, settings: settings, dryYield: dry)
            map = try YieldMap(cleaning, records: records, cellSize: options.cellSize)
        } catch {
            throw PestSummaryError(kind: .fieldNotReady, parameter: error.field, message: error.message)
        }
        let s = map.statistics
        func n(_ v: Double) -> JSONValue { v.isFinite ? .number(v) : .null }
        let vegetationGrid = options.vegetation.map { VegetationGrid(samples: $0.samples, grid: map.grid) }
        let features: [JSONValue] = map.cells.map { c in
            var properties: [String: JSONValue] = [
                "cell": .number(Double(c.index)), "column": .number(Double(c.column)), "row": .number(Double(c.row)),
                "points": .number(Double(c.points)), "areaSquareMetres": n(c.area), "dryMassKg": n(c.dryMass),
                "yieldKgPerHa": n(c.yield), "yieldBuPerAcre": n(dry.bushelsPerAcre(kilogramsPerHectare: c.yield)),
            ]
            for (index, value) in vegetationGrid?.cells[c.index] ?? [:] {
                properties[index.rawValue] = n(value.mean)
                properties[index.rawValue + "Samples"] = .number(Double(value.samples))
            }
            return .object([
                "type": .string("Feature"),
                "geometry": .object(["type": .string("Polygon"), "coordinates": .array([.array(c.ring.map { .array($0.map(n)) })])]),
                "properties": .object(properties),
            ])
        }
        let geojson: JSONValue = .object(["type": .string("FeatureCollection"), "features": .array(features)])
        self.map = geojson
        document = [
            "harvest": .object([
                "id": source.harvestID.map { .number(Double($0)) } ?? .null, "name": .string(source.name),
                "records": .number(Double(records.count)), "columns": .object(source.columns.mapValues { .string($0) }),
            ]),
            "field": source.fieldID.map { .number(Double($0)) } ?? .null,
            "dryYield": .object([
                "crop": .string(crop.name), "standardMoisture": n(crop.standardMoisture), "poundsPerBushel": n(crop.poundsPerBushel),
                "policy": .string(options.policy.rawValue),
                "formula": .string("dry = wet × (100 − M) / (100 − Mstd)" + (options.policy == .neverAboveWet ? "; dry = wet when M < Mstd" : "")),
            ]),
            "cleaning": .object([
                "steps": .array(cleaning.steps.map { .object(["name": .string($0.name), "parameters": .string($0.parameters), "removed": .number(Double($0.removed))]) }),
                "kept": .number(Double(cleaning.points.count)), "removed": .number(Double(cleaning.removedCount)),
                "boundary": .bool(settings.boundary != nil),
            ]),
            "statistics": .object([
                "recordsKept": .number(Double(s.recordsKept)), "recordsRemoved": .number(Double(s.recordsRemoved)),
                "harvestedHectares": n(s.harvestedHectares), "loggedDryMassKg": n(s.loggedDryMass), "cleanedDryMassKg": n(s.cleanedDryMass),
                "meanKgPerHa": n(s.mean), "medianKgPerHa": n(s.median), "standardDeviationKgPerHa": n(s.standardDeviation),
                "coefficientOfVariationPercent": n(s.coefficientOfVariation), "p5": n(s.p5), "p25": n(s.p25), "p75": n(s.p75), "p95": n(s.p95),
                "meanMoisturePercent": n(s.meanMoisture), "meanBuPerAcre": n(dry.bushelsPerAcre(kilogramsPerHectare: s.mean)),
            ]),
            "grid": .object(["cellSizeMetres": n(options.cellSize), "cells": .number(Double(map.cells.count))]),
            "map": geojson,
        ]
        if let (survey, samples) = options.vegetation, let vegetationGrid {
            let yields = Dictionary(uniqueKeysWithValues: map.cells.map { ($0.index, $0.yield) })
            var perIndex: [String: JSONValue] = [:]
            for index in VegetationIndex.allCases where survey.indices.contains(index.rawValue) {
                let cellMeans = vegetationGrid.cells.values.compactMap { $0[index]?.mean }
                var entry: [String: JSONValue] = [
                    "cells": .number(Double(cellMeans.count)),
                    "meanOfCells": cellMeans.isEmpty ? .null : n(cellMeans.reduce(0, +) / Double(cellMeans.count)),
                ]
                if let fit = vegetationGrid.regression(of: yields, on: index) {
                    entry["regression"] = .object([
                        "model": .string("yieldKgPerHa = intercept + slope × \(index.rawValue) (cell means, least squares)"),
                        "slope": n(fit.slope), "intercept": n(fit.intercept), "rSquared": n(fit.rSquared),
                        "rmseKgPerHa": n(fit.rootMeanSquareError), "cells": .number(Double(fit.count)),
                    ])
                } else {
                    entry["regression"] = .null
                }
                perIndex[index.rawValue] = .object(entry)
            }
            document["vegetation"] = .object([
                "survey": .object([
                    "id": .number(Double(survey.id)), "name": .string(survey.name), "date": survey.date.map(JSONValue.string) ?? .null,
                    "samples": .number(Double(samples.count)),
                ]),
                "samplesOutsideGrid": .number(Double(vegetationGrid.outside)),
                "indices": .object(perIndex),
            ])
        }
    }
}
