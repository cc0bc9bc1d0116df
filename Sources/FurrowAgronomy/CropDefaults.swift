/// FAO-56 (1998) tabulated values for a few common crops, so a pilot can start a balance without looking them up.
///
/// Values are the 1998 tables as transcribed in pyfao56 1.4.3 `FAO56Tables` (Tables 11, 12, 17, 22; one region row
/// per crop); FAO-56 Rev.1 (2025) revised several, hence ``tableVersion``. Single Kc values are for a sub-humid
/// climate (RHmin 45 %, u2 2 m s⁻¹): adjust with ``CropCoefficientCurve/climateAdjusted(midU2:midRHmin:lateU2:lateRHmin:cropHeight:roundedTo3Decimals:)``.
public struct CropDefaults: Sendable, Hashable, Codable {
    /// Version of the tables the numbers come from.
    public static let tableVersion = "FAO-56 (1998)"

    public var name: String
    /// Which Table 11 row the stage lengths come from.
    public var region: String
    public var tableVersion: String
    public var stages: CropStages
    /// Single Kc (Table 12).
    public var kcIni: Double
    public var kcMid: Double
    public var kcEnd: Double
    /// Basal Kcb (Table 17).
    public var kcbIni: Double
    public var kcbMid: Double
    public var kcbEnd: Double
    /// Maximum crop height, m (Table 12).
    public var maxHeight: Double
    /// Maximum effective root depth range, m (Table 22).
    public var rootDepth: ClosedRange<Double>
    /// Depletion fraction p for ETc ≈ 5 mm d⁻¹ (Table 22).
    public var depletionFraction: Double

    /// The single-Kc curve.
    public var singleCurve: CropCoefficientCurve {
        CropCoefficientCurve(stages: stages, kcIni: kcIni, kcMid: kcMid, kcEnd: kcEnd)
    }

    /// The basal Kcb curve.
    public var basalCurve: CropCoefficientCurve {
        CropCoefficientCurve(stages: stages, kcIni: kcbIni, kcMid: kcbMid, kcEnd: kcbEnd)
    }

    /// Looks a crop up by its key (`maize`, `winter-wheat`, `potato`, `tomato`, `alfalfa`, `grape-wine`,
    /// `grape-table`, `olive`).
    public static func named(_ key: String) -> CropDefaults? { table[key.lowercased()] }

    /// All crops, by key.
    public static let table: [String: CropDefaults] = [
        "maize": CropDefaults(
            name: "maize, field grain (18 % moisture at harvest)", region: "Spain spring–summer / California, Apr",
            tableVersion: tableVersion, stages: CropStages(initial: 30, development: 40, midSeason: 50, late: 30),
            kcIni: 0.30, kcMid: 1.20, kcEnd: 0.35, kcbIni: 0.15, kcbMid: 1.15, kcbEnd: 0.15, maxHeight: 2.0,
            rootDepth: 1.0...1.7, depletionFraction: 0.55),
        "winter-wheat": CropDefaults(
            name: "winter wheat (non-frozen soils)", region: "California, Dec", tableVersion: tableVersion,
            stages: CropStages(initial: 20, development: 60, midSeason: 70, late: 30),
            kcIni: 0.70, kcMid: 1.15, kcEnd: 0.25, kcbIni: 0.15, kcbMid: 1.10, kcbEnd: 0.15, maxHeight: 1.0,
            rootDepth: 1.5...1.8, depletionFraction: 0.55),
        "potato": CropDefaults(
            name: "potato", region: "Europe, Apr", tableVersion: tableVersion,
            stages: CropStages(initial: 30, development: 35, midSeason: 50, late: 30),
            kcIni: 0.50, kcMid: 1.15, kcEnd: 0.75, kcbIni: 0.15, kcbMid: 1.10, kcbEnd: 0.65, maxHeight: 0.6,
            rootDepth: 0.4...0.6, depletionFraction: 0.35),
        "tomato": CropDefaults(
            name: "tomato", region: "California, Apr–May", tableVersion: tableVersion,
            stages: CropStages(initial: 35, development: 40, midSeason: 50, late: 30),
            kcIni: 0.60, kcMid: 1.15, kcEnd: 0.80, kcbIni: 0.15, kcbMid: 1.10, kcbEnd: 0.70, maxHeight: 0.6,
            rootDepth: 0.7...1.5, depletionFraction: 0.40),
        "alfalfa": CropDefaults(
            name: "alfalfa hay, individual cutting periods", region: "California, first cutting cycle (Jan)",
            tableVersion: tableVersion, stages: CropStages(initial: 10, development: 20, midSeason: 20, late: 10),
            kcIni: 0.40, kcMid: 1.20, kcEnd: 1.15, kcbIni: 0.30, kcbMid: 1.15, kcbEnd: 1.10, maxHeight: 0.7,
            rootDepth: 1.0...2.0, depletionFraction: 0.55),
        "grape-wine": CropDefaults(
            name: "grapes, wine", region: "mid latitudes, Apr", tableVersion: tableVersion,
            stages: CropStages(initial: 30, development: 60, midSeason: 40, late: 80),
            kcIni: 0.30, kcMid: 0.70, kcEnd: 0.45, kcbIni: 0.15, kcbMid: 0.65, kcbEnd: 0.40, maxHeight: 1.75,
            rootDepth: 1.0...2.0, depletionFraction: 0.45),
        "grape-table": CropDefaults(
            name: "grapes, table or raisin", region: "California, Mar", tableVersion: tableVersion,
            stages: CropStages(initial: 20, development: 50, midSeason: 75, late: 60),
            kcIni: 0.30, kcMid: 0.85, kcEnd: 0.45, kcbIni: 0.15, kcbMid: 0.80, kcbEnd: 0.40, maxHeight: 2.0,
            rootDepth: 1.0...2.0, depletionFraction: 0.35),
        // Olive rows are not in the agro-vectors excerpt: FAO-56 Table 11 (Mediterranean, Mar: 30/90/60/90),
        // Table 12 (0.65/0.70/0.70, h 3–5 m), Table 17 (0.55/0.65/0.65), Table 22 (1.2–1.7 m, p 0.65).
        "olive": CropDefaults(
            name: "olives (40–60 % ground cover)", region: "Mediterranean, Mar", tableVersion: tableVersion,
            stages: CropStages(initial: 30, development: 90, midSeason: 60, late: 90),
            kcIni: 0.65, kcMid: 0.70, kcEnd: 0.70, kcbIni: 0.55, kcbMid: 0.65, kcbEnd: 0.65, maxHeight: 4.0,
            rootDepth: 1.2...1.7, depletionFraction: 0.65),
    ]
}
