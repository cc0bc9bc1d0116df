/// A verified, decrypted uplink.
public struct LoRaWANUplink: Sendable, Hashable {
    public let devAddr: UInt32
    /// The full 32-bit frame counter the MIC was verified with.
    public let counter: UInt32
    public let fPort: UInt8?
    /// Plain-text FRMPayload (MAC commands when `fPort` is 0).
    public let payload: [UInt8]
    public let fOpts: [UInt8]
    public let confirmed: Bool
    public let fCtrl: LoRaWANDataFrame.FCtrl
}
