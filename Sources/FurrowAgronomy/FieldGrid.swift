import Foundation

/// A regular grid of square cells in the field's local projection, covering its bounding box; used for scouting
/// hotspots and yield maps alike.
public struct FieldGrid: Sendable, Hashable, Codable {
    public var bounds: GeoBounds
    public var projection: LocalProjection
    /// Cell edge, m.
    public var cellSize: Double
    /// South-west corner of the grid in projected metres.
    public var originX: Double
    public var originY: Double
    public var columns: Int
    public var rows: Int

    /// A grid over `bounds` with square cells of `cellSize` metres, anchored at the projected south-west corner.
    public init(bounds: GeoBounds, cellSize: Double) throws(AgronomyError) {
        try bounds.validate()
        try Check.positive(cellSize, "cell_size", unit: "m")
        let projection = LocalProjection(
            centerLongitude: (bounds.minLongitude + bounds.maxLongitude) / 2,
            centerLatitude: (bounds.minLatitude + bounds.maxLatitude) / 2)
        // The box's edges are curves in the projection (parallels bow): sample them, not only the corners.
        var corners: [(x: Double, y: Double)] = []
        for k in 0...16 {
            let f = Double(k) / 16
            let lon = bounds.minLongitude + f * (bounds.maxLongitude - bounds.minLongitude)
            let lat = bounds.minLatitude + f * (bounds.maxLatitude - bounds.minLatitude)
            corners.append(projection.project(longitude: lon, latitude: bounds.minLatitude))
            corners.append(projection.project(longitude: lon, latitude: bounds.maxLatitude))
            corners.append(projection.project(longitude: bounds.minLongitude, latitude: lat))
            corners.append(projection.project(longitude: bounds.maxLongitude, latitude: lat))
        }
        let minX = corners.map(\.x).min()!, maxX = corners.map(\.x).max()!
        let minY = corners.map(\.y).min()!, maxY = corners.map(\.y).max()!
        let columns = max(1, Int(((maxX - minX) / cellSize).rounded(.up)))
        let rows = max(1, Int(((maxY - minY) / cellSize).rounded(.up)))
        guard columns * rows <= 4_000_000 else {
            throw AgronomyError(.outOfRange, field: "cell_size", "\(columns)×\(rows) cells is too many; use a larger cell size")
        }
        self.bounds = bounds
        self.projection = projection
        self.cellSize = cellSize
        self.originX = minX
        self.originY = minY
        self.columns = columns
        self.rows = rows
    }

    /// Number of cells.
    public var count: Int { columns * rows }

    /// Cell area, ha.
    public var cellAreaHectares: Double { cellSize * cellSize / 10_000 }

    /// The flat index (row-major from the south-west) of the cell holding a point, nil outside the grid.
    public func cellIndex(longitude: Double, latitude: Double) -> Int? {
        let p = projection.project(longitude: longitude, latitude: latitude)
        return cellIndex(x: p.x, y: p.y)
    }

    /// The flat index of the cell holding a projected point.
    public func cellIndex(x: Double, y: Double) -> Int? {
        let c = Int(((x - originX) / cellSize).rounded(.down)), r = Int(((y - originY) / cellSize).rounded(.down))
        // Points exactly on the far edge belong to the last cell.
        let col = c == columns && x - originX <= Double(columns) * cellSize + 1e-9 ? columns - 1 : c
        let row = r == rows && y - originY <= Double(rows) * cellSize + 1e-9 ? rows - 1 : r
        guard (0..<columns).contains(col), (0..<rows).contains(row) else { return nil }
        return row * columns + col
    }

    /// Column and row of a flat index.
    public func position(_ index: Int) -> (column: Int, row: Int) { (index % columns, index / columns) }

    /// Projected centre of a cell, m.
    public func center(_ index: Int) -> (x: Double, y: Double) {
        let (c, r) = position(index)
        return (originX + (Double(c) + 0.5) * cellSize, originY + (Double(r) + 0.5) * cellSize)
    }

    /// The cell's outline as a closed lon/lat ring (SW, SE, NE, NW, SW), ready for GeoJSON.
    public func ring(_ index: Int) -> [[Double]] {
        let (c, r) = position(index)
        let x0 = originX + Double(c) * cellSize, y0 = originY + Double(r) * cellSize
        let pts = [(x0, y0), (x0 + cellSize, y0), (x0 + cellSize, y0 + cellSize), (x0, y0 + cellSize), (x0, y0)]
        return pts.map { p in
            let g = projection.unproject(x: p.0, y: p.1)
            return [g.longitude, g.latitude]
        }
    }

    /// Queen-contiguity neighbours of each cell (the 8 around it), including the cell itself.
    public func queenNeighbours() -> [[Int]] {
        (0..<count).map { i in
            let (c, r) = position(i)
            var out: [Int] = []
            for dr in -1...1 {
                for dc in -1...1 {
                    let cc = c + dc, rr = r + dr
                    if (0..<columns).contains(cc), (0..<rows).contains(rr) { out.append(rr * columns + cc) }
                }
            }
            return out
        }
    }

    /// Cells whose centres lie within `band` metres of each cell's centre, including the cell itself.
    public func distanceBandNeighbours(_ band: Double) -> [[Int]] {
        let reach = Int((band / cellSize).rounded(.down))
        return (0..<count).map { i in
            let (c, r) = position(i)
            var out: [Int] = []
            for rr in max(0, r - reach)...min(rows - 1, r + reach) {
                for cc in max(0, c - reach)...min(columns - 1, c + reach) {
                    let dx = Double(cc - c) * cellSize, dy = Double(rr - r) * cellSize
                    if (dx * dx + dy * dy).squareRoot() <= band + 1e-9 { out.append(rr * columns + cc) }
                }
            }
            return out
        }
    }
}
