import Foundation

/// Growth-stage lengths in days (FAO-56 Table 11), the time axis of every crop coefficient curve.
public struct CropStages: Sendable, Hashable, Codable {
    public var initial: Int
    public var development: Int
    public var midSeason: Int
    public var late: Int

    public init(initial: Int, development: Int, midSeason: Int, late: Int) {
        self.initial = initial
        self.development = development
        self.midSeason = midSeason
        self.late = late
    }

    /// Season length, days.
    public var total: Int { initial + development + midSeason + late }

    /// Rejects negative lengths and an empty season.
    public func validate() throws(AgronomyError) {
        for (name, v) in [("l_ini", initial), ("l_dev", development), ("l_mid", midSeason), ("l_late", late)] {
            guard v >= 0 else { throw AgronomyError(.outOfRange, field: name, "stage length \(v) d is negative") }
        }
        guard total > 0 else { throw AgronomyError(.outOfRange, field: "stages", "all stage lengths are 0") }
    }
}

/// The FAO-56 single (or basal) crop coefficient as a piecewise-linear function of days after planting.
///
/// Day 0 is the planting (or green-up) date. As in FAO-56 Eq. 66 and pyfao56, days 0…L_ini use Kc_ini, days
/// L_ini < d ≤ L_ini + L_dev rise linearly to Kc_mid, the mid-season holds Kc_mid, the late season falls linearly to
/// Kc_end on its last day, and later days keep Kc_end.
public struct CropCoefficientCurve: Sendable, Hashable, Codable {
    public var stages: CropStages
    public var kcIni: Double
    public var kcMid: Double
    public var kcEnd: Double

    public init(stages: CropStages, kcIni: Double, kcMid: Double, kcEnd: Double) {
        self.stages = stages
        self.kcIni = kcIni
        self.kcMid = kcMid
        self.kcEnd = kcEnd
    }

    /// Rejects coefficients outside 0…2 and bad stage lengths.
    public func validate() throws(AgronomyError) {
        try stages.validate()
        try Check.range(kcIni, "kc_ini", 0...2, unit: "")
        try Check.range(kcMid, "kc_mid", 0...2, unit: "")
        try Check.range(kcEnd, "kc_end", 0...2, unit: "")
    }

    /// The growth stage a day falls in.
    public enum Stage: String, Sendable, Hashable, Codable {
        case initial, development, midSeason = "mid", late, afterSeason = "after"
    }

    /// Stage of day `d` after planting.
    public func stage(onDay d: Int) -> Stage {
        let s1 = stages.initial, s2 = s1 + stages.development, s3 = s2 + stages.midSeason, s4 = s3 + stages.late
        if d <= s1 { return .initial }
        if d <= s2 { return .development }
        if d <= s3 { return .midSeason }
        if d <= s4 { return .late }
        return .afterSeason
    }

    /// Kc on day `d` after planting (FAO-56 Eq. 66).
    public func kc(onDay d: Int) -> Double {
        let s1 = stages.initial, s2 = s1 + stages.development, s3 = s2 + stages.midSeason
        switch stage(onDay: d) {
        case .initial: return kcIni
        case .development: return kcIni + Double(d - s1) / Double(stages.development) * (kcMid - kcIni)
        case .midSeason: return kcMid
        case .late: return kcMid + Double(d - s3) / Double(stages.late) * (kcEnd - kcMid)
        case .afterSeason: return kcEnd
        }
    }

    /// FAO-56 Eq. 62 (Eq. 65 for Kc_end, Eq. 70 for Kcb) climate term added to a tabulated coefficient:
    /// `[0.04 (u2 − 2) − 0.004 (RHmin − 45)] (h/3)^0.3`, with u2 limited to 1…6 m s⁻¹ and RHmin to 20…80 %.
    public static func climateAdjustment(u2: Double, rhMin: Double, cropHeight h: Double) -> Double {
        let u = min(max(u2, 1), 6)
        let rh = min(max(rhMin, 20), 80)
        return (0.04 * (u - 2) - 0.004 * (rh - 45)) * pow(h / 3, 0.3)
    }

    /// The curve with Kc_mid and Kc_end adjusted for the stage-mean u2 and RHmin (FAO-56 Eqs. 62, 65).
    ///
    /// Only coefficients ≥ 0.45 are adjusted (FAO-56 Eq. 65 note; pyfao56 applies the same rule to Kc_mid).
    /// - Parameter roundedTo3Decimals: round each adjustment to 0.001 as pyfao56 (`K_adj=True`) does.
    public func climateAdjusted(
        midU2: Double, midRHmin: Double, lateU2: Double, lateRHmin: Double, cropHeight: Double,
        roundedTo3Decimals: Bool = false
    ) -> CropCoefficientCurve {
        func term(_ u2: Double, _ rh: Double) -> Double {
            let a = Self.climateAdjustment(u2: u2, rhMin: rh, cropHeight: cropHeight)
            return roundedTo3Decimals ? (a * 1000).rounded() / 1000 : a
        }
        var out = self
        if kcMid >= 0.45 { out.kcMid = kcMid + term(midU2, midRHmin) }
        if kcEnd >= 0.45 { out.kcEnd = kcEnd + term(lateU2, lateRHmin) }
        return out
    }

    /// Day ranges (days after planting) of the mid and late stages, for averaging climate over them.
    public var midSeasonDays: ClosedRange<Int> {
        let s2 = stages.initial + stages.development
        return (s2 + 1)...(s2 + max(stages.midSeason, 1))
    }

    /// Days of the late season.
    public var lateSeasonDays: ClosedRange<Int> {
        let s3 = stages.initial + stages.development + stages.midSeason
        return (s3 + 1)...(s3 + max(stages.late, 1))
    }
}
