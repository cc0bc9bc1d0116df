import ArgumentParser
import Foundation
import FurrowIngest
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

    @Option(help: "Serve health and metrics on this address, host:port.")
    var http: String?

    @Option(help: "How often received bytes are made durable and decoded rows visible, in milliseconds.")
    var flushIntervalMs: Int?

    @Flag(help: "Also run simulated drones that send to the daemon's first UDP link.")
    var demo = false

    @Option(help: "Simulated drones with --demo.")
    var demoDrones = 3

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "furrow")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        let dataDirectory = dataDir ?? "furrow-data"
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        var settings = IngestService.Settings(databasePath: "\(dataDirectory)/furrow.sqlite")
        if let flushIntervalMs { settings.flushInterval = .milliseconds(Swift.max(flushIntervalMs, 10)) }
        let project = "default"
        let addresses = udp.isEmpty ? ["0.0.0.0:14550"] : udp
        var links: [IngestLink] = []
        for address in addresses {
            let (host, port) = try Self.hostPort(address)
            links.append(
                IngestLink(
                    binding: LinkBinding(name: "udp\(port)", project: project, isDatagram: true),
                    endpoint: .udp(host: host, port: port)))
        }
        let (httpHost, httpPort) = try Self.hostPort(http ?? "127.0.0.1:8080")
        let status = DaemonStatus()
        let mapper = MAVLinkMapper()
        let ingest = IngestService(
            settings: settings, links: links, status: status, group: MultiThreadedEventLoopGroup.singleton,
            logger: logger
        ) { link, sender in
            SourceBinding(name: "\(link)-\(sender.systemID)-\(sender.componentID)", project: project, mapper: mapper)
        }
        let operations = OperationsServer.application(
            host: httpHost, port: httpPort, status: status, registry: registry, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: ingest, successTerminationBehavior: .gracefullyShutdownGroup,
                          failureTerminationBehavior: .gracefullyShutdownGroup),
                    .init(service: operations, successTerminationBehavior: .gracefullyShutdownGroup,
                          failureTerminationBehavior: .gracefullyShutdownGroup),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }

    /// `host:port`, `[v6]:port` or `:port` (all interfaces).
    static func hostPort(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { throw ValidationError("expected host:port, got \(text)") }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }
}
