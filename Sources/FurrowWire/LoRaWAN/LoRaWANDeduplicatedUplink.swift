/// An uplink after de-duplication: the best copy and how many gateways heard it.
public struct LoRaWANDeduplicatedUplink: Sendable, Hashable {
    /// The copy with the best SNR (then RSSI).
    public let best: LoRaWANReception
    /// Distinct gateways that heard the frame.
    public let gatewayCount: Int
    /// All copies, including repeats from the same gateway.
    public let copies: Int
    /// When the first copy arrived.
    public let firstSeen: Duration
}
