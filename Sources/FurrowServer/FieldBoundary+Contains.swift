extension FieldBoundary {
    /// Whether a WGS 84 position lies inside the boundary (even–odd rule per polygon, holes excluded), so
    /// traps and detections outside a field can be refused with the reason.
    public func contains(longitude x: Double, latitude y: Double) -> Bool {
        polygons.contains { polygon in
            guard let outer = polygon.first, Self.inside(outer, x, y) else { return false }
            return !polygon.dropFirst().contains { Self.inside($0, x, y) }
        }
    }

    static func inside(_ ring: [[Double]], _ x: Double, _ y: Double) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in ring.indices {
            let (xi, yi, xj, yj) = (ring[i][0], ring[i][1], ring[j][0], ring[j][1])
            if (yi > y) != (yj > y), x < (xj - xi) * (y - yi) / (yj - yi) + xi { inside.toggle() }
            j = i
        }
        return inside
    }
}
