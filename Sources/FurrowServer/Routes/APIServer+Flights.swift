import FurrowStore
import Hummingbird

extension APIServer {
    struct FlightList: Encodable { var flights: [FlightView] }

    /// A flight as the API shows it: times in RFC 3339, duration in seconds.
    struct FlightView: Encodable {
        var id: Int64
        var source: String
        var origin: String
        var start: String
        var end: String?
        var durationSeconds: Double?
        var vehicleType: Int?
        var autopilot: Int?
        /// The upload a log flight came from.
        var upload: Int64?
        /// A log flight's summary: vehicle, distance, altitudes, area, battery, modes, messages, parameters.
        var summary: JSONFragment?

        init(_ f: FlightRecord, withSummary: Bool = true) {
            id = f.id
            source = f.source
            origin = f.origin
            start = StoreTime.format(f.start)
            end = f.end.map(StoreTime.format)
            durationSeconds = f.duration.map { Double($0) / 1e6 }
            vehicleType = f.vehicleType
            autopilot = f.autopilot
            upload = f.upload
            summary = withSummary ? f.summary.map(JSONFragment.init) : nil
        }
    }

    static func registerFlightRoutes(_ r: inout RouteRegistrar) {
        r.add(.get, "/v1/projects/{project}/flights") { server, request, context in
            let slug = try await server.authorize(context, role: .reader)
            let query = request.uri.queryParameters
            let source = query.get("source")
            let range = try TimeParameters.optionalRange(query)
            let flights = try await server.flights.flights(project: slug, source: source)
                .filter { flight in
                    guard let range else { return true }
                    return flight.start < range.upperBound && (flight.end ?? Int64.max) >= range.lowerBound
                }
            return try json(FlightList(flights: flights.map { FlightView($0, withSummary: false) }))
        }
        r.add(.get, "/v1/projects/{project}/flights/{flight}") { server, _, context in
            let slug = try await server.authorize(context, role: .reader)
            let id = try pathID(context, "flight")
            guard let flight = try await server.flights.flight(id: id, project: slug) else {
                throw APIProblem(.notFound, "no flight \(id)", parameter: "flight")
            }
            return try json(FlightView(flight))
        }
    }
}
