import Foundation
import Testing

@testable import FurrowAgronomy

/// Getis–Ord Gi* on hand-computed grids, the field-local projection, and the scouting aggregation.
@Suite("Scouting hotspots (Gi*)")
struct HotspotTests {
    @Test("Gi* on a 3×3 grid with one central count of 9, queen weights incl. self, computed by hand")
    func handComputed3x3() throws {
        let grid = try FieldGrid(bounds: GeoBounds(minLongitude: 0, minLatitude: 0, maxLongitude: 0.00026, maxLatitude: 0.00026), cellSize: 10)
        #expect(grid.columns == 3 && grid.rows == 3)
        var x = [Double](repeating: 0, count: 9)
        x[4] = 9
        let z = try GetisOrd.zScores(x, neighbours: grid.queenNeighbours())
        // n = 9, x̄ = 1, S = √(81/9 − 1) = √8.
        // Corner: W = 4, Σwx = 9 → (9 − 4) / (√8 · √((36 − 16)/8)) = 5 / √20 = √5 / 2.
        // Edge:   W = 6, Σwx = 9 → (9 − 6) / (√8 · √((54 − 36)/8)) = 3 / (√8 · 1.5) = 1 / √2.
        // Centre: W = 9 = n → the variance term is 0: no z.
        for corner in [0, 2, 6, 8] { #expect(abs(z[corner]! - 5.0.squareRoot() / 2) < 1e-12) }
        for edge in [1, 3, 5, 7] { #expect(abs(z[edge]! - 1 / 2.0.squareRoot()) < 1e-12) }
        #expect(z[4] == nil)
    }

    @Test("Gi* on a 4×1 strip [0, 0, 0, 4], computed by hand")
    func handComputedStrip() throws {
        // Queen on one row: left, self, right. n = 4, x̄ = 1, S = √(16/4 − 1) = √3.
        // cell 0: W 2, Σ 0 → −2 / (√3·√((8−4)/3)) = −1;   cell 1: W 3, Σ 0 → −3 / (√3·√((12−9)/3)) = −√3;
        // cell 2: W 3, Σ 4 → 1 / √3;                       cell 3: W 2, Σ 4 → 2 / 2 = 1.
        let z = try GetisOrd.zScores([0, 0, 0, 4], neighbours: [[0, 1], [0, 1, 2], [1, 2, 3], [2, 3]])
        let expected = [-1, -3.0.squareRoot(), 1 / 3.0.squareRoot(), 1]
        for i in 0..<4 { #expect(abs(z[i]! - expected[i]) < 1e-12) }
        #expect(try GetisOrd.zScores([2, 2, 2], neighbours: [[0], [1], [2]]).allSatisfy { $0 == nil })
        #expect(abs(GetisOrd.upperTailP(1.644853627) - 0.05) < 1e-9)
        #expect(HotspotConfidence(z: 2.6) == .hot99 && HotspotConfidence(z: 1.97) == .hot95 && HotspotConfidence(z: -1.7) == .cold90)
        #expect(HotspotConfidence(z: 1.6) == .none && HotspotConfidence(z: nil) == .none)
    }

    @Test("local equal-area projection: round trip, 0.001° of latitude ≈ 111.195 m, cell areas")
    func projection() throws {
        let p = LocalProjection(centerLongitude: -121.75, centerLatitude: 38.54)
        let q = p.project(longitude: -121.74, latitude: 38.55)
        let back = p.unproject(x: q.x, y: q.y)
        #expect(abs(back.longitude + 121.74) < 1e-10 && abs(back.latitude - 38.55) < 1e-10)
        // On the authalic sphere 0.001° of arc = π/180 · 6 371 007.181 / 1000 m.
        let north = p.project(longitude: -121.75, latitude: 38.541)
        #expect(abs(north.y - 111.19508) < 0.01 && abs(north.x) < 1e-9)
        // East at the centre shrinks by cos(latitude).
        let east = p.project(longitude: -121.749, latitude: 38.54)
        #expect(abs(east.x - 111.19508 * cos(38.54 * .pi / 180)) < 0.01)
        let grid = try FieldGrid(bounds: GeoBounds(minLongitude: -121.752, minLatitude: 38.538, maxLongitude: -121.748, maxLatitude: 38.542), cellSize: 20)
        #expect(grid.columns == 18 && grid.rows == 23)  // 348 m × 445 m
        #expect(abs(grid.cellAreaHectares - 0.04) < 1e-12)
        #expect(grid.ring(0).count == 5 && grid.ring(0).first == grid.ring(0).last)
    }

    @Test("a cluster of detections in one corner is a 99 % hot spot; rejected and filtered rows are counted")
    func clusterDetected() throws {
        let bounds = GeoBounds(minLongitude: 10.0, minLatitude: 50.0, maxLongitude: 10.0014, maxLatitude: 50.0009)
        let grid = try FieldGrid(bounds: bounds, cellSize: 10)
        var g = SeededGenerator(seed: 42)
        var detections: [ScoutingHotspots.Detection] = []
        // Background: one detection in a few random cells; cluster: 3×3 cells near the south-west corner with 8 each.
        for _ in 0..<30 {
            detections.append(.init(longitude: Double.random(in: 10.0...10.0014, using: &g), latitude: Double.random(in: 50.0...50.0009, using: &g), className: "aphid", confidence: 0.9))
        }
        let cluster = [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3), (3, 1), (3, 2), (3, 3)]
        for (c, r) in cluster {
            let centre = grid.center(r * grid.columns + c)
            let ll = grid.projection.unproject(x: centre.x, y: centre.y)
            for _ in 0..<8 { detections.append(.init(longitude: ll.longitude, latitude: ll.latitude, className: "aphid", confidence: 0.8)) }
        }
        detections.append(.init(longitude: 10.01, latitude: 50.0005, className: "aphid", confidence: 0.9))  // outside
        detections.append(.init(longitude: 10.0007, latitude: 50.0005, className: "aphid", confidence: 0.2))  // weak
        detections.append(.init(longitude: 10.0007, latitude: 50.0005, className: "weed", confidence: 0.9))  // other class
        detections.append(.init(longitude: 10.0007, latitude: 50.0005, className: "aphid", confidence: 1.5))  // impossible
        let result = try ScoutingHotspots(
            detections, bounds: bounds,
            settings: .init(cellSize: 10, minimumConfidence: 0.5, classes: ["aphid"], densityThreshold: 500))
        #expect(result.rejected.map(\.index) == [102, 105])
        #expect(result.filteredOut == 2)
        #expect(result.counted == 102)
        #expect(result.cells.reduce(0) { $0 + $1.count } == result.counted)
        #expect(result.counted + result.filteredOut + result.rejected.count == detections.count)
        let centreCell = result.cells[2 * grid.columns + 2]
        #expect(centreCell.confidence == .hot99, "z = \(String(describing: centreCell.z))")
        #expect(centreCell.aboveDensityThreshold && centreCell.densityPerHectare >= 800)
        #expect(result.hotspots(atLeast: 99).contains { $0.index == centreCell.index })
        let far = result.cells[(grid.rows - 2) * grid.columns + grid.columns - 2]
        #expect(far.confidence.rawValue <= 0)
        // Distance-band weights of one cell size reproduce rook contiguity (+ self); √2 cells reproduce queen.
        let queen = try ScoutingHotspots(detections, bounds: bounds, settings: .init(cellSize: 10, minimumConfidence: 0.5, classes: ["aphid"], weights: .distanceBand(metres: 10 * 2.0.squareRoot())))
        #expect(zip(queen.cells, result.cells).allSatisfy { $0.z == $1.z })
        #expect(grid.distanceBandNeighbours(10)[grid.columns + 1].count == 5)
    }
}
