import Foundation

/// Yield-monitor cleaning in the manner of USDA-ARS Yield Editor (Sudduth & Drummond 2007, Agron. J. 99:1471) and
/// its automated AYCE successor, so maps show the field rather than sensor lag and pass-end transients.
///
/// Filters run in a fixed order and each point is charged to the first filter that removes it; every step reports
/// its parameters and how many points it removed. Raw records are never modified.
/// 1. `flow-delay` / `moisture-delay`: the flow (moisture) logged at t + delay belongs to the position at t; a
///    record with no reading at t + delay (within half its interval) is removed.
/// 2. `zero-speed-or-swath`: no yield can be computed.
/// 3. `header-up`.
/// 4. `start-pass-delay` / `end-pass-delay`: the first/last seconds of each pass (a pass is a run of consecutive
///    header-down records with one pass number).
/// 5. `velocity` (min/max), `smooth-velocity` (relative change from the previous record), `minimum-swath`.
/// 6. `position`: outside the field boundary polygon, or DOP above the limit.
/// 7. `yield-limits`, then `standard-deviation` (field mean ± k·SD).
/// 8. `local-standard-deviation`: within square cells of `localCellSize` m (anchored half a cell before the
///    kept points' south-west extent), points beyond cell mean ± k·SD
///    (cells with fewer than `localMinimumPoints` points are left alone), as yieldcleanr's AYCE re-implementation.
public struct YieldCleaning: Sendable, Hashable, Codable {
    /// Cleaning parameters; nil switches a filter off.
    public struct Settings: Sendable, Hashable, Codable {
        public var flowDelay: Double = 0
        public var moistureDelay: Double = 0
        public var startPassDelay: Double = 0
        public var endPassDelay: Double = 0
        /// m/s.
        public var minimumSpeed: Double? = 0.5
        public var maximumSpeed: Double? = 4.0
        /// Largest relative speed change from the previous record (0.2 = 20 %).
        public var maximumSpeedChange: Double? = nil
        /// m.
        public var minimumSwath: Double? = nil
        /// Field boundary as a lon/lat ring.
        public var boundary: [[Double]]? = nil
        public var maximumDOP: Double? = nil
        /// Dry yield limits, kg/ha.
        public var minimumYield: Double? = nil
        public var maximumYield: Double? = nil
        /// k for the field-wide mean ± k·SD filter.
        public var standardDeviations: Double? = 3
        /// Local SD filter cell size (m) and k; nil cell size switches it off.
        public var localCellSize: Double? = nil
        public var localStandardDeviations: Double = 2.4
        public var localMinimumPoints: Int = 5

        public init() {}
    }

    /// One filter's outcome.
    public struct Step: Sendable, Hashable, Codable {
        public var name: String
        public var parameters: String
        public var removed: Int
    }

    /// A record that survived, with its shifted flow/moisture and computed yields.
    public struct Point: Sendable, Hashable, Codable {
        /// Index into the input records.
        public var index: Int
        public var longitude: Double
        public var latitude: Double
        /// Flow and moisture after the delay shifts.
        public var massFlow: Double
        public var moisture: Double
        /// Harvested area of the interval, m².
        public var area: Double
        public var wetYield: Double
        /// At standard moisture, kg/ha.
        public var dryYield: Double
        /// At standard moisture, kg.
        public var dryMass: Double
    }

    public var settings: Settings
    public var dryYield: DryYield
    public var steps: [Step]
    public var points: [Point]
    /// For each input record, the step that removed it (nil if kept).
    public var removedBy: [String?]

