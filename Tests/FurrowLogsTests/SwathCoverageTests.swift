import Foundation
import Testing

@testable import FurrowLogs

/// The covered area on shapes with a known union area.
@Suite("swath coverage")
struct SwathCoverageTests {
    static func area(_ points: [(Double, Double)], width: Double, cell: Double = 0.25) -> Double {
        var c = SwathCoverage(width: width, cell: cell)
        for (i, p) in points.enumerated() { c.addPoint(x: p.0, y: p.1, connect: i > 0) }
        return c.area
    }

    @Test("a straight line: L·w + π(w/2)²", arguments: [(100.0, 5.0, 0.0), (250.0, 12.0, 0.7), (37.0, 2.0, 2.2)])
    func line(_ c: (Double, Double, Double)) {
        let (length, width, angle) = c
        let end = (length * cos(angle), length * sin(angle))
        let expected = length * width + Double.pi * width * width / 4
        let got = Self.area([(0.3, -0.2), (0.3 + end.0, -0.2 + end.1)], width: width)
        #expect(abs(got - expected) / expected < 0.005, "got \(got), expected \(expected)")
    }

    @Test("one point: a disk")
    func disk() {
        let got = Self.area([(1, 1)], width: 10)
        // A small disk is the worst case of the raster (lattice points in a circle): 0.6 % at 0.25 m cells.
        #expect(abs(got - Double.pi * 25) / (Double.pi * 25) < 0.01)
    }

    @Test("a lawnmower with adjacent passes (spacing = width): 3wL + w² + πw²/2")
    func lawnmowerAdjacent() {
        let w = 6.0, length = 80.0
        let path = [(0.0, 0.0), (length, 0.0), (length, w), (0.0, w), (0.0, 2 * w), (length, 2 * w)]
        let expected = 3 * w * length + w * w + Double.pi * w * w / 2
        let got = Self.area(path, width: w)
        #expect(abs(got - expected) / expected < 0.005, "got \(got), expected \(expected)")
    }

    @Test("two overlapping passes (spacing w/2): overlap counted once")
    func lawnmowerOverlap() {
        let w = 8.0, r = w / 2, s = w / 2, length = 60.0
        let path = [(0.0, 0.0), (length, 0.0), (length, s), (0.0, s)]
        // Main band, the turn side (r·s + πr²/2), the open side: half the union of two disks s apart.
        let lens = 2 * r * r * acos(s / (2 * r)) - s / 2 * (4 * r * r - s * s).squareRoot()
        let openSide = (2 * Double.pi * r * r - lens) / 2
        let expected = length * (s + w) + (r * s + Double.pi * r * r / 2) + openSide
        let got = Self.area(path, width: w)
        #expect(abs(got - expected) / expected < 0.005, "got \(got), expected \(expected)")
    }

    @Test("flying the same line twice adds nothing")
    func repeated() {
        let once = Self.area([(0, 0), (50, 20)], width: 4)
        let twice = Self.area([(0, 0), (50, 20), (0, 0), (50, 20)], width: 4)
        #expect(once == twice)
    }

    @Test("on the globe: a 100 m line north at 52° N")
    func geodetic() {
        var c = SwathCoverage(width: 5)
        c.add(latitude: 52.0, longitude: 5.0, connect: false)
        let plane = Geodesy.LocalPlane(latitude: 52, longitude: 5)
        // 100 m north in degrees through the plane's own scale.
        let one = plane.project(latitude: 52.001, longitude: 5).y
        c.add(latitude: 52.0 + 0.001 * 100 / one, longitude: 5.0, connect: true)
        let expected = 100 * 5 + Double.pi * 6.25
        #expect(abs(c.area - expected) / expected < 0.005)
    }
}

