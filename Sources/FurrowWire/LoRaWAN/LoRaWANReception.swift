/// One gateway's copy of an uplink, as offered to the de-duplicator.
public struct LoRaWANReception: Sendable, Hashable {
    public let gateway: LoRaWANEUI
    public let frame: LoRaWANDataFrame
    /// Signal strength (dBm) and SNR (dB) at that gateway.
    public let rssi: Double
    public let snr: Double

    public init(gateway: LoRaWANEUI, frame: LoRaWANDataFrame, rssi: Double, snr: Double) {
        self.gateway = gateway
        self.frame = frame
        self.rssi = rssi
        self.snr = snr
    }
}
