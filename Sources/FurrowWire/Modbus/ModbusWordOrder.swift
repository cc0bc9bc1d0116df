/// Byte order of a 32-bit value across two registers, named by where bytes A (most significant) … D land.
///
/// ABCD is big-endian words and bytes (the Modbus default); CDAB swaps the words (common on meters);
/// BADC swaps the bytes in each word; DCBA is fully little-endian.
public enum ModbusWordOrder: String, Sendable, Hashable, CaseIterable {
    case abcd, cdab, badc, dcba

    /// The 32 bits from two registers as they arrived.
    public func combine(_ first: UInt16, _ second: UInt16) -> UInt32 {
        func swapped(_ w: UInt16) -> UInt16 { w.byteSwapped }
        switch self {
        case .abcd: return UInt32(first) << 16 | UInt32(second)
        case .cdab: return UInt32(second) << 16 | UInt32(first)
        case .badc: return UInt32(swapped(first)) << 16 | UInt32(swapped(second))
        case .dcba: return UInt32(swapped(second)) << 16 | UInt32(swapped(first))
        }
    }
}
