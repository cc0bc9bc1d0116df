import Metrics

/// The metric handles of one stream link, made once per transport (`{link="radio"}` on each).
struct StreamTransportMetrics: Sendable {
    /// `furrow_transport_reopens_total`: times the link came back after being connected.
    let reopens: Counter
    /// `furrow_transport_receive_bytes_total`.
    let receivedBytes: Counter
    /// `furrow_transport_dropped_bursts_total`: bursts the sink refused.
    let droppedBursts: Counter
    /// `furrow_transport_dropped_bytes_total`: the bytes of those bursts.
    let droppedBytes: Counter
    /// `furrow_transport_connected`: 1 while connected, else 0.
    let connected: Gauge

    init(link: String, factory: any MetricsFactory) {
        let dimensions = [("link", link)]
        reopens = Counter(label: "furrow_transport_reopens_total", dimensions: dimensions, factory: factory)
        receivedBytes = Counter(
            label: "furrow_transport_receive_bytes_total",
            dimensions: dimensions,
            factory: factory
        )
        droppedBursts = Counter(
            label: "furrow_transport_dropped_bursts_total",
            dimensions: dimensions,
            factory: factory
        )
        droppedBytes = Counter(
            label: "furrow_transport_dropped_bytes_total",
            dimensions: dimensions,
            factory: factory
        )
        connected = Gauge(label: "furrow_transport_connected", dimensions: dimensions, factory: factory)
    }
}
