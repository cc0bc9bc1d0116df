import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus

/// The daemon's operations endpoints: `/healthz` (JSON status, 503 until the pipeline runs) and
/// `/metrics` (Prometheus text format).
public enum OperationsServer {
    /// A Hummingbird application (a lifecycle service) serving the endpoints on `host:port`.
    public static func application(
        host: String, port: Int, status: DaemonStatus, registry: PrometheusCollectorRegistry, logger: Logger,
        onServerRunning: (@Sendable (any Channel) async -> Void)? = nil
    ) -> some ApplicationProtocol {
        let router = Router()
        addRoutes(to: router, status: status, registry: registry)
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "furrow"),
            onServerRunning: onServerRunning ?? { _ in }, logger: logger)
    }

    /// Adds `/healthz` and `/metrics` to `router` (the API server serves them beside `/v1`).
    public static func addRoutes<Context: RequestContext>(
        to router: Router<Context>, status: DaemonStatus, registry: PrometheusCollectorRegistry
    ) {
        router.get("/healthz") { _, _ -> Response in
            let snapshot = status.snapshot
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let body = (try? encoder.encode(snapshot)) ?? Data()
            return Response(
                status: snapshot.status == "running" ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
        router.get("/metrics") { _, _ -> Response in
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
        }
    }
}
