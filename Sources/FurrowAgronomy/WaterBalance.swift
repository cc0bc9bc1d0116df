import Foundation

/// FAO-56 chapter 8 daily root-zone water balance, the model behind "how dry is the field and when to irrigate".
///
/// Per day i (FAO-56 Eqs. 82–88), with the conventions of pyfao56 1.4 (Thorp et al.) where FAO-56 leaves a choice,
/// so the two can be compared day by day:
/// - TAW = 1000 (θFC − θWP) Zr, with Zr of day i (after root growth);
/// - p = p_table + 0.04 (5 − ETc), limited to 0.1…0.8 (or constant); RAW = p TAW;
/// - Ks = (TAW − Dr,i−1) / ((1 − p) TAW) limited to 0…1 — from the **start-of-day** depletion;
/// - ETc adj = Ks Kc ET0 (single, Eq. 81) or (Ks Kcb + Ke) ET0 (dual, Eq. 80);
/// - effective rain = P − RO, with RO = 0 unless the curve-number option (ASCE 2016 Eqs. 14-12…14-20, dual only);
/// - net irrigation = gross × efficiency; no capillary rise (CR = 0);
/// - DP = max(0, P − RO + I − ETc adj − Dr,i−1) (Eq. 88);
/// - Dr,i = Dr,i−1 − (P − RO) − I + ETc adj + DP, limited to 0…TAW (Eqs. 85–86). Water the equation would take
///   below the wilting point is reported as ``Day/unmetDemand`` so the balance still closes;
/// - growing roots: Zr = Zr,ini + (Zr,max − Zr,ini)(Kc − Kc,ini)/(Kc,mid − Kc,ini), never decreasing (FAO-56 p. 279,
///   pyfao56 uses the basal curve); new soil below the old root zone is assumed at field capacity.
public struct WaterBalance: Sendable {
    /// Single Kc, or dual Kcb + Ke with a surface evaporation layer (FAO-56 chapter 7).
    public enum Coefficients: Sendable, Hashable {
        case single(CropCoefficientCurve)
        case dual(DualCoefficients)
    }

    /// Parameters of the dual crop coefficient (FAO-56 Eqs. 69–79).
    public struct DualCoefficients: Sendable, Hashable, Codable {
        /// Basal crop coefficient curve.
        public var basal: CropCoefficientCurve
        /// Crop height at planting and at mid season, m (height follows Kcb, pyfao56 convention).
        public var initialHeight: Double
        public var maximumHeight: Double
        /// Depth of the surface evaporation layer Ze, m.
        public var evaporationLayerDepth: Double
        /// Readily evaporable water REW, mm.
        public var readilyEvaporableWater: Double
        /// Reference crop for Kc,max: grass (Eq. 72) or alfalfa (Kc,max = max(1.0, Kcb + 0.05)).
        public var tallReference: Bool

        public init(
            basal: CropCoefficientCurve, initialHeight: Double, maximumHeight: Double,
            evaporationLayerDepth: Double = 0.10, readilyEvaporableWater: Double, tallReference: Bool = false
        ) {
            self.basal = basal
            self.initialHeight = initialHeight
            self.maximumHeight = maximumHeight
            self.evaporationLayerDepth = evaporationLayerDepth
            self.readilyEvaporableWater = readilyEvaporableWater
            self.tallReference = tallReference
        }
    }

    /// Effective root depth over the season.
    public enum RootDepth: Sendable, Hashable {
        case constant(Double)
        /// Grows with the crop coefficient from `initial` to `maximum`, m.
        case growing(initial: Double, maximum: Double)

        var initial: Double {
            switch self {
            case .constant(let z): z
            case .growing(let z, _): z
            }
        }
    }

    /// The soil water depletion fraction for no stress p.
    public enum DepletionFraction: Sendable, Hashable {
        /// FAO-56 Table 22 value adjusted for the day's ETc: p = base + 0.04 (5 − ETc), limited to 0.1…0.8.
        case etcAdjusted(base: Double)
        /// A constant p (FAO-56 Annex 8 style, pyfao56 `cons_p=True`).
        case constant(Double)
    }

    /// Surface runoff rule.
    public enum Runoff: Sendable, Hashable {
        /// RO = 0: all rain enters the root zone (FAO-56 chapter 8 default, pyfao56 default).
        case none
        /// SCS curve number with CN2 adjusted for the surface layer's wetness (ASCE Manual 70, 2016, Eqs. 14-12…
        /// 14-20, as in pyfao56 `roff=True`). Needs the dual model's evaporation layer.
        case curveNumber(Double)
    }

