/// FAO-56 Table 19 soil texture classes, so a field without lab data can still get θFC/θWP defaults.
public enum SoilTexture: String, Sendable, Hashable, Codable, CaseIterable {
    case sand
    case loamySand = "loamy-sand"
    case sandyLoam = "sandy-loam"
    case loam
    case siltLoam = "silt-loam"
    case silt
    case siltClayLoam = "silt-clay-loam"
    case siltyClay = "silty-clay"
    case clay

    /// Table 19 ranges (θFC, θWP in m³ m⁻³; REW in mm).
    public var fieldCapacityRange: ClosedRange<Double> {
        switch self {
        case .sand: 0.07...0.17
        case .loamySand: 0.11...0.19
        case .sandyLoam: 0.18...0.28
        case .loam: 0.20...0.30
        case .siltLoam: 0.22...0.36
        case .silt: 0.28...0.36
        case .siltClayLoam: 0.30...0.37
        case .siltyClay: 0.30...0.42
        case .clay: 0.32...0.40
        }
    }

    /// Wilting point range, m³ m⁻³.
    public var wiltingPointRange: ClosedRange<Double> {
        switch self {
        case .sand: 0.02...0.07
        case .loamySand: 0.03...0.10
        case .sandyLoam: 0.06...0.16
        case .loam: 0.07...0.17
        case .siltLoam: 0.09...0.21
        case .silt: 0.12...0.22
        case .siltClayLoam: 0.17...0.24
        case .siltyClay: 0.17...0.29
        case .clay: 0.20...0.24
        }
    }

    /// Readily evaporable water range, mm (Table 19).
    public var readilyEvaporableWaterRange: ClosedRange<Double> {
        switch self {
        case .sand: 2...7
        case .loamySand: 4...8
        case .sandyLoam: 6...10
        case .loam: 8...10
        case .siltLoam, .silt, .siltClayLoam: 8...11
        case .siltyClay, .clay: 8...12
        }
    }

    /// Midpoint θFC/θWP as a ``SoilWater``.
    public var defaults: SoilWater {
        SoilWater(
            fieldCapacity: (fieldCapacityRange.lowerBound + fieldCapacityRange.upperBound) / 2,
            wiltingPoint: (wiltingPointRange.lowerBound + wiltingPointRange.upperBound) / 2)
    }

    /// Midpoint REW, mm.
    public var readilyEvaporableWater: Double {
        (readilyEvaporableWaterRange.lowerBound + readilyEvaporableWaterRange.upperBound) / 2
    }
}

/// Soil water retention limits of a root zone, the two numbers every depletion figure is measured against.
public struct SoilWater: Sendable, Hashable, Codable {
    /// Volumetric water content at field capacity θFC, m³ m⁻³.
    public var fieldCapacity: Double
    /// Volumetric water content at permanent wilting point θWP, m³ m⁻³.
    public var wiltingPoint: Double

    public init(fieldCapacity: Double, wiltingPoint: Double) {
        self.fieldCapacity = fieldCapacity
        self.wiltingPoint = wiltingPoint
    }

    /// Rejects θ outside 0…0.7 and θWP ≥ θFC.
    public func validate() throws(AgronomyError) {
        try Check.range(fieldCapacity, "theta_fc", 0...0.7, unit: "m3/m3")
        try Check.range(wiltingPoint, "theta_wp", 0...0.7, unit: "m3/m3")
        guard wiltingPoint < fieldCapacity else {
            throw AgronomyError(
                .inconsistent, field: "theta_wp", "θWP \(wiltingPoint) is not below θFC \(fieldCapacity)")
        }
    }

    /// Total available water in a root zone of depth `zr` m, mm: TAW = 1000 (θFC − θWP) Zr (FAO-56 Eq. 82).
    public func totalAvailableWater(rootDepth zr: Double) -> Double { 1000 * (fieldCapacity - wiltingPoint) * zr }

    /// Root-zone depletion for a uniform water content θ, mm: Dr = 1000 (θFC − θ) Zr (FAO-56 Eq. 87).
    public func depletion(theta: Double, rootDepth zr: Double) -> Double { 1000 * (fieldCapacity - theta) * zr }
}
