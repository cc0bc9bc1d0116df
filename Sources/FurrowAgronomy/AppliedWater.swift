/// Flow-meter volumes turned into applied depth, efficiency and water productivity, the irrigation side of a summary.
///
/// 1 mm over 1 ha is 10 m³; 1 mm over 1 m² is 1 L.
public enum AppliedWater {
    /// A volume with its unit.
    public enum Volume: Sendable, Hashable, Codable {
        case cubicMeters(Double)
        case liters(Double)
        /// US gallons (3.785411784 L).
        case usGallons(Double)

        /// The volume in m³.
        public var cubicMeters: Double {
            switch self {
            case .cubicMeters(let v): v
            case .liters(let v): v / 1000
            case .usGallons(let v): v * 3.785411784e-3
            }
        }
    }

    /// An area with its unit.
    public enum Area: Sendable, Hashable, Codable {
        case squareMeters(Double)
        case hectares(Double)
        /// International acres (4046.8564224 m²).
        case acres(Double)

        /// The area in m².
        public var squareMeters: Double {
            switch self {
            case .squareMeters(let a): a
            case .hectares(let a): a * 10_000
            case .acres(let a): a * 4046.8564224
            }
        }
    }

    /// Depth of water a volume makes over an area, mm.
    /// - Throws: ``AgronomyError`` for a negative volume (meter roll-over or reset not handled upstream) or an area ≤ 0.
    public static func depth(of volume: Volume, over area: Area) throws(AgronomyError) -> Double {
        let v = volume.cubicMeters
        let a = area.squareMeters
        try Check.nonNegative(v, "volume", unit: "m3")
        try Check.positive(a, "area", unit: "m2")
        return v / a * 1000
    }

    /// Gross and net applied depth.
    public struct Application: Sendable, Hashable, Codable {
        /// Depth delivered by the system, mm.
        public var gross: Double
        /// Depth stored in the root zone, mm (gross × efficiency).
        public var net: Double
        /// Application efficiency used, 0…1.
        public var efficiency: Double
    }

    /// Gross depth from the meter and net depth through the system's application efficiency (Ea, 0…1].
    public static func application(of volume: Volume, over area: Area, efficiency: Double) throws(AgronomyError)
        -> Application
    {
        guard efficiency > 0 && efficiency <= 1 else {
            throw AgronomyError(.outOfRange, field: "efficiency", "\(efficiency) must be in (0, 1]")
        }
        let gross = try depth(of: volume, over: area)
        return Application(gross: gross, net: gross * efficiency, efficiency: efficiency)
    }

    /// Gross depth needed to store `net` mm with efficiency `efficiency`, mm.
    public static func grossDepth(net: Double, efficiency: Double) throws(AgronomyError) -> Double {
        try Check.nonNegative(net, "net", unit: "mm")
        guard efficiency > 0 && efficiency <= 1 else {
            throw AgronomyError(.outOfRange, field: "efficiency", "\(efficiency) must be in (0, 1]")
        }
        return net / efficiency
    }

    /// Water productivity: yield per cubic metre of water, kg m⁻³ (yield kg over `water` volume).
    public static func waterProductivity(yieldKilograms: Double, water: Volume) throws(AgronomyError) -> Double {
        try Check.nonNegative(yieldKilograms, "yield", unit: "kg")
        let v = water.cubicMeters
        try Check.positive(v, "water", unit: "m3")
        return yieldKilograms / v
    }

    /// Water productivity from a yield in kg ha⁻¹ and a water depth in mm: WP = Y / (10 depth), kg m⁻³.
    public static func waterProductivity(yieldPerHectare: Double, depth: Double) throws(AgronomyError) -> Double {
        try Check.nonNegative(yieldPerHectare, "yield", unit: "kg/ha")
        try Check.positive(depth, "depth", unit: "mm")
        return yieldPerHectare / (10 * depth)
    }
}