    /// FAO-56 Eq. 62/65 adjustment of Kc_mid/Kc_end (and Kcb) from the season's own weather.
    public enum ClimateAdjustment: Sendable, Hashable {
        case none
        /// Means of u2 and RHmin over the mid-season and late-season days (days after planting as in
        /// ``CropCoefficientCurve/stage(onDay:)``).
        case stageMeans(cropHeight: Double)
        /// As pyfao56 `K_adj=True`: windows start one day earlier (days L_ini+L_dev … L_ini+L_dev+L_mid−1) and each
        /// adjustment is rounded to 0.001.
        case pyfao56(cropHeight: Double)
    }

    /// Initial root-zone state.
    public enum InitialState: Sendable, Hashable {
        case fieldCapacity
        /// Uniform volumetric water content θ0 over the initial root zone (FAO-56 Eq. 87).
        case theta(Double)
        /// Initial depletion, mm.
        case depletion(Double)
    }

    /// Irrigation by management-allowed depletion inside the run (optional).
    public struct AutoIrrigation: Sendable, Hashable {
        /// Irrigate on a day whose start-of-day Dr/TAW exceeds this fraction.
        public var managementAllowedDepletion: Double
        /// Application efficiency (gross = net / efficiency).
        public var efficiency: Double

        public init(managementAllowedDepletion: Double, efficiency: Double = 1) {
            self.managementAllowedDepletion = managementAllowedDepletion
            self.efficiency = efficiency
        }
    }

    /// Everything about the field and crop that does not change day to day.
    public struct Configuration: Sendable, Hashable {
        public var soil: SoilWater
        public var rootDepth: RootDepth
        public var coefficients: Coefficients
        public var depletionFraction: DepletionFraction
        public var initialState: InitialState
        public var runoff: Runoff
        public var climateAdjustment: ClimateAdjustment
        public var autoIrrigation: AutoIrrigation?

        public init(
            soil: SoilWater, rootDepth: RootDepth, coefficients: Coefficients, depletionFraction: DepletionFraction,
            initialState: InitialState = .fieldCapacity, runoff: Runoff = .none,
            climateAdjustment: ClimateAdjustment = .none, autoIrrigation: AutoIrrigation? = nil
        ) {
            self.soil = soil
            self.rootDepth = rootDepth
            self.coefficients = coefficients
            self.depletionFraction = depletionFraction
            self.initialState = initialState
            self.runoff = runoff
            self.climateAdjustment = climateAdjustment
            self.autoIrrigation = autoIrrigation
        }
    }

    /// One day of forcing. Day 0 of the input array is the planting date.
    public struct DayInput: Sendable, Hashable, Codable {
        /// Reference ET, mm. Negative values (winter/night artefacts) count as 0.
        public var et0: Double
        /// Precipitation, mm.
        public var rain: Double
        /// Gross irrigation applied, mm.
        public var irrigation: Double
        /// Fraction of the gross irrigation that reaches the root zone (0…1].
        public var irrigationEfficiency: Double
        /// Fraction of the surface wetted by this irrigation fw (dual model), (0…1].
        public var wettedFraction: Double
        /// Wind at 2 m, m s⁻¹ (dual Kc,max and climate adjustment; default 2).
        public var u2: Double?
        /// Minimum relative humidity, % (default 45).
        public var rhMin: Double?

        public init(
            et0: Double, rain: Double = 0, irrigation: Double = 0, irrigationEfficiency: Double = 1,
            wettedFraction: Double = 1, u2: Double? = nil, rhMin: Double? = nil
        ) {
            self.et0 = et0
            self.rain = rain
            self.irrigation = irrigation
            self.irrigationEfficiency = irrigationEfficiency
            self.wettedFraction = wettedFraction
            self.u2 = u2
            self.rhMin = rhMin
        }
    }

