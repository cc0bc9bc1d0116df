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

    /// Area on the WGS 84 sphere (radius 6,378,137 m) in m², holes subtracted: the spherical-excess ring
    /// formula of Chamberlain & Duquette (JPL, 2007), as geojson-area and Turf compute it.
    public var areaSquareMetres: Double {
        polygons.reduce(0) { total, polygon in
            guard let outer = polygon.first else { return total }
            let holes = polygon.dropFirst().reduce(0) { $0 + abs(Self.ringArea($1)) }
            return total + abs(Self.ringArea(outer)) - holes
        }
    }

    static func ringArea(_ ring: [[Double]]) -> Double {
        let radius = 6_378_137.0
        let n = ring.count
        guard n > 2 else { return 0 }
        var sum = 0.0
        for i in 0..<n {
            let (lower, middle, upper) = (ring[i], ring[(i + 1) % n], ring[(i + 2) % n])
            sum += (upper[0] - lower[0]) * Double.pi / 180 * sin(middle[1] * Double.pi / 180)
        }
        return sum * radius * radius / 2
    }
}
