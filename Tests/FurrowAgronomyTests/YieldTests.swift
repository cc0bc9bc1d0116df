import Foundation
import Testing

@testable import FurrowAgronomy

/// Dry yield against published conversions and the Ag Leader example record; cleaning filters on a constructed
/// harvest where every removal is planted on purpose; the yield map's mass balance.
@Suite("Yield: dry yield, cleaning, map")
struct YieldTests {
    static let lb = 0.45359237, inch = 0.0254

    @Test("the Ag Leader example record: wet 2970.14 kg/ha = 44.165 bu/ac; dry 45.855 (symmetric) / 44.165 (Deere)")
    func exampleRecord() throws {
        let json = try DegreeDayVectorTests.load("yield_monitor_point_example.json")
        let r = try #require(json["record"] as? [String: Any])
        let derived = try #require(json["derived"] as? [String: Double])
        let interval = r["interval_s"] as! Double
        let record = YieldRecord(
            time: r["gps_time_s"] as! Double, longitude: r["lon"] as! Double, latitude: r["lat"] as! Double,
            massFlow: (r["flow_lb_s"] as! Double) * Self.lb, moisture: r["moisture_pct"] as! Double,
            speed: (r["distance_in"] as! Double) * Self.inch / interval, swath: (r["swath_in"] as! Double) * Self.inch,
            interval: interval, pass: r["pass"] as! Int, headerDown: (r["header_status"] as! Int) == 1)
        #expect(abs(record.area / (0.3048 * 0.3048) - derived["area_ft2"]!) < 1e-9)
        let wet = try #require(record.wetYield)
        #expect(abs(wet - derived["wet_yield_kg_ha"]!) < 0.005, "\(wet)")
        let symmetric = DryYield(crop: .soybean, policy: .symmetric), deere = DryYield(crop: .soybean, policy: .neverAboveWet)
        #expect(abs(symmetric.bushelsPerAcre(kilogramsPerHectare: wet) - derived["wet_yield_bu_ac_60lb"]!) < 0.0005)
        let m = record.moisture
        #expect(abs(symmetric.bushelsPerAcre(kilogramsPerHectare: try symmetric.dry(wet, moisture: m)) - derived["dry_yield_bu_ac_symmetric_formula_13pct"]!) < 0.0005)
        #expect(abs(deere.bushelsPerAcre(kilogramsPerHectare: try deere.dry(wet, moisture: m)) - derived["dry_yield_bu_ac_deere_rule"]!) < 0.0005)
        // The same record through the cleaner (no filters on) gives the same yields.
        var settings = YieldCleaning.Settings()
        settings.standardDeviations = nil
        let cleaned = try YieldCleaning([record], settings: settings, dryYield: symmetric)
        #expect(cleaned.points.count == 1 && abs(cleaned.points[0].wetYield - wet) < 1e-9)
        #expect(abs(cleaned.points[0].dryMass - record.massFlow * (100 - m) / 87) < 1e-12)
    }

    @Test("published moisture conversions: Purdue 100 000 lb at 20 % → 94 118 lb at 15 % = 1681 bu; EDIS AG442 10 000 → 9467 lb/ac")
    func publishedConversions() throws {
        let purdue = DryYield(crop: .init(name: "corn (15 %)", standardMoisture: 15, poundsPerBushel: 56))
        let dry = try purdue.dry(100_000, moisture: 20)
        #expect(abs(dry - 94_118) < 0.5)
        #expect(abs(dry / 56 - 1681) < 0.5)
        let edis = try DryYield(crop: .corn).dry(10_000, moisture: 20)
        #expect(abs(edis - 9467) < 0.5)
        #expect(abs(edis - 9240) > 200)  // not the DM·(1 + Mstd) form EDIS warns about
        // Policy: drier than standard is raised only by the symmetric formula.
        #expect(try DryYield(crop: .corn, policy: .neverAboveWet).factor(moisture: 12) == 1)
        #expect(try DryYield(crop: .corn, policy: .symmetric).factor(moisture: 12) > 1)
        #expect(try DryYield(crop: .corn, policy: .neverAboveWet).factor(moisture: 20) == DryYield(crop: .corn).factor(moisture: 20))
        #expect(throws: AgronomyError.self) { try DryYield(crop: .corn).factor(moisture: 100) }
    }

