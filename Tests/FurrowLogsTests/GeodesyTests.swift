import Testing

@testable import FurrowLogs

/// Track distances against geographiclib (`Geodesic.WGS84.Inverse`, geographiclib 2.1, computed once with
/// the cross-check venv) and the local plane against the geodesic over a field-sized distance.
@Suite("geodesy")
struct GeodesyTests {
    /// (lat1, lon1, lat2, lon2, geographiclib s12 in metres).
    static let references: [(Double, Double, Double, Double, Double)] = [
        (-35.3629847, 149.1649392, -35.3626277, 149.1653034, 51.61781704016264),
        (52.2, 5.1, 52.2009, 5.1013, 133.8986792313168),
        (63.4170622, 10.4082151, 63.4170458, 10.4082271, 1.9238330844177396),
        (0.0, 0.0, 0.5, 0.5, 78451.2480312391),
        (45.0, -120.0, 45.3, -119.6, 45837.462196284825),
    ]

    @Test("Vincenty matches geographiclib within 0.1 % (in fact within a millimetre)", arguments: references)
    func distance(_ r: (Double, Double, Double, Double, Double)) {
        let d = Geodesy.distance(latitude1: r.0, longitude1: r.1, latitude2: r.2, longitude2: r.3)
        #expect(abs(d - r.4) <= r.4 * 0.001)
        #expect(abs(d - r.4) < 1e-3)
    }

    @Test("the local plane is within 0.1 % of the geodesic inside a field")
    func plane() {
        let plane = Geodesy.LocalPlane(latitude: 52.2, longitude: 5.1)
        let p = plane.project(latitude: 52.2009, longitude: 5.1013)
        let d = (p.x * p.x + p.y * p.y).squareRoot()
        #expect(abs(d - 133.8986792313168) < 133.9 * 0.001)
    }

    @Test("identical points are 0 m apart")
    func zero() {
        #expect(Geodesy.distance(latitude1: 10, longitude1: 20, latitude2: 10, longitude2: 20) == 0)
    }
}
