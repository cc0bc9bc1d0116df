/// Scouting detections from drone flights aggregated to a field grid with Getis–Ord Gi* hotspots, so a grower sees
/// where pests or weeds cluster rather than a cloud of points (`research/agronomy.md` §2.4).
///
/// Weights: binary queen contiguity including the cell itself (default), or a distance band between cell centres.
/// Every cell of the grid over the field's bounding box is an observation (empty cells count 0); partial image
/// coverage is not modelled yet. Gi* does not flag an isolated single high cell, so cells above an absolute
/// density threshold are reported separately.
public struct ScoutingHotspots: Sendable, Hashable, Codable {
    /// One detection: a point with a class and a detector confidence (0…1).
    public struct Detection: Sendable, Hashable, Codable {
        public var longitude: Double
        public var latitude: Double
        public var className: String
        public var confidence: Double
        public var flightID: String?

        public init(longitude: Double, latitude: Double, className: String, confidence: Double, flightID: String? = nil) {
            self.longitude = longitude
            self.latitude = latitude
            self.className = className
            self.confidence = confidence
            self.flightID = flightID
        }
    }

    /// Spatial weights for Gi*.
    public enum Weights: Sendable, Hashable, Codable {
        /// The 8 surrounding cells and the cell itself, weight 1.
        case queen
        /// Cells whose centres are within this many metres (the cell itself included), weight 1.
        case distanceBand(metres: Double)
    }

    /// A detection that was not counted, with its row and the reason.
    public struct Rejected: Sendable, Hashable, Codable {
        public var index: Int
        public var reason: String
    }

    /// One grid cell of the result.
    public struct Cell: Sendable, Hashable, Codable {
        public var index: Int
        public var column: Int
        public var row: Int
        /// Closed lon/lat ring.
        public var ring: [[Double]]
        public var count: Int
        public var densityPerHectare: Double
        /// Mean confidence of the counted detections; nil for an empty cell.
        public var meanConfidence: Double?
        public var z: Double?
        /// One-sided upper-tail p-value of z.
        public var p: Double?
        public var confidence: HotspotConfidence
        /// Density at or above ``Settings/densityThreshold``.
        public var aboveDensityThreshold: Bool
    }

    /// How detections are filtered and the grid built.
    public struct Settings: Sendable, Hashable, Codable {
        public var cellSize: Double
        public var minimumConfidence: Double
        /// Only these classes (nil: all).
        public var classes: Set<String>?
        public var weights: Weights
        /// Absolute density (detections/ha) that flags a cell regardless of Gi*.
        public var densityThreshold: Double?

        public init(
            cellSize: Double = 10, minimumConfidence: Double = 0, classes: Set<String>? = nil, weights: Weights = .queen,
            densityThreshold: Double? = nil
        ) {
            self.cellSize = cellSize
            self.minimumConfidence = minimumConfidence
            self.classes = classes
            self.weights = weights
            self.densityThreshold = densityThreshold
        }
    }

    public var settings: Settings
    public var grid: FieldGrid
    public var cells: [Cell]
    /// Detections counted.
    public var counted: Int
    /// Detections below the confidence cut or of another class (not errors).
    public var filteredOut: Int
    /// Detections outside the field's bounding box or with impossible values.
    public var rejected: [Rejected]

    /// Aggregates `detections` over `bounds` and computes Gi*.
    public init(_ detections: [Detection], bounds: GeoBounds, settings: Settings = Settings()) throws(AgronomyError) {
        let grid = try FieldGrid(bounds: bounds, cellSize: settings.cellSize)
        try Check.range(settings.minimumConfidence, "minimum_confidence", 0...1, unit: "")
        var counts = [Int](repeating: 0, count: grid.count)
        var confidenceSums = [Double](repeating: 0, count: grid.count)
        var rejected: [Rejected] = [], filtered = 0, counted = 0
        for (i, d) in detections.enumerated() {
            guard d.longitude.isFinite, d.latitude.isFinite, d.confidence.isFinite, (0...1).contains(d.confidence) else {
                rejected.append(Rejected(index: i, reason: "non-finite position or confidence outside 0…1"))
                continue
            }
            guard bounds.contains(longitude: d.longitude, latitude: d.latitude),
                  let cell = grid.cellIndex(longitude: d.longitude, latitude: d.latitude)
            else {
                rejected.append(Rejected(index: i, reason: "outside the field's bounding box"))
                continue
            }
            if d.confidence < settings.minimumConfidence || !(settings.classes?.contains(d.className) ?? true) {
                filtered += 1
                continue
            }
            counts[cell] += 1
            confidenceSums[cell] += d.confidence
            counted += 1
        }
        let neighbours: [[Int]]
        switch settings.weights {
        case .queen: neighbours = grid.queenNeighbours()
        case .distanceBand(let metres):
            try Check.positive(metres, "distance_band", unit: "m")
            neighbours = grid.distanceBandNeighbours(metres)
        }
        let z: [Double?] = grid.count >= 3 ? try GetisOrd.zScores(counts.map(Double.init), neighbours: neighbours)
            : Array(repeating: nil, count: grid.count)
        let area = grid.cellAreaHectares
        self.cells = (0..<grid.count).map { i in
            let (c, r) = grid.position(i)
            let density = Double(counts[i]) / area
            return Cell(
                index: i, column: c, row: r, ring: grid.ring(i), count: counts[i], densityPerHectare: density,
                meanConfidence: counts[i] > 0 ? confidenceSums[i] / Double(counts[i]) : nil, z: z[i],
                p: z[i].map(GetisOrd.upperTailP), confidence: HotspotConfidence(z: z[i]),
                aboveDensityThreshold: settings.densityThreshold.map { density >= $0 } ?? false)
        }
        self.settings = settings
        self.grid = grid
        self.counted = counted
        self.filteredOut = filtered
        self.rejected = rejected
    }

    /// Cells that are hot spots at the given confidence or better (90, 95 or 99).
    public func hotspots(atLeast percent: Int = 95) -> [Cell] {
        cells.filter { $0.confidence.rawValue > 0 && $0.confidence.percent >= percent }
    }
}