    /// The state and fluxes of one day, mm unless stated.
    public struct Day: Sendable, Hashable, Codable {
        public var day: Int
        public var stage: CropCoefficientCurve.Stage
        public var et0: Double
        /// Crop coefficient before stress (single Kc, or Kcb + Ke).
        public var kc: Double
        /// Basal Kcb and evaporation Ke (dual only).
        public var kcb: Double?
        public var ke: Double?
        /// Soil evaporation E (dual only).
        public var evaporation: Double?
        /// Surface-layer depletion De at end of day (dual only).
        public var evaporationDepletion: Double?
        /// ETc = Kc ET0.
        public var etc: Double
        /// Root depth Zr, m.
        public var rootDepth: Double
        public var taw: Double
        public var p: Double
        public var raw: Double
        /// Water stress coefficient from the start-of-day depletion.
        public var ks: Double
        /// ETc adj (actual crop ET).
        public var etcAdj: Double
        public var rain: Double
        public var runoff: Double
        public var effectiveRain: Double
        public var irrigationGross: Double
        public var irrigationNet: Double
        /// Irrigation triggered by ``AutoIrrigation`` on this day.
        public var autoIrrigated: Bool
        public var deepPercolation: Double
        /// Depletion at the start and the end of the day.
        public var depletionStart: Double
        public var depletion: Double
        /// Dr / TAW at end of day.
        public var fractionDepleted: Double
        /// Water the balance would have drawn below the wilting point (clipped at TAW; normally 0).
        public var unmetDemand: Double
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration) { self.configuration = configuration }

    /// Validates the configuration (θ limits, root depths, p, curve, runoff needing the dual model).
    public func validate() throws(AgronomyError) {
        let c = configuration
        try c.soil.validate()
        switch c.rootDepth {
        case .constant(let z): try Check.range(z, "root_depth", 0.01...10, unit: "m")
        case .growing(let a, let b):
            try Check.range(a, "root_depth_initial", 0.01...10, unit: "m")
            try Check.range(b, "root_depth_max", 0.01...10, unit: "m")
            guard a <= b else {
                throw AgronomyError(.inconsistent, field: "root_depth_initial", "initial root depth \(a) m exceeds the maximum \(b) m")
            }
        }
        switch c.depletionFraction {
        case .etcAdjusted(let p), .constant(let p): try Check.range(p, "p", 0.05...0.95, unit: "")
        }
        switch c.coefficients {
        case .single(let curve): try curve.validate()
        case .dual(let d):
            try d.basal.validate()
            try Check.range(d.initialHeight, "h_ini", 0...30, unit: "m")
            try Check.range(d.maximumHeight, "h_max", 0...30, unit: "m")
            try Check.range(d.evaporationLayerDepth, "ze", 0.05...0.25, unit: "m")
            let tew = 1000 * (c.soil.fieldCapacity - 0.5 * c.soil.wiltingPoint) * d.evaporationLayerDepth
            try Check.range(d.readilyEvaporableWater, "rew", 0...tew, unit: "mm")
            guard d.readilyEvaporableWater < tew else {
                throw AgronomyError(.inconsistent, field: "rew", "REW must be below TEW (\(tew) mm)")
            }
        }
        switch c.initialState {
        case .fieldCapacity: break
        case .theta(let t):
            try Check.range(t, "theta0", c.soil.wiltingPoint...c.soil.fieldCapacity + 0.2, unit: "m3/m3")
        case .depletion(let d):
            try Check.range(d, "initial_depletion", 0...c.soil.totalAvailableWater(rootDepth: c.rootDepth.initial), unit: "mm")
        }
        if case .curveNumber(let cn) = c.runoff {
            try Check.range(cn, "cn2", 1...100, unit: "")
            guard case .dual = c.coefficients else {
                throw AgronomyError(
                    .inconsistent, field: "runoff", "the curve-number runoff needs the dual model's surface layer (De)")
            }
        }
        if let a = c.autoIrrigation {
            try Check.range(a.managementAllowedDepletion, "mad", 0.01...1, unit: "")
            try Check.range(a.efficiency, "auto_irrigation_efficiency", 0.01...1, unit: "")
        }
    }

    static func validate(_ d: DayInput, index i: Int) throws(AgronomyError) {
        try Check.range(d.et0, "days[\(i)].et0", -5...30, unit: "mm")
        try Check.range(d.rain, "days[\(i)].rain", 0...2000, unit: "mm")
        try Check.range(d.irrigation, "days[\(i)].irrigation", 0...2000, unit: "mm")
        guard d.irrigationEfficiency > 0 && d.irrigationEfficiency <= 1 else {
            throw AgronomyError(.outOfRange, field: "days[\(i)].irrigation_efficiency",
                                "\(d.irrigationEfficiency) must be in (0, 1]")
        }
        guard d.wettedFraction > 0 && d.wettedFraction <= 1 else {
            throw AgronomyError(.outOfRange, field: "days[\(i)].fw", "\(d.wettedFraction) must be in (0, 1]")
        }
        if let u2 = d.u2 { try Check.range(u2, "days[\(i)].u2", 0...75, unit: "m/s") }
        if let rh = d.rhMin { try Check.range(rh, "days[\(i)].rh_min", 0...100, unit: "%") }
    }