    /// Three eastward passes of 60 s at 1 m/s, 9 m swath, 9 m apart, with 5 header-up records between passes;
    /// true yields 8000, 10000, 12000 kg/ha (corn at standard moisture); flow logged 4 s late; planted faults.
    struct Harvest {
        static let projection = LocalProjection(centerLongitude: -93.258, centerLatitude: 39.297)
        var records: [YieldRecord] = []
        var trueYield: [Double] = []

        init() {
            var t = 0.0
            var trueFlow: [Double] = []
            for pass in 0..<3 {
                for k in 0..<60 {
                    let ll = Self.projection.unproject(x: Double(k), y: Double(pass) * 9)
                    let y = [8000.0, 10000, 12000][pass]
                    records.append(YieldRecord(time: t, longitude: ll.longitude, latitude: ll.latitude, massFlow: 0, moisture: 15.5, speed: 1, swath: 9, pass: pass + 1, headerDown: true))
                    trueFlow.append(y * 9 * 1 / 10_000)
                    trueYield.append(y)
                    t += 1
                }
                if pass < 2 {
                    for k in 0..<5 {
                        let ll = Self.projection.unproject(x: 60 + Double(k), y: Double(pass) * 9 + Double(k) * 1.8)
                        records.append(YieldRecord(time: t, longitude: ll.longitude, latitude: ll.latitude, massFlow: 0, moisture: 15.5, speed: 1, swath: 9, pass: pass + 1, headerDown: false))
                        trueFlow.append(0)
                        trueYield.append(0)
                        t += 1
                    }
                }
            }
            // Flow sensor lag: the flow logged at j was cut at j − 4.
            for j in records.indices { records[j].massFlow = j >= 4 ? trueFlow[j - 4] : 0 }
            records[30].speed = 5  // velocity (and area 45 m²)
            records[31].speed = 1  // smooth-velocity: 5 → 1 m/s is −80 %
            records[44].massFlow *= 5  // record 40's yield: 40 000 → standard deviation
            records[54].massFlow *= 10_500 / 8000  // record 50's yield: 10 500 among 8000s → local SD
            records[100].swath = 3  // minimum swath
            records[114].massFlow = 0  // record 110's yield: 0 → standard deviation
            let jump = Self.projection.unproject(x: 500, y: 18)
            records[150].longitude = jump.longitude  // position: outside the boundary
            records[150].latitude = jump.latitude
            records[151].dop = 5  // position: DOP
        }

        static var boundary: [[Double]] {
            [(-5.0, -5.0), (70, -5), (70, 30), (-5, 30), (-5, -5)].map {
                let ll = projection.unproject(x: $0.0, y: $0.1)
                return [ll.longitude, ll.latitude]
            }
        }
    }

    static func settings() -> YieldCleaning.Settings {
        var s = YieldCleaning.Settings()
        s.flowDelay = 4
        s.startPassDelay = 3
        s.endPassDelay = 2
        s.minimumSpeed = 0.5
        s.maximumSpeed = 4
        s.maximumSpeedChange = 0.3
        s.minimumSwath = 4
        s.boundary = Harvest.boundary
        s.maximumDOP = 3
        s.standardDeviations = 3
        s.localCellSize = 8
        s.localStandardDeviations = 2
        s.localMinimumPoints = 5
        return s
    }

