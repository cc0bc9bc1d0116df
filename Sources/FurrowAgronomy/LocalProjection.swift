import Foundation

/// A field-local equal-area projection (spherical Lambert azimuthal equal-area about the field's centre), so grid
/// cells are true hectares without a projection library.
///
/// The sphere has the WGS84 authalic radius (6 371 007.181 m), so areas match the ellipsoid's to first order; over
/// a field (a few km) distances are within ~0.1 % of UTM and areas within ~0.5 % (latitude-dependent authalic
/// difference), well below yield-map or scouting-grid accuracy.
public struct LocalProjection: Sendable, Hashable, Codable {
    /// The WGS84 authalic sphere radius, m.
    public static let radius = 6_371_007.181

    public var centerLongitude: Double
    public var centerLatitude: Double

    public init(centerLongitude: Double, centerLatitude: Double) {
        self.centerLongitude = centerLongitude
        self.centerLatitude = centerLatitude
    }

    /// Easting/northing in metres from the centre.
    public func project(longitude: Double, latitude: Double) -> (x: Double, y: Double) {
        let phi = latitude * .pi / 180, phi0 = centerLatitude * .pi / 180
        let dl = (longitude - centerLongitude) * .pi / 180
        let k = (2 / (1 + sin(phi0) * sin(phi) + cos(phi0) * cos(phi) * cos(dl))).squareRoot()
        return (Self.radius * k * cos(phi) * sin(dl), Self.radius * k * (cos(phi0) * sin(phi) - sin(phi0) * cos(phi) * cos(dl)))
    }

    /// Longitude/latitude of a projected point.
    public func unproject(x: Double, y: Double) -> (longitude: Double, latitude: Double) {
        let rho = (x * x + y * y).squareRoot()
        guard rho > 0 else { return (centerLongitude, centerLatitude) }
        let phi0 = centerLatitude * .pi / 180
        let c = 2 * asin(min(1, rho / (2 * Self.radius)))
        let phi = asin(cos(c) * sin(phi0) + y * sin(c) * cos(phi0) / rho)
        let lambda = atan2(x * sin(c), rho * cos(phi0) * cos(c) - y * sin(phi0) * sin(c))
        return (centerLongitude + lambda * 180 / .pi, phi * 180 / .pi)
    }
}