    /// The Kc/Kcb curve after the configured climate adjustment.
    func adjustedCurve(_ curve: CropCoefficientCurve, days: [DayInput]) -> CropCoefficientCurve {
        func means(_ range: ClosedRange<Int>) -> (Double, Double)? {
            let slice = range.filter { $0 >= 0 && $0 < days.count }.map { days[$0] }
            guard !slice.isEmpty else { return nil }
            let u = slice.map { $0.u2 ?? 2 }.reduce(0, +) / Double(slice.count)
            let rh = slice.map { $0.rhMin ?? 45 }.reduce(0, +) / Double(slice.count)
            return (u, rh)
        }
        switch configuration.climateAdjustment {
        case .none:
            return curve
        case .stageMeans(let h):
            guard let mid = means(curve.midSeasonDays), let late = means(curve.lateSeasonDays) ?? means(curve.midSeasonDays)
            else { return curve }
            return curve.climateAdjusted(midU2: mid.0, midRHmin: mid.1, lateU2: late.0, lateRHmin: late.1, cropHeight: h)
        case .pyfao56(let h):
            let shift = { (r: ClosedRange<Int>) in (r.lowerBound - 1)...(r.upperBound - 1) }
            guard let mid = means(shift(curve.midSeasonDays)), let late = means(shift(curve.lateSeasonDays)) else {
                return curve
            }
            return curve.climateAdjusted(
                midU2: mid.0, midRHmin: mid.1, lateU2: late.0, lateRHmin: late.1, cropHeight: h,
                roundedTo3Decimals: true)
        }
    }

