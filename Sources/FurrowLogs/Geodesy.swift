#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// WGS84 distances and a local tangent plane, for track length and covered area without a geodesy library.
public enum Geodesy {
    /// WGS84 semi-major axis, metres.
    public static let a = 6_378_137.0
    /// WGS84 flattening.
    public static let f = 1 / 298.257_223_563
    /// WGS84 semi-minor axis, metres.
    public static let b = a * (1 - f)
    static let e2 = f * (2 - f)

    /// Geodesic distance on the WGS84 ellipsoid (Vincenty's inverse formula, ~0.1 mm), metres.
    ///
    /// Falls back to the local-plane distance for the nearly antipodal pairs where Vincenty does not converge
    /// (never the case for consecutive fixes of a flight).
    public static func distance(latitude1: Double, longitude1: Double, latitude2: Double, longitude2: Double) -> Double {
        if latitude1 == latitude2 && longitude1 == longitude2 { return 0 }
        let rad = Double.pi / 180
        let L = (longitude2 - longitude1) * rad
        let U1 = atan((1 - f) * tan(latitude1 * rad))
        let U2 = atan((1 - f) * tan(latitude2 * rad))
        let sinU1 = sin(U1), cosU1 = cos(U1), sinU2 = sin(U2), cosU2 = cos(U2)
        var lambda = L
        for _ in 0..<200 {
            let sinLambda = sin(lambda), cosLambda = cos(lambda)
            let t1 = cosU2 * sinLambda
            let t2 = cosU1 * sinU2 - sinU1 * cosU2 * cosLambda
            let sinSigma = (t1 * t1 + t2 * t2).squareRoot()
            if sinSigma == 0 { return 0 }
            let cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda
            let sigma = atan2(sinSigma, cosSigma)
            let sinAlpha = cosU1 * cosU2 * sinLambda / sinSigma
            let cos2Alpha = 1 - sinAlpha * sinAlpha
            let cos2SigmaM = cos2Alpha == 0 ? 0 : cosSigma - 2 * sinU1 * sinU2 / cos2Alpha
            let C = f / 16 * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha))
            let previous = lambda
            lambda = L + (1 - C) * f * sinAlpha
                * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)))
            if abs(lambda - previous) < 1e-12 {
                let u2 = cos2Alpha * (a * a - b * b) / (b * b)
                let A = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)))
                let B = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)))
                let deltaSigma = B * sinSigma
                    * (cos2SigmaM + B / 4
                        * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) - B / 6 * cos2SigmaM
                            * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)))
                return b * A * (sigma - deltaSigma)
            }
        }
        let plane = LocalPlane(latitude: (latitude1 + latitude2) / 2, longitude: longitude1)
        let p = plane.project(latitude: latitude2, longitude: longitude2)
        let q = plane.project(latitude: latitude1, longitude: longitude1)
        return ((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)).squareRoot()
    }

    /// An east/north plane tangent at an origin, using the ellipsoid's radii of curvature there: metre-accurate
    /// to a few 1e-4 within a few kilometres, which is what a field needs.
    public struct LocalPlane: Sendable, Hashable {
        /// Origin latitude, degrees.
        public let latitude: Double
        /// Origin longitude, degrees.
        public let longitude: Double
        /// Metres per degree east.
        let metersPerDegreeEast: Double
        /// Metres per degree north.
        let metersPerDegreeNorth: Double

        /// The plane tangent at (`latitude`, `longitude`), degrees.
        public init(latitude: Double, longitude: Double) {
            self.latitude = latitude
            self.longitude = longitude
            let phi = latitude * Double.pi / 180
            let s = sin(phi)
            let w = (1 - Geodesy.e2 * s * s).squareRoot()
            let n = Geodesy.a / w  // prime vertical
            let m = Geodesy.a * (1 - Geodesy.e2) / (w * w * w)  // meridian
            metersPerDegreeEast = n * cos(phi) * Double.pi / 180
            metersPerDegreeNorth = m * Double.pi / 180
        }

        /// East and north metres of a point from the origin.
        public func project(latitude lat: Double, longitude lon: Double) -> (x: Double, y: Double) {
            var dLon = lon - longitude
            if dLon > 180 { dLon -= 360 } else if dLon < -180 { dLon += 360 }
            return (dLon * metersPerDegreeEast, (lat - latitude) * metersPerDegreeNorth)
        }
    }
}
