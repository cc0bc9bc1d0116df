import Foundation

/// What a simulated drone is out to do: map a field or spray it.
public enum SimulatedMission: String, Sendable, Hashable, CaseIterable {
    /// A mapping flight: 30 m above ground, camera, no pump.
    case survey
    /// A spraying flight: 4 m above ground, pump on along each swath, `SPRAY_LPM` reported.
    case spray
}

/// The rectangular field a simulated drone works: 200 m east × 120 m north from its south-west corner.
///
/// Fields of a fleet sit side by side in a grid near 41.65 N, 0.88 W (the Ebro valley), one per drone,
/// so tracks never overlap. Positions are projected with a local equirectangular approximation, exact to
/// centimetres over a field.
public struct SimulatedField: Sendable, Hashable {
    /// Latitude of the south-west corner, degrees.
    public let originLatitude: Double
    /// Longitude of the south-west corner, degrees.
    public let originLongitude: Double
    /// Extent east, metres.
    public let width: Double
    /// Extent north, metres.
    public let height: Double
    /// Ground elevation above mean sea level, metres.
    public let groundAltitude: Double

    /// Metres per degree of latitude (mean Earth radius 6,371,008.8 m).
    static let metresPerDegree = 6_371_008.8 * Double.pi / 180
    /// Fields per row of the fleet grid, and the spacing between field origins.
    static let columns = 40
    static let spacingEast = 260.0
    static let spacingNorth = 180.0

    public init(originLatitude: Double, originLongitude: Double, width: Double = 200, height: Double = 120, groundAltitude: Double = 210) {
        self.originLatitude = originLatitude
        self.originLongitude = originLongitude
        self.width = width
        self.height = height
        self.groundAltitude = groundAltitude
    }

    /// The field of the `index`-th drone of a fleet (0-based): a grid of 40 fields per row.
    public init(index: Int) {
        let column = index % Self.columns
        let row = index / Self.columns
        let latitude = 41.65 + Double(row) * Self.spacingNorth / Self.metresPerDegree
        let longitude = -0.88 + Double(column) * Self.spacingEast / (Self.metresPerDegree * cos(41.65 * .pi / 180))
        // The valley floor rises gently to the west and north: a few metres between neighbouring fields.
        self.init(
            originLatitude: latitude, originLongitude: longitude, groundAltitude: 205 + Double(row % 7) * 1.5 + Double(column % 5))
    }

    var metresPerDegreeLongitude: Double { Self.metresPerDegree * cos(originLatitude * .pi / 180) }

    /// Latitude and longitude (degrees) of a point `east`, `north` metres from the south-west corner.
    public func coordinate(east: Double, north: Double) -> (latitude: Double, longitude: Double) {
        (originLatitude + north / Self.metresPerDegree, originLongitude + east / metresPerDegreeLongitude)
    }

    /// Metres east and north of the south-west corner.
    public func local(latitude: Double, longitude: Double) -> (east: Double, north: Double) {
        ((longitude - originLongitude) * metresPerDegreeLongitude, (latitude - originLatitude) * Self.metresPerDegree)
    }

    /// Whether a position lies in the field, allowing `margin` metres around it (GNSS noise).
    public func contains(latitude: Double, longitude: Double, margin: Double = 0) -> Bool {
        let (east, north) = local(latitude: latitude, longitude: longitude)
        return east >= -margin && east <= width + margin && north >= -margin && north <= height + margin
    }
}