    /// Runs the balance over `days` (day 0 = planting). Throws on invalid configuration or inputs.
    public func run(_ days: [DayInput]) throws(AgronomyError) -> [Day] {
        try validate()
        for (i, d) in days.enumerated() { try Self.validate(d, index: i) }
        let c = configuration
        let soil = c.soil
        var zr = c.rootDepth.initial
        var dr: Double
        switch c.initialState {
        case .fieldCapacity: dr = 0
        case .theta(let t): dr = max(0, soil.depletion(theta: t, rootDepth: zr))
        case .depletion(let d): dr = d
        }
        // Dual-model state.
        var single: CropCoefficientCurve?
        var dual: DualCoefficients?
        switch c.coefficients {
        case .single(let curve): single = adjustedCurve(curve, days: days)
        case .dual(var d):
            d.basal = adjustedCurve(d.basal, days: days)
            dual = d
        }
        let tew = dual.map { 1000 * (soil.fieldCapacity - 0.5 * soil.wiltingPoint) * $0.evaporationLayerDepth } ?? 0
        var de = tew
        var fw = 1.0
        var h = dual?.initialHeight ?? 0

        var out: [Day] = []
        out.reserveCapacity(days.count)
        for (i, input) in days.enumerated() {
            let et0 = max(input.et0, 0)
            let curve = single ?? dual!.basal
            let kcCurve = curve.kc(onDay: i)
            // Root growth follows the (basal) coefficient curve, never shrinking.
            if case .growing(let zIni, let zMax) = c.rootDepth {
                let span = curve.kcMid - curve.kcIni
                let grown = span != 0 ? zIni + (zMax - zIni) * (kcCurve - curve.kcIni) / span : zMax
                zr = max(grown, 0.001, zr)
            }
            let taw = soil.totalAvailableWater(rootDepth: zr)
            let u2 = input.u2 ?? 2
            let rhMin = input.rhMin ?? 45

            // Irrigation: scheduled, or by MAD on the start-of-day depletion.
            var gross = input.irrigation
            var efficiency = input.irrigationEfficiency
            var auto = false
            if let a = c.autoIrrigation, gross == 0, taw > 0, dr / taw > a.managementAllowedDepletion {
                gross = dr / a.efficiency
                efficiency = a.efficiency
                auto = true
            }
            let irrNet = gross * efficiency

            var kc: Double
            var kcb: Double?
            var ke: Double?
            var evaporation: Double?
            var runoff = 0.0
            var basalForStress: Double
            if let d = dual {
                let kcbDay = kcCurve
                h = max(d.initialHeight + (d.maximumHeight - d.initialHeight) * (kcbDay - d.basal.kcIni)
                    / (d.basal.kcMid - d.basal.kcIni == 0 ? 1 : d.basal.kcMid - d.basal.kcIni), 0.001, h)
                let uc = min(max(u2, 1), 6)
                let rc = min(max(rhMin, 20), 80)
                let kcMax = d.tallReference
                    ? max(1.0, kcbDay + 0.05)
                    : max(1.2 + (0.04 * (uc - 2) - 0.004 * (rc - 45)) * pow(h / 3, 0.3), kcbDay + 0.05)
                let fcBase = (kcbDay - d.basal.kcIni) / (kcMax - d.basal.kcIni)
                let fc = min(max(fcBase > 0 ? pow(fcBase, 1 + 0.5 * h) : 0, 0), 0.99)
                if case .curveNumber(let cn2) = c.runoff {
                    runoff = Self.curveNumberRunoff(
                        rain: input.rain, cn2: cn2, de: de, rew: d.readilyEvaporableWater, tew: tew)
                }
                let effRain = input.rain - runoff
                if gross > 0 {
                    fw = input.wettedFraction
                } else if input.rain >= 3 {
                    fw = 1
                }
                let few = min(max(min(1 - fc, fw), 0.01), 1)
                let kr = min(max((tew - de) / (tew - d.readilyEvaporableWater), 0), 1)
                let keDay = min(kr * (kcMax - kcbDay), few * kcMax)
                let e = keDay * et0
                let dpe = max(effRain + irrNet / fw - de, 0)
                de = min(max(de - effRain - irrNet / fw + e / few + dpe, 0), tew)
                kc = keDay + kcbDay
                kcb = kcbDay
                ke = keDay
                evaporation = e
                basalForStress = kcbDay
            } else {
                kc = kcCurve
                basalForStress = kcCurve
            }
            let etc = kc * et0
            let p: Double
            switch c.depletionFraction {
            case .constant(let v): p = v
            case .etcAdjusted(let base): p = min(max(base + 0.04 * (5 - etc), 0.1), 0.8)
            }
            let raw = p * taw
            let ks = taw > raw ? min(max((taw - dr) / (taw - raw), 0), 1) : (dr < taw ? 1 : 0)
            let etcAdj = (ks * basalForStress + (ke ?? 0)) * et0
            let effRain = input.rain - runoff
            let start = dr
            let dp = max(effRain + irrNet - etcAdj - dr, 0)
            let unclipped = dr - effRain - irrNet + etcAdj + dp
            dr = min(max(unclipped, 0), taw)
            out.append(Day(
                day: i, stage: curve.stage(onDay: i), et0: et0, kc: kc, kcb: kcb, ke: ke, evaporation: evaporation,
                evaporationDepletion: dual == nil ? nil : de, etc: etc, rootDepth: zr, taw: taw, p: p, raw: raw, ks: ks,
                etcAdj: etcAdj, rain: input.rain, runoff: runoff, effectiveRain: effRain, irrigationGross: gross,
                irrigationNet: irrNet, autoIrrigated: auto, deepPercolation: dp, depletionStart: start, depletion: dr,
                fractionDepleted: taw > 0 ? dr / taw : 0, unmetDemand: max(unclipped - taw, 0)))
        }
        return out
    }

    /// SCS curve-number runoff with CN adjusted between its dry (CN1) and wet (CN3) values by the surface layer
    /// depletion (ASCE Manual 70, 2016, Eqs. 14-12 to 14-20).
    public static func curveNumberRunoff(rain: Double, cn2: Double, de: Double, rew: Double, tew: Double) -> Double {
        let cn1 = cn2 / (2.281 - 0.01281 * cn2)
        let cn3 = cn2 / (0.427 + 0.00573 * cn2)
        let cn: Double
        if de <= 0.5 * rew {
            cn = cn3
        } else if de >= 0.7 * rew + 0.3 * tew {
            cn = cn1
        } else {
            cn = ((de - 0.5 * rew) * cn1 + (0.7 * rew + 0.3 * tew - de) * cn3) / (0.2 * rew + 0.3 * tew)
        }
        let s = 250 * (100 / cn - 1)
        guard rain > 0.2 * s else { return 0 }
        return min((rain - 0.2 * s) * (rain - 0.2 * s) / (rain + 0.8 * s), rain)
    }
}
