/// Rebuilds the 32-bit frame counter from the 16 bits a 1.0.x device sends.
public enum LoRaWANFrameCounter {
    /// The largest forward jump accepted by LoRaWAN 1.0 (MAX_FCNT_GAP); larger gaps mean a reset or a replay.
    public static let maximumGap: UInt32 = 16_384

    /// The smallest 32-bit counter ≥ `last` whose low 16 bits are `received` (the same value is a retransmission).
    ///
    /// With no previous value the counter is taken as is (a fresh ABP session or join).
    public static func reconstruct(_ received: UInt16, last: UInt32?) -> UInt32 {
        guard let last else { return UInt32(received) }
        let candidate = (last & 0xFFFF_0000) | UInt32(received)
        if candidate >= last { return candidate }
        return candidate &+ 0x1_0000
    }

    /// Whether `counter` is within `maximumGap` ahead of `last` (or equal: a retransmission).
    public static func isPlausible(_ counter: UInt32, after last: UInt32?) -> Bool {
        guard let last else { return true }
        return counter >= last && counter - last <= maximumGap
    }
}
