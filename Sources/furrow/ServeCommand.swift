import ArgumentParser
import Foundation
import FurrowIngest
import FurrowServer
import FurrowStore
import FurrowWire
import Logging
import Metrics
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle
import UnixSignals

/// `furrow serve`: the ingest daemon — telemetry in over UDP/serial/TCP, into the store, health and metrics
/// over HTTP — until SIGTERM or SIGINT, which flush everything before exit.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the ingest daemon (UDP 14550 into furrow-data/ by default; --demo adds simulated drones).",
        discussion: """
            With no arguments: an embedded SQLite store in ./furrow-data, MAVLink on UDP 0.0.0.0:14550, \
            health and Prometheus metrics on http://127.0.0.1:8080/healthz and /metrics. --config names a TOML \
            file (see Hardware/furrow.example.toml) with links, profiles, store and retention settings.
            """
    )

    @Option(help: "Daemon configuration (TOML).")
    var config: String?

    @Option(help: "Data folder for the store (overrides the configuration).")
    var dataDir: String?

    @Option(help: "Listen for MAVLink on this UDP address (repeatable; replaces the configured UDP links).")
    var udp: [String] = []

    @Option(help: "Device profile of the links given with --udp (default: generic-mavlink).")
    var profile: String?

    @Option(help: "Serve health and metrics on this address, host:port.")
    var http: String?

    @Option(help: "How often received bytes are made durable and decoded rows visible, in milliseconds.")
    var flushIntervalMs: Int?

    @Option(help: "A file holding the operator token (overrides the configuration; FURROW_OPERATOR_TOKEN also works).")
    var operatorTokenFile: String?

    @Flag(help: "Also run simulated drones that send to the daemon's first UDP link.")
    var demo = false

    @Option(help: "Simulated drones with --demo.")
    var demoDrones = 3

    func run() async throws {
        MemoryTuning.limitArenas()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "furrow")
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Libraries name metrics with dots (Hummingbird's `http.server.request.duration`); Prometheus allows
        // only [a-zA-Z0-9_:] in names and [a-zA-Z0-9_] in label names.
        factory.nameAndLabelSanitizer = { label, dimensions in
            func clean(_ s: String, colon: Bool) -> String {
                String(s.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || (colon && $0 == ":")) ? $0 : "_" })
            }
            return (clean(label, colon: true), dimensions.map { (clean($0.0, colon: false), $0.1) })
        }
        MetricsSystem.bootstrap(factory)

        var configuration: DaemonConfiguration
        let assembly: DaemonAssembly
        do {
            configuration = try DaemonConfiguration.load(from: config)
            if let dataDir {
                configuration.dataDirectory = dataDir
                configuration.store.path = "\(dataDir)/furrow.sqlite"
            }
            if !udp.isEmpty {
                configuration.udp = try udp.map { text in
                    guard let address = SocketAddressSpec(text) else {
                        throw ValidationError("--udp: expected host:port, [v6]:port or :port, got \(text)")
                    }
                    return DaemonConfiguration.UDPLink(name: "udp\(address.port)", listen: address, profile: profile)
                }
            }
            if let http {
                guard let address = SocketAddressSpec(http) else { throw ValidationError("--http: expected host:port, got \(http)") }
                configuration.http.listen = address
            }
            if let flushIntervalMs { configuration.store.flushIntervalMilliseconds = flushIntervalMs }
            // The demo's drones are ArduCopter sprayers: map them with that profile unless the link names one.
            if demo, !configuration.udp.isEmpty, configuration.udp[0].profile == nil {
                configuration.udp[0].profile = "ardupilot-sprayer"
            }
            assembly = try DaemonAssembly(configuration: configuration)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        let storeDirectory = (configuration.store.path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: storeDirectory.isEmpty ? "." : storeDirectory, withIntermediateDirectories: true)

        let status = DaemonStatus()
        let group = MultiThreadedEventLoopGroup.singleton
        let links = try assembly.links(group: group, logger: logger)
        let (pool, store) = try IngestService.openStore(
            settings: assembly.settings, migrations: ProjectDirectory.registerMigrations)
        let directory = ProjectDirectory(database: pool)
        for project in configuration.namedProjects {
            do {
                try directory.ensureProject(slug: project)
            } catch {
                logger.warning("project \(project) is not reachable through the API: \(error)")
            }
        }
        let ingest = IngestService(
            settings: assembly.settings, pool: pool, store: store, links: links, status: status, group: group,
            logger: logger, resolve: assembly.resolver)
        let sensors: SensorService
        do {
            sensors = try assembly.sensorService(store: store, group: group, status: status, logger: logger)
        } catch {
            throw ValidationError(error.description)
        }
        var sensorServices: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if !sensors.isEmpty {
            // After ingest, so it stops first on shutdown and the ingest's last checkpoint holds its rows.
            sensorServices.append(
                .init(service: sensors, successTerminationBehavior: .gracefullyShutdownGroup,
                      failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        let http = configuration.http
        var limits = APIServer.Limits()
        limits.maximumBodyBytes = http.maximumBodyBytes
        limits.maximumResultValues = http.maximumResultValues
        limits.maximumExportRows = http.maximumExportRows
        limits.requestsPerSecond = Double(http.requestsPerSecond)
        limits.burst = Double(http.burst)
        limits.corsOrigin = http.corsOrigin
        limits.replayHosts = Set(http.replayHosts)
        let operatorToken = try Self.operatorToken(file: operatorTokenFile ?? http.operatorTokenFile)
        let uploadQueue = UploadQueue(
            importer: FlightLogImporter(store: store, uploads: UploadCatalog(database: pool)),
            files: UploadFiles(
                directory: "\(storeDirectory.isEmpty ? "." : storeDirectory)/uploads",
                maximumBytes: Int64(http.maximumUploadBytes)),
            logger: logger)
        let api = APIServer(
            pool: pool, store: store, operatorToken: operatorToken, limits: limits, uploadQueue: uploadQueue,
            logger: logger)
        let operations = api.application(
            host: http.listen.host, port: http.listen.port, status: status, registry: registry, logger: logger)
        var demoServices: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if demo {
            guard let target = configuration.udp.first?.listen else {
                throw ValidationError("--demo sends to the first UDP link, and none is configured")
            }
            let fleet = FleetSimulator(
                drones: Swift.max(1, demoDrones), mission: .spray, seed: 1, startTime: receiveClockMicroseconds())
            demoServices.append(
                .init(service: DemoFeed(feed: SimulatedFeed(fleet: fleet), host: target.isWildcard ? "127.0.0.1" : target.host,
                                        port: target.port, logger: logger)))
            logger.info("demo: \(demoDrones) simulated spray drones sending to udp \(target) (see /healthz, /metrics)")
            // A reader token for the demo project, so a newcomer can query the API at once; the previous
            // demo token is revoked (a secret is shown once and never stored).
            let project = configuration.project
            for old in try directory.tokens(project: project) where old.label == "demo" && old.revokedAt == nil {
                _ = try directory.revokeToken(id: old.id, project: project)
            }
            let token = try directory.issueToken(project: project, role: .reader, label: "demo")
            demoServices.append(
                .init(service: DemoIrrigationLoader(store: store, fields: FieldCatalog(database: pool), project: project, logger: logger),
                      successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore))
            demoServices.append(
                .init(service: DemoOrchardLoader(store: store, fields: FieldCatalog(database: pool), traps: TrapCatalog(database: pool),
                                                 harvests: HarvestCatalog(database: pool), detections: DetectionCatalog(database: pool),
                                                 project: project, logger: logger),
                      successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore))
            let base = "http://\(http.listen.host):\(http.listen.port)"
            logger.info(
                "demo: reader token for project \(project): \(token.secret) — try: curl -H 'Authorization: Bearer \(token.secret)' \(base)/v1/projects/\(project)/sources")
        }
        // Ingest and upload imports on threads of lower priority than the API's (see `ingest_niceness`).
        let background = ThreadExecutor.background(
            name: "furrow-ingest", threads: 2, niceness: Int32(configuration.ingestNiceness))
        let services = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: ServiceOnExecutor(ingest, executor: background),
                          successTerminationBehavior: .gracefullyShutdownGroup,
                          failureTerminationBehavior: .gracefullyShutdownGroup),
                    .init(service: operations, successTerminationBehavior: .gracefullyShutdownGroup,
                          failureTerminationBehavior: .gracefullyShutdownGroup),
                    .init(service: ServiceOnExecutor(uploadQueue, executor: background),
                          successTerminationBehavior: .ignore,
                          failureTerminationBehavior: .gracefullyShutdownGroup),
                ] + sensorServices + demoServices,  // shut down in reverse order: the demo stops sending first
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await services.run()
    }
}

extension ServeCommand {
    /// The operator token from `file` (first line, trimmed) or FURROW_OPERATOR_TOKEN; nil if neither is set.
    static func operatorToken(file: String?) throws -> String? {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("operator token file \(file) cannot be read")
            }
            let token = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard token.count >= 16 else { throw ValidationError("operator token in \(file) is shorter than 16 characters") }
            return token
        }
        if let token = ProcessInfo.processInfo.environment["FURROW_OPERATOR_TOKEN"], !token.isEmpty {
            guard token.count >= 16 else { throw ValidationError("FURROW_OPERATOR_TOKEN is shorter than 16 characters") }
            return token
        }
        return nil
    }
}

/// `--demo`: simulated drones sending to the daemon's own UDP link, until shutdown.
struct DemoFeed: Service {
    let feed: SimulatedFeed
    let host: String
    let port: Int
    let logger: Logger

    func run() async throws {
        let report = try await cancelWhenGracefulShutdown {
            try await feed.run(toUDP: host, port: port, speed: 1, socketPerDrone: true)
        }
        logger.info("demo: sent \(report.frames) frames")
    }
}
