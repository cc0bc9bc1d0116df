/// A gridded yield map, field totals and statistics from cleaned points (`research/agronomy.md` §3.3), the numbers
/// a grower compares with scale tickets and between seasons.
///
/// Cell value = area-weighted mean of the cleaned point yields = Σ dry mass / Σ harvested area of the points whose
/// position falls in the cell. Totals are reported two ways side by side: (a) Σ dry mass of every logged record with
/// the header down (no cleaning, no delay shift: closest to scale tickets); (b) mean cleaned yield × harvested area
/// (Σ swath × distance of the header-down records; overlap between passes is not removed).
public struct YieldMap: Sendable, Hashable, Codable {
    /// One cell with at least one cleaned point.
    public struct Cell: Sendable, Hashable, Codable {
        public var index: Int
        public var column: Int
        public var row: Int
        public var ring: [[Double]]
        public var points: Int
        /// Σ harvested area of the points, m².
        public var area: Double
        /// Σ dry mass, kg.
        public var dryMass: Double
        /// Σ dry mass / Σ area, kg/ha at standard moisture.
        public var yield: Double
    }

    /// Field-level summary.
    public struct Statistics: Sendable, Hashable, Codable {
        public var recordsKept: Int
        public var recordsRemoved: Int
        /// Σ swath × distance of header-down records, ha.
        public var harvestedHectares: Double
        /// (a) Σ dry mass of header-down records, kg.
        public var loggedDryMass: Double
        /// (b) mean cleaned point yield × harvested area, kg.
        public var cleanedDryMass: Double
        /// Of the cleaned point dry yields, kg/ha.
        public var mean: Double
        public var median: Double
        public var standardDeviation: Double
        public var coefficientOfVariation: Double
        public var p5: Double
        public var p25: Double
        public var p75: Double
        public var p95: Double
        /// Mean grain moisture of the cleaned points, %.
        public var meanMoisture: Double
    }

    public var grid: FieldGrid
    public var cells: [Cell]
    public var statistics: Statistics

    /// Builds the map over `bounds` (default: the records' extent) with square cells of `cellSize` metres.
    public init(
        _ cleaning: YieldCleaning, records: [YieldRecord], cellSize: Double = 10, bounds: GeoBounds? = nil
    ) throws(AgronomyError) {
        guard records.count == cleaning.removedBy.count else {
            throw AgronomyError(.inconsistent, field: "records", "\(records.count) records but the cleaning saw \(cleaning.removedBy.count)")
        }
        guard !cleaning.points.isEmpty else {
            throw AgronomyError(.missingInput, field: "records", "no record survived cleaning; relax the filters (see the steps' removed counts)")
        }
        let extent = bounds ?? Self.extent(cleaning.points)
        let grid = try FieldGrid(bounds: extent, cellSize: cellSize)
        var mass = [Int: Double](), area = [Int: Double](), count = [Int: Int]()
        for p in cleaning.points {
            guard let c = grid.cellIndex(longitude: p.longitude, latitude: p.latitude) else { continue }
            mass[c, default: 0] += p.dryMass
            area[c, default: 0] += p.area
            count[c, default: 0] += 1
        }
        self.cells = count.keys.sorted().map { i in
            let (c, r) = grid.position(i)
            return Cell(
                index: i, column: c, row: r, ring: grid.ring(i), points: count[i]!, area: area[i]!, dryMass: mass[i]!,
                yield: area[i]! > 0 ? mass[i]! / area[i]! * 10_000 : 0)
        }
        self.grid = grid

        let yields = cleaning.points.map(\.dryYield).sorted()
        let (mean, sd) = YieldCleaning.meanSD(yields)
        let headerDown = records.filter(\.headerDown)
        let harvested = headerDown.reduce(0) { $0 + $1.area } / 10_000
        var logged = 0.0
        for r in headerDown { logged += r.massFlow * r.interval * (try cleaning.dryYield.factor(moisture: r.moisture)) }
        self.statistics = Statistics(
            recordsKept: cleaning.points.count, recordsRemoved: cleaning.removedCount, harvestedHectares: harvested,
            loggedDryMass: logged, cleanedDryMass: mean * harvested, mean: mean, median: Self.quantile(yields, 0.5),
            standardDeviation: sd, coefficientOfVariation: mean > 0 ? sd / mean * 100 : 0, p5: Self.quantile(yields, 0.05),
            p25: Self.quantile(yields, 0.25), p75: Self.quantile(yields, 0.75), p95: Self.quantile(yields, 0.95),
            meanMoisture: cleaning.points.reduce(0) { $0 + $1.moisture } / Double(cleaning.points.count))
    }

    /// Quantile of sorted values by linear interpolation between order statistics (Hyndman & Fan type 7, R's default).
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let h = Double(sorted.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// The points' lon/lat extent, padded by ~1 m so edge points fall inside.
    static func extent(_ points: [YieldCleaning.Point]) -> GeoBounds {
        let lon = points.map(\.longitude), lat = points.map(\.latitude)
        let pad = 1e-5
        return GeoBounds(
            minLongitude: lon.min()! - pad, minLatitude: lat.min()! - pad, maxLongitude: lon.max()! + pad,
            maxLatitude: lat.max()! + pad)
    }
}
