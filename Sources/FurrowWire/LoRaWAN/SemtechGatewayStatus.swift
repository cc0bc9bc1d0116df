/// Gateway statistics (`stat`) from a PUSH_DATA; every field is optional on the wire.
public struct SemtechGatewayStatus: Sendable, Hashable, Decodable {
    /// Gateway time, "2014-01-12 08:59:28 GMT".
    public let time: String?
    /// GPS position (degrees, metres) if the gateway has one.
    public let lati: Double?
    public let long: Double?
    public let alti: Double?
    /// Packets received, with a valid CRC, forwarded.
    public let rxnb: Int?
    public let rxok: Int?
    public let rxfw: Int?
    /// Percentage of upstream datagrams acknowledged.
    public let ackr: Double?
    /// Downlinks received and emitted.
    public let dwnb: Int?
    public let txnb: Int?
}
