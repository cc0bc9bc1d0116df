/// A 64-bit EUI (gateway, device or join EUI), written most significant byte first as in consoles: `AA555A0000000000`.
public struct LoRaWANEUI: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: UInt64

    public init(_ value: UInt64) { self.value = value }

    /// From 8 bytes, most significant first (the packet forwarder's gateway EUI order).
    public init(bigEndian bytes: some Collection<UInt8>) throws(LoRaWANError) {
        guard bytes.count == 8 else {
            throw LoRaWANError(code: .truncated, reason: "an EUI has 8 bytes, got \(bytes.count)")
        }
        value = bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// From 8 bytes, least significant first (LoRaWAN's on-air order for DevEUI and JoinEUI).
    public init(littleEndian bytes: some Collection<UInt8>) throws(LoRaWANError) {
        try self.init(bigEndian: bytes.reversed())
    }

    /// The 8 bytes, most significant first.
    public var bigEndianBytes: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }

    public var description: String {
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    public static func < (a: LoRaWANEUI, b: LoRaWANEUI) -> Bool { a.value < b.value }
}
