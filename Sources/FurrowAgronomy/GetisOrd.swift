import Foundation

/// The Getis–Ord Gi* local statistic (Ord & Getis 1995, Geogr. Anal. 27:286) with binary weights that include the
/// cell itself, the standard test for clusters of high counts on a grid.
///
/// z_i = (Σ_j w_ij x_j − x̄ W_i) / (S √((n W_i − W_i²)/(n − 1))), with W_i = Σ_j w_ij, x̄ and
/// S = √(Σx²/n − x̄²) over all n cells (zeros included). Identical to PySAL `esda.G_Local(star=True,
/// transform="B")`'s z-scores. A cell whose neighbourhood is the whole grid (W_i = n) or a grid with no variance
/// gives no z (nil).
public enum GetisOrd {
    /// Gi* z-scores.
    /// - Parameters:
    ///   - values: the variable per cell.
    ///   - neighbours: for each cell, the indices with weight 1 (including the cell itself).
    public static func zScores(_ values: [Double], neighbours: [[Int]]) throws(AgronomyError) -> [Double?] {
        let n = values.count
        guard neighbours.count == n else {
            throw AgronomyError(.inconsistent, field: "neighbours", "\(neighbours.count) neighbour lists for \(n) values")
        }
        guard n >= 3 else { throw AgronomyError(.outOfRange, field: "values", "Gi* needs at least 3 cells, got \(n)") }
        for (i, v) in values.enumerated() { try Check.finite(v, "values[\(i)]") }
        let nd = Double(n)
        let mean = values.reduce(0, +) / nd
        let variance = values.reduce(0) { $0 + $1 * $1 } / nd - mean * mean
        let s = max(0, variance).squareRoot()
        return neighbours.map { list in
            let w = Double(list.count)
            let denominator = s * ((nd * w - w * w) / (nd - 1)).squareRoot()
            guard denominator > 1e-12 * max(1, s) else { return nil }
            let sum = list.reduce(0.0) { $0 + values[$1] }
            return (sum - mean * w) / denominator
        }
    }

    /// One-sided upper-tail p-value of a standard normal z.
    public static func upperTailP(_ z: Double) -> Double { 0.5 * erfc(z / 2.0.squareRoot()) }
}

/// Hot- or cold-spot confidence by the two-sided bins ArcGIS "Hot Spot Analysis" reports (Gi_Bin):
/// |z| ≥ 1.645 → 90 %, ≥ 1.960 → 95 %, ≥ 2.576 → 99 %. No false-discovery-rate correction.
public enum HotspotConfidence: Int, Sendable, Hashable, Codable, Comparable {
    case cold99 = -3, cold95 = -2, cold90 = -1, none = 0, hot90 = 1, hot95 = 2, hot99 = 3

    public init(z: Double?) {
        guard let z else { self = .none; return }
        let a = abs(z), sign = z > 0 ? 1 : -1
        let level = a >= 2.576 ? 3 : a >= 1.960 ? 2 : a >= 1.645 ? 1 : 0
        self = HotspotConfidence(rawValue: sign * level) ?? .none
    }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// The confidence in percent (90, 95, 99), 0 when not significant.
    public var percent: Int { [0, 90, 95, 99][abs(rawValue)] }
}
