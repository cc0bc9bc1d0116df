import Foundation
import FurrowIngest
import FurrowStore
import GRDB
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Prometheus

/// The HTTP API of `furrow serve`: `/v1` for pilot projects (tokens, sources, series, fields, flights, live
/// values, exports), `/healthz` and `/metrics` for operators.
public struct APIServer: Sendable {
    /// Bounds on what one request may send or ask for.
    public struct Limits: Sendable {
        /// Largest request body (JSON) accepted, bytes.
        public var maximumBodyBytes = 1 << 20
        /// Largest file upload (yield-monitor CSV) accepted, bytes; read as it streams in and refused past this.
        public var maximumDataFileBytes = 64 << 20
        /// Most values a JSON query answer may hold (raw rows, or buckets × series).
        public var maximumResultValues = 1_000_000
        /// Most rows a CSV or line-protocol export may stream.
        public var maximumExportRows = 50_000_000
        /// Most series one query may name.
        public var maximumSeriesPerQuery = 50
        /// Requests per second per token (0 = unlimited), with bursts of `burst`.
        public var requestsPerSecond = 50.0
        public var burst = 100.0
        /// Hosts a replay started over the API may send to (UDP/TCP); loopback only by default.
        public var replayHosts: Set<String> = ["127.0.0.1", "::1", "localhost"]
        /// The origin allowed to call the API from a browser (`*` for any); nil = CORS off.
        public var corsOrigin: String?

        public init() {}
    }

    public let pool: DatabasePool
    public let store: TimeSeriesStore
    public let directory: ProjectDirectory
    public let fields: FieldCatalog
    public let flights: FlightCatalog
    public let traps: TrapCatalog
    public let harvests: HarvestCatalog
    public let vegetation: VegetationSurveyCatalog
    public let detections: DetectionCatalog
    public let replays: ReplayManager
    public let uploadCatalog: UploadCatalog
    /// The background importer of flight-log uploads; nil when the server keeps no files (uploads refused).
    public let uploadQueue: UploadQueue?
    public let limits: Limits
    let logger: Logger
    /// The SHA-256 of the operator token (nil: no operator access over HTTP).
    public let operatorTokenHash: Data?

    public init(
        pool: DatabasePool, store: TimeSeriesStore, operatorToken: String?, limits: Limits = Limits(),
        uploadQueue: UploadQueue? = nil, logger: Logger = Logger(label: "furrow.api")
    ) {
        self.pool = pool
        self.uploadCatalog = UploadCatalog(database: pool)
        self.uploadQueue = uploadQueue
        self.logger = logger
        self.store = store
        self.directory = ProjectDirectory(database: pool)
        self.fields = FieldCatalog(database: pool)
        self.flights = FlightCatalog(database: pool)
        self.traps = TrapCatalog(database: pool)
        self.harvests = HarvestCatalog(database: pool)
        self.vegetation = VegetationSurveyCatalog(database: pool)
        self.detections = DetectionCatalog(database: pool)
        self.replays = ReplayManager(database: pool, allowedHosts: limits.replayHosts)
        self.limits = limits
        self.operatorTokenHash = operatorToken.map(ProjectDirectory.hash)
    }

    /// Method and path (OpenAPI spelling, `{name}` parameters) of every `/v1` route, as registered.
    public static var routes: [(method: HTTPRequest.Method, path: String)] {
        let router = Router(context: APIContext.self)
        var table = RouteTable()
        APIServer.registerRoutes(on: router, table: &table, server: nil)
        return table.entries
    }

