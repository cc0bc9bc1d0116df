/// The simulator's own pseudo-random numbers: SplitMix64, so a seed gives the same bytes on every machine
/// and Swift version (the standard library's generators promise neither).
struct SimulationRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// A generator for one purpose derived from a seed and a stream number (drone, message kind).
    init(seed: UInt64, stream: UInt64) {
        var mixer = SimulationRandom(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        state = mixer.next()
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    @inline(__always)
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform in `range`.
    @inline(__always)
    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }

    /// Roughly normal noise with standard deviation `sigma` (sum of four uniforms: cheap, bounded at ±3.5σ).
    @inline(__always)
    mutating func noise(_ sigma: Double) -> Double {
        let a = next()
        let sum = Double(a & 0xFFFF) + Double((a >> 16) & 0xFFFF) + Double((a >> 32) & 0xFFFF) + Double(a >> 48)
        return (sum / 65536 - 2) * 1.7320508075688772 * sigma
    }

    /// Uniform integer in 0..<bound.
    @inline(__always)
    mutating func below(_ bound: Int64) -> Int64 {
        Int64(next() % UInt64(bound))
    }
}
