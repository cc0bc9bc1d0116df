import Foundation

/// A field's boundary: a GeoJSON Polygon or MultiPolygon (RFC 7946, WGS 84 lon/lat), validated on entry.
public struct FieldBoundary: Sendable, Hashable, Codable {
    /// Polygons, each an outer ring followed by holes; each ring closed, each position (lon, lat).
    public var polygons: [[[[Double]]]]

    /// Why a boundary was refused, with the position that broke it.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    public init(polygons: [[[[Double]]]]) throws {
        guard !polygons.isEmpty else { throw Invalid(reason: "a boundary needs at least one polygon") }
        for (p, polygon) in polygons.enumerated() {
            guard !polygon.isEmpty else { throw Invalid(reason: "polygon \(p) has no rings") }
            for (r, ring) in polygon.enumerated() {
                guard ring.count >= 4 else {
                    throw Invalid(reason: "polygon \(p) ring \(r) has \(ring.count) positions; a ring needs at least 4")
                }
                for (i, position) in ring.enumerated() {
                    guard position.count == 2 || position.count == 3, position.allSatisfy(\.isFinite) else {
                        throw Invalid(reason: "polygon \(p) ring \(r) position \(i) is not [lon, lat] or [lon, lat, alt]")
                    }
                    guard (-180...180).contains(position[0]), (-90...90).contains(position[1]) else {
                        throw Invalid(
                            reason: "polygon \(p) ring \(r) position \(i) (\(position[0]), \(position[1])) is outside lon -180…180, lat -90…90")
                    }
                }
                guard ring.first!.prefix(2) == ring.last!.prefix(2) else {
                    throw Invalid(reason: "polygon \(p) ring \(r) is not closed (its first and last positions differ)")
                }
            }
        }
        self.polygons = polygons
    }

    enum CodingKeys: String, CodingKey { case type, coordinates }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "Polygon":
            try self.init(polygons: [container.decode([[[Double]]].self, forKey: .coordinates)])
        case "MultiPolygon":
            try self.init(polygons: container.decode([[[[Double]]]].self, forKey: .coordinates))
        default:
            throw Invalid(reason: "a boundary is a GeoJSON Polygon or MultiPolygon, not \(type)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if polygons.count == 1 {
            try container.encode("Polygon", forKey: .type)
            try container.encode(polygons[0], forKey: .coordinates)
        } else {
            try container.encode("MultiPolygon", forKey: .type)
            try container.encode(polygons, forKey: .coordinates)
        }
    }

    /// Area on the WGS 84 ellipsoid in m², holes subtracted: each ring projected with Lambert's cylindrical
    /// equal-area projection of the ellipsoid (Snyder 1987, eqs. 3-12 and 10-15), then the shoelace formula.
    /// Exact for the projected edges; field-sized polygons agree with geodesic areas (GeographicLib) to
    /// well under 0.01 %. Irrigation depths divide by this area, so the spherical 0.1–0.7 % is not good enough.
    public var areaSquareMetres: Double {
        polygons.reduce(0) { total, polygon in
            guard let outer = polygon.first else { return total }
            let holes = polygon.dropFirst().reduce(0) { $0 + abs(Self.ringArea($1)) }
            return total + abs(Self.ringArea(outer)) - holes
        }
    }

    static let semiMajorAxis = 6_378_137.0
    static let flattening = 1 / 298.257_223_563

    /// Signed area of one ring (positive counter-clockwise), longitudes unwrapped relative to the first.
    static func ringArea(_ ring: [[Double]]) -> Double {
        guard ring.count > 3 else { return 0 }
        let e2 = flattening * (2 - flattening)
        let e = e2.squareRoot()
        func q(_ latitude: Double) -> Double {
            let s = sin(latitude * Double.pi / 180)
            return (1 - e2) * (s / (1 - e2 * s * s) - log((1 - e * s) / (1 + e * s)) / (2 * e))
        }
        let lon0 = ring[0][0]
        var points: [(x: Double, y: Double)] = []
        points.reserveCapacity(ring.count)
        for position in ring {
            var dl = position[0] - lon0
            if dl > 180 { dl -= 360 } else if dl < -180 { dl += 360 }
            points.append((semiMajorAxis * dl * Double.pi / 180, semiMajorAxis * q(position[1]) / 2))
        }
        var sum = 0.0
        for i in 0..<(points.count - 1) {
            sum += points[i].x * points[i + 1].y - points[i + 1].x * points[i].y
        }
        return sum / 2
    }
}
