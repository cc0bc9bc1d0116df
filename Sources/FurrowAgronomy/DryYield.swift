/// Grain yield at the crop's standard (market) moisture, with the monitor's policy recorded, because the same
/// harvest reads differently on a symmetric formula and on monitors that never raise yield above the wet weight.
///
/// `dry = wet · (100 − M) / (100 − Mstd)` (UF/IFAS EDIS AG442 warns against `DM·(1 + Mstd)`).
public struct DryYield: Sendable, Hashable, Codable {
    /// How grain drier than standard is treated.
    public enum MoisturePolicy: String, Sendable, Hashable, Codable {
        /// The formula both ways: grain drier than standard gains weight.
        case symmetric
        /// John Deere monitors: when M < Mstd, dry = wet (yield is never raised above the weighed grain).
        case neverAboveWet = "never-above-wet"
    }

    /// A crop's standard moisture and bushel weight.
    public struct Crop: Sendable, Hashable, Codable {
        public var name: String
        /// Standard moisture, % wet basis.
        public var standardMoisture: Double
        /// Test weight, lb per bushel.
        public var poundsPerBushel: Double

        public init(name: String, standardMoisture: Double, poundsPerBushel: Double) {
            self.name = name
            self.standardMoisture = standardMoisture
            self.poundsPerBushel = poundsPerBushel
        }

        /// Kilograms per bushel.
        public var kilogramsPerBushel: Double { poundsPerBushel * DryYield.kilogramsPerPound }

        /// Corn: 15.5 %, 56 lb/bu.
        public static let corn = Crop(name: "corn", standardMoisture: 15.5, poundsPerBushel: 56)
        /// Soybean: 13.0 %, 60 lb/bu.
        public static let soybean = Crop(name: "soybean", standardMoisture: 13.0, poundsPerBushel: 60)
        /// Wheat: 13.5 %, 60 lb/bu.
        public static let wheat = Crop(name: "wheat", standardMoisture: 13.5, poundsPerBushel: 60)
    }

    public static let kilogramsPerPound = 0.45359237
    /// m² per acre (international foot).
    public static let squareMetresPerAcre = 4046.8564224

    public var crop: Crop
    public var policy: MoisturePolicy

    public init(crop: Crop, policy: MoisturePolicy = .symmetric) {
        self.crop = crop
        self.policy = policy
    }

    /// The factor from wet to dry mass at grain moisture `moisture` (% wet basis).
    public func factor(moisture: Double) throws(AgronomyError) -> Double {
        try Check.range(moisture, "moisture", 0..<100, unit: "%")
        try Check.range(crop.standardMoisture, "standard_moisture", 0..<100, unit: "%")
        if policy == .neverAboveWet && moisture < crop.standardMoisture { return 1 }
        return (100 - moisture) / (100 - crop.standardMoisture)
    }

    /// Mass (any unit) at standard moisture.
    public func dry(_ wet: Double, moisture: Double) throws(AgronomyError) -> Double {
        try Check.nonNegative(wet, "wet", unit: "")
        return wet * (try factor(moisture: moisture))
    }

    /// kg/ha to bushels per acre for this crop.
    public func bushelsPerAcre(kilogramsPerHectare y: Double) -> Double {
        y * Self.squareMetresPerAcre / 10_000 / crop.kilogramsPerBushel
    }
}

extension Check {
    static func range(_ value: Double, _ field: String, _ range: Range<Double>, unit: String) throws(AgronomyError) {
        try finite(value, field)
        guard range.contains(value) else {
            throw AgronomyError(.outOfRange, field: field, "\(value) \(unit) is outside \(range.lowerBound)…<\(range.upperBound) \(unit)")
        }
    }
}
