import Foundation

/// A small seeded generator (SplitMix64, Steele et al. 2014): the same seed gives the same dataset on every
/// machine and Swift version, which `SystemRandomNumberGenerator` does not.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// An independent stream derived from a seed and a label (one per drone message, per sensor node).
    init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        state = mixer.next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in `range`.
    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }

    /// Uniform integer in `range`.
    mutating func integer(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// Standard normal (Box-Muller, one value per call).
    mutating func gaussian() -> Double {
        let u = Swift.max(unit(), 0x1p-60)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * unit())
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }
}
