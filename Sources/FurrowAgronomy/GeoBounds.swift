/// A longitude/latitude rectangle (WGS84 degrees), the extent of a field.
public struct GeoBounds: Sendable, Hashable, Codable {
    public var minLongitude: Double
    public var minLatitude: Double
    public var maxLongitude: Double
    public var maxLatitude: Double

    public init(minLongitude: Double, minLatitude: Double, maxLongitude: Double, maxLatitude: Double) {
        self.minLongitude = minLongitude
        self.minLatitude = minLatitude
        self.maxLongitude = maxLongitude
        self.maxLatitude = maxLatitude
    }

    public func contains(longitude: Double, latitude: Double) -> Bool {
        longitude >= minLongitude && longitude <= maxLongitude && latitude >= minLatitude && latitude <= maxLatitude
    }

    func validate() throws(AgronomyError) {
        try Check.range(minLongitude, "bounds.min_lon", -180...180, unit: "°")
        try Check.range(maxLongitude, "bounds.max_lon", -180...180, unit: "°")
        try Check.range(minLatitude, "bounds.min_lat", -89...89, unit: "°")
        try Check.range(maxLatitude, "bounds.max_lat", -89...89, unit: "°")
        guard minLongitude < maxLongitude, minLatitude < maxLatitude else {
            throw AgronomyError(.inconsistent, field: "bounds", "the bounding box is empty (min must be below max for both longitude and latitude)")
        }
    }
}