    /// Cleans `records` (time-ordered).
    /// - Throws: ``AgronomyError`` for impossible records (row and field named) or times that go backwards.
    public init(_ records: [YieldRecord], settings: Settings = Settings(), dryYield: DryYield) throws(AgronomyError) {
        for (i, r) in records.enumerated() {
            try r.validate(i)
            if i > 0, r.time <= records[i - 1].time {
                throw AgronomyError(.inconsistent, field: "records[\(i)].time", "time \(r.time) s does not increase after \(records[i - 1].time) s; sort the records or drop duplicates")
            }
        }
        for (v, name) in [(settings.flowDelay, "flow_delay"), (settings.moistureDelay, "moisture_delay"),
                          (settings.startPassDelay, "start_pass_delay"), (settings.endPassDelay, "end_pass_delay")] {
            try Check.nonNegative(v, name, unit: "s")
        }
        let n = records.count
        var removedBy = [String?](repeating: nil, count: n)
        var steps: [Step] = []
        func apply(_ name: String, _ parameters: String, _ remove: (Int) -> Bool) {
            var count = 0
            for i in 0..<n where removedBy[i] == nil && remove(i) {
                removedBy[i] = name
                count += 1
            }
            steps.append(Step(name: name, parameters: parameters, removed: count))
        }

        // 1. Delays: index of the record logged `delay` seconds later.
        let times = records.map(\.time)
        func later(_ i: Int, _ delay: Double) -> Int? {
            if delay == 0 { return i }
            let target = times[i] + delay
            var lo = i, hi = n
            while lo < hi {
                let mid = (lo + hi) / 2
                if times[mid] < target { lo = mid + 1 } else { hi = mid }
            }
            let tolerance = records[i].interval / 2 + 1e-9
            let candidates = [lo - 1, lo].filter { $0 >= i && $0 < n && abs(times[$0] - target) <= tolerance }
            return candidates.min { abs(times[$0] - target) < abs(times[$1] - target) }
        }
        let flowSource = (0..<n).map { later($0, settings.flowDelay) }
        let moistureSource = (0..<n).map { later($0, settings.moistureDelay) }
        apply("flow-delay", "\(settings.flowDelay) s") { flowSource[$0] == nil }
        apply("moisture-delay", "\(settings.moistureDelay) s") { moistureSource[$0] == nil }
        let flow = (0..<n).map { flowSource[$0].map { records[$0].massFlow } ?? 0 }
        let moisture = (0..<n).map { moistureSource[$0].map { records[$0].moisture } ?? 0 }

        // 2–3.
        apply("zero-speed-or-swath", "speed > 0 and swath > 0") { records[$0].speed <= 0 || records[$0].swath <= 0 }
        apply("header-up", "header must be down") { !records[$0].headerDown }

        // 4. Passes: consecutive header-down records with the same pass number.
        var passStart = [Double](repeating: 0, count: n), passEnd = [Double](repeating: 0, count: n)
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && records[j + 1].headerDown == records[i].headerDown && records[j + 1].pass == records[i].pass { j += 1 }
            for k in i...j {
                passStart[k] = times[i]
                passEnd[k] = times[j]
            }
            i = j + 1
        }
        apply("start-pass-delay", "\(settings.startPassDelay) s") { times[$0] - passStart[$0] < settings.startPassDelay }
        apply("end-pass-delay", "\(settings.endPassDelay) s") { passEnd[$0] - times[$0] < settings.endPassDelay }

        // 5.
        if settings.minimumSpeed != nil || settings.maximumSpeed != nil {
            let lo = settings.minimumSpeed ?? 0, hi = settings.maximumSpeed ?? .infinity
            apply("velocity", "\(lo)…\(hi) m/s") { records[$0].speed < lo || records[$0].speed > hi }
        }
        if let change = settings.maximumSpeedChange {
            apply("smooth-velocity", "±\(change * 100) % from the previous record") { i in
                guard i > 0, records[i - 1].speed > 0 else { return false }
                return abs(records[i].speed - records[i - 1].speed) / records[i - 1].speed > change
            }
        }
        if let swath = settings.minimumSwath {
            apply("minimum-swath", "\(swath) m") { records[$0].swath < swath }
        }