    /// The router: problem+json errors, optional CORS, authentication, the `/v1` routes and, when given,
    /// health and metrics.
    public func router(status: DaemonStatus? = nil, registry: PrometheusCollectorRegistry? = nil) -> Router<APIContext> {
        let router = Router(context: APIContext.self)
        // Request counts and durations per route and status on /metrics (outermost: it sees every answer).
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ProblemMiddleware())
        if let origin = limits.corsOrigin {
            router.add(
                middleware: CORSMiddleware(
                    allowOrigin: origin == "*" ? .all : .custom(origin),
                    allowHeaders: [.authorization, .contentType], allowMethods: [.get, .post, .put, .delete]))
        }
        router.add(
            middleware: AuthenticationMiddleware(
                directory: directory, operatorTokenHash: operatorTokenHash, limits: limits,
                limiter: RateLimiter(perSecond: limits.requestsPerSecond, burst: limits.burst)))
        if let status, let registry { OperationsServer.addRoutes(to: router, status: status, registry: registry) }
        var table = RouteTable()
        Self.registerRoutes(on: router, table: &table, server: self)
        return router
    }

    /// A Hummingbird application (a lifecycle service) on `host:port`.
    public func application(
        host: String, port: Int, status: DaemonStatus? = nil, registry: PrometheusCollectorRegistry? = nil,
        logger: Logger, onServerRunning: (@Sendable (any Channel) async -> Void)? = nil
    ) -> some ApplicationProtocol {
        Application(
            router: router(status: status, registry: registry),
            configuration: .init(address: .hostname(host, port: port), serverName: "furrow"),
            onServerRunning: onServerRunning ?? { _ in }, logger: logger)
    }

    static func registerRoutes(on router: Router<APIContext>, table: inout RouteTable, server: APIServer?) {
        var r = RouteRegistrar(router: router, server: server)
        r.add(.get, "/v1/openapi.json") { _, _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        registerProjectRoutes(&r)
        registerSeriesRoutes(&r)
        registerFieldRoutes(&r)
        registerIrrigationRoutes(&r)
        registerPestRoutes(&r)
        registerYieldRoutes(&r)
        registerVegetationRoutes(&r)
        registerScoutingRoutes(&r)
        registerFlightRoutes(&r)
        registerUploadRoutes(&r)
        registerFlightExportRoutes(&r)
        registerLiveRoutes(&r)
        registerReplayRoutes(&r)
        table.entries = r.entries
    }
}

/// The `/v1` routes as registered, so the OpenAPI document can be checked against them.
struct RouteTable {
    var entries: [(method: HTTPRequest.Method, path: String)] = []
}

/// Registers routes written with OpenAPI-style paths (`{project}`) and records them.
struct RouteRegistrar {
    typealias Handler = @Sendable (APIServer, Request, APIContext) async throws -> Response
    let router: Router<APIContext>
    let server: APIServer?
    var entries: [(method: HTTPRequest.Method, path: String)] = []

    mutating func add(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        entries.append((method, path))
        guard let server else { return }
        let hummingbirdPath = path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : part
        }.joined(separator: "/")
        router.on(RouterPath(hummingbirdPath), method: method) { request, context in
            try await handler(server, request, context)
        }
    }
}

// MARK: - Helpers shared by the routes

extension APIServer {
    /// The project named in the path if the caller may act in it with `role`; a project the caller cannot
    /// see is "not found", exactly like one that does not exist.
    func authorize(_ context: APIContext, role: TokenRole) async throws -> String {
        let slug = try Self.pathParameter(context, "project")
        switch context.principal {
        case .anonymous:
            throw AuthenticationMiddleware.unauthorized("send a token as Authorization: Bearer <token>")
        case .operator:
            guard try await directory.project(slug) != nil else { throw Self.noProject(slug) }
        case .token(let token):
            guard token.project == slug else { throw Self.noProject(slug) }
            guard token.role >= role else {
                throw APIProblem(.forbidden, "this needs a \(role.rawValue) token; this token is a \(token.role.rawValue)")
            }
        }
        return slug
    }

    static func noProject(_ slug: String) -> APIProblem {
        APIProblem(.notFound, "no project \(slug)", parameter: "project")
    }

    static func pathParameter(_ context: APIContext, _ name: String) throws -> String {
        guard let raw = context.parameters.get(name) else {
            throw APIProblem(.invalidParameter, "missing path parameter \(name)", parameter: name)
        }
        return raw.removingPercentEncoding ?? raw
    }

    static func pathID(_ context: APIContext, _ name: String) throws -> Int64 {
        let text = try pathParameter(context, name)
        guard let id = Int64(text), id > 0 else {
            throw APIProblem(.notFound, "no \(name) \(text)", parameter: name)
        }
        return id
    }

    /// A JSON response of `value` (keys sorted, so answers are stable).
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// An uploaded data file (yield CSV, detections, a survey), read as it streams in and refused (413) as soon
    /// as it passes `maximumDataFileBytes`.
    func collectDataFile(_ request: Request, what: String) async throws -> Data {
        var data = Data()
        for try await chunk in request.body {
            data.append(contentsOf: chunk.readableBytesView)
            guard data.count <= limits.maximumDataFileBytes else {
                throw APIProblem(.bodyTooLarge, "\(what) is larger than \(limits.maximumDataFileBytes) bytes")
            }
        }
        return data
    }

    /// Decodes a JSON body of at most the configured size; problems name what was wrong.
    func decodeBody<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limits.maximumBodyBytes)
        } catch {
            throw APIProblem(.bodyTooLarge, "the request body is larger than \(limits.maximumBodyBytes) bytes")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIProblem(.invalidBody, ProblemMiddleware<APIContext>.describe(error))
        } catch let invalid as FieldBoundary.Invalid {
            throw APIProblem(.invalidBody, "boundary: \(invalid.reason)", parameter: "boundary")
        }
    }
}