    @Test("each filter removes exactly the planted faults; the kept points carry the true yields")
    func cleaningSteps() throws {
        let harvest = Harvest()
        #expect(harvest.records.count == 190)
        let result = try YieldCleaning(harvest.records, settings: Self.settings(), dryYield: DryYield(crop: .corn))
        let removed = Dictionary(uniqueKeysWithValues: result.steps.map { ($0.name, $0.removed) })
        #expect(removed == [
            "flow-delay": 4, "moisture-delay": 0, "zero-speed-or-swath": 0, "header-up": 10, "start-pass-delay": 9,
            "end-pass-delay": 4, "velocity": 1, "smooth-velocity": 1, "minimum-swath": 1, "position": 2,
            "standard-deviation": 2, "local-standard-deviation": 1,
        ])
        #expect(result.removedBy[186...189].allSatisfy { $0 == "flow-delay" })
        #expect(result.removedBy[30] == "velocity" && result.removedBy[31] == "smooth-velocity")
        #expect(result.removedBy[40] == "standard-deviation" && result.removedBy[110] == "standard-deviation")
        #expect(result.removedBy[50] == "local-standard-deviation")
        #expect(result.removedBy[100] == "minimum-swath" && result.removedBy[150] == "position" && result.removedBy[151] == "position")
        #expect(result.points.count == 155 && result.removedCount == 35)
        for p in result.points { #expect(abs(p.dryYield - harvest.trueYield[p.index]) < 1e-6, "record \(p.index)") }
        // Without the flow-delay shift the pass starts read the previous turn's zero flow.
        var noShift = Self.settings()
        noShift.flowDelay = 0
        noShift.standardDeviations = nil
        noShift.localCellSize = nil
        let raw = try YieldCleaning(harvest.records, settings: noShift, dryYield: DryYield(crop: .corn))
        #expect(raw.points.contains { abs($0.dryYield - harvest.trueYield[$0.index]) > 1 })
    }

    @Test("the yield map conserves mass and area; statistics of the kept points; totals side by side")
    func yieldMap() throws {
        let harvest = Harvest()
        let cleaning = try YieldCleaning(harvest.records, settings: Self.settings(), dryYield: DryYield(crop: .corn))
        let map = try YieldMap(cleaning, records: harvest.records, cellSize: 10)
        let pointMass = cleaning.points.reduce(0) { $0 + $1.dryMass }, pointArea = cleaning.points.reduce(0) { $0 + $1.area }
        #expect(abs(map.cells.reduce(0) { $0 + $1.dryMass } - pointMass) < 1e-9 * pointMass)
        #expect(abs(map.cells.reduce(0) { $0 + $1.area } - pointArea) < 1e-9 * pointArea)
        #expect(map.cells.reduce(0) { $0 + $1.points } == cleaning.points.count)
        #expect(map.cells.allSatisfy { $0.yield >= 8000 - 1e-6 && $0.yield <= 12000 + 1e-6 })
        let s = map.statistics
        // Kept: 51 points at 8000, 53 at 10000, 51 at 12000 → mean 10000, median 10000, P5 8000, P95 12000.
        #expect(s.recordsKept == 155 && s.recordsRemoved == 35)
        #expect(abs(s.mean - 10000) < 1e-6 && abs(s.median - 10000) < 1e-6)
        #expect(abs(s.p5 - 8000) < 1e-6 && abs(s.p95 - 12000) < 1e-6 && abs(s.p25 - 8000) < 1e-6 && abs(s.p75 - 12000) < 1e-6)
        // SD of 51×8000, 53×10000, 51×12000 (n − 1): √((102 × 2000²) / 154).
        #expect(abs(s.standardDeviation - (102 * 4e6 / 154).squareRoot()) < 1e-6)
        #expect(abs(s.meanMoisture - 15.5) < 1e-12)
        // Header-down area: 178 × 9 m² + 45 (5 m/s) + 3 (3 m swath) = 1650 m².
        #expect(abs(s.harvestedHectares - 0.165) < 1e-12)
        let loggedFlow = harvest.records.filter(\.headerDown).reduce(0) { $0 + $1.massFlow }
        #expect(abs(s.loggedDryMass - loggedFlow) < 1e-9)
        #expect(abs(s.cleanedDryMass - 10000 * 0.165) < 1e-6)
    }

    @Test("bad records are rejected with the row and field named")
    func rejects() throws {
        var records = Harvest().records
        records[7].moisture = 120
        do {
            _ = try YieldCleaning(records, dryYield: DryYield(crop: .corn))
            Issue.record("expected an error")
        } catch {
            #expect(error.field == "records[7].moisture" && error.code == .outOfRange)
        }
        records = Harvest().records
        records[9].time = records[8].time
        #expect(throws: AgronomyError.self) { try YieldCleaning(records, dryYield: DryYield(crop: .corn)) }
        var strict = YieldCleaning.Settings()
        strict.minimumSpeed = 100
        let none = try YieldCleaning(Harvest().records, settings: strict, dryYield: DryYield(crop: .corn))
        #expect(none.points.isEmpty)
        #expect(throws: AgronomyError.self) { try YieldMap(none, records: Harvest().records) }
    }
}