        // 6.
        if settings.boundary != nil || settings.maximumDOP != nil {
            let ring = settings.boundary
            if let ring, ring.count < 3 || ring.contains(where: { $0.count < 2 }) {
                throw AgronomyError(.inconsistent, field: "boundary", "the boundary needs at least 3 [lon, lat] vertices")
            }
            apply("position", [ring.map { "boundary of \($0.count) vertices" }, settings.maximumDOP.map { "DOP ≤ \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")) { i in
                if let ring, !Self.contains(ring, longitude: records[i].longitude, latitude: records[i].latitude) { return true }
                if let limit = settings.maximumDOP, let dop = records[i].dop, dop > limit { return true }
                return false
            }
        }

        // Yields of the points still in.
        var dry = [Double](repeating: 0, count: n), wet = [Double](repeating: 0, count: n)
        for i in 0..<n where removedBy[i] == nil {
            wet[i] = flow[i] / (records[i].swath * records[i].speed) * 10_000
            dry[i] = wet[i] * (try dryYield.factor(moisture: moisture[i]))
        }

        // 7.
        if settings.minimumYield != nil || settings.maximumYield != nil {
            let lo = settings.minimumYield ?? 0, hi = settings.maximumYield ?? .infinity
            apply("yield-limits", "\(lo)…\(hi) kg/ha") { dry[$0] < lo || dry[$0] > hi }
        }
        if let k = settings.standardDeviations {
            let kept = (0..<n).filter { removedBy[$0] == nil }.map { dry[$0] }
            let (mean, sd) = Self.meanSD(kept)
            apply("standard-deviation", "mean \(Self.short(mean)) ± \(k) × SD \(Self.short(sd)) kg/ha") { abs(dry[$0] - mean) > k * sd }
        }

        // 8.
        if let cell = settings.localCellSize {
            try Check.positive(cell, "local_cell_size", unit: "m")
            let kept = (0..<n).filter { removedBy[$0] == nil }
            var cellOf = [Int: Int]()
            if let first = kept.first {
                let projection = LocalProjection(
                    centerLongitude: records[first].longitude, centerLatitude: records[first].latitude)
                // Cells anchored half a cell before the kept points' south-west extent.
                let xy = kept.map { projection.project(longitude: records[$0].longitude, latitude: records[$0].latitude) }
                let x0 = xy.map(\.x).min()! - cell / 2, y0 = xy.map(\.y).min()! - cell / 2
                var groups = [SIMD2<Int>: [Int]]()
                for (k, i) in kept.enumerated() {
                    let key = SIMD2(Int(((xy[k].x - x0) / cell).rounded(.down)), Int(((xy[k].y - y0) / cell).rounded(.down)))
                    groups[key, default: []].append(i)
                }
                var stats = [Int: (Double, Double)]()
                for (g, (_, members)) in groups.enumerated() where members.count >= settings.localMinimumPoints {
                    stats[g] = Self.meanSD(members.map { dry[$0] })
                    for m in members { cellOf[m] = g }
                }
                let k = settings.localStandardDeviations
                apply("local-standard-deviation", "\(cell) m cells, ± \(k) SD, ≥ \(settings.localMinimumPoints) points") { i in
                    guard let g = cellOf[i], let (mean, sd) = stats[g] else { return false }
                    return abs(dry[i] - mean) > k * sd
                }
            } else {
                steps.append(Step(name: "local-standard-deviation", parameters: "\(cell) m cells", removed: 0))
            }
        }

        let dryFactor = dryYield
        self.points = try (0..<n).filter { removedBy[$0] == nil }.map { (i: Int) throws(AgronomyError) -> Point in
            let r = records[i]
            let area = r.area
            return Point(
                index: i, longitude: r.longitude, latitude: r.latitude, massFlow: flow[i], moisture: moisture[i], area: area,
                wetYield: wet[i], dryYield: dry[i], dryMass: flow[i] * r.interval * (try dryFactor.factor(moisture: moisture[i])))
        }
        self.settings = settings
        self.dryYield = dryYield
        self.steps = steps
        self.removedBy = removedBy
    }

    /// Points removed in total.
    public var removedCount: Int { removedBy.count - points.count }

    // MARK: - Helpers

    static func meanSD(_ values: [Double]) -> (mean: Double, sd: Double) {
        guard !values.isEmpty else { return (0, 0) }
        let mean = values.reduce(0, +) / Double(values.count)
        guard values.count > 1 else { return (mean, 0) }
        let ss = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (mean, (ss / Double(values.count - 1)).squareRoot())
    }

    static func short(_ v: Double) -> String { String(format: "%.1f", v) }

    /// Even-odd point-in-polygon test on lon/lat (adequate for field-sized rings).
    static func contains(_ ring: [[Double]], longitude x: Double, latitude y: Double) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let (xi, yi, xj, yj) = (ring[i][0], ring[i][1], ring[j][0], ring[j][1])
            if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi { inside.toggle() }
            j = i
        }
        return inside
    }
}
