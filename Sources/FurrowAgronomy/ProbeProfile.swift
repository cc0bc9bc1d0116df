/// Soil-moisture probe readings turned into root-zone storage and depletion, so measured and modelled Dr compare.
///
/// Each sensor represents a layer whose boundaries are the midpoints between neighbouring sensors, the surface at
/// the top and the root-zone depth at the bottom (agronomy.md §1.4). Sensors deeper than the root zone are ignored.
public struct ProbeProfile: Sendable, Hashable {
    /// One sensor: its depth, reading and the soil limits of its layer.
    public struct Sensor: Sendable, Hashable, Codable {
        /// Depth of the sensor, m.
        public var depth: Double
        /// Volumetric water content θ, m³ m⁻³.
        public var theta: Double
        /// θFC/θWP of the layer this sensor represents.
        public var soil: SoilWater

        public init(depth: Double, theta: Double, soil: SoilWater) {
            self.depth = depth
            self.theta = theta
            self.soil = soil
        }
    }

    /// One layer of the summary.
    public struct Layer: Sendable, Hashable, Codable {
        public var top: Double
        public var bottom: Double
        public var theta: Double
        /// Water stored, mm (1000 θ Δz).
        public var storage: Double
        /// Stored at field capacity, mm.
        public var storageAtFieldCapacity: Double
        /// Depletion below field capacity, mm (negative while draining above FC).
        public var depletion: Double
        /// Plant-available water 100 (θ − θWP)/(θFC − θWP), % — raw, may fall outside 0…100.
        public var plantAvailablePercent: Double
        /// The same, clipped to 0…100.
        public var plantAvailablePercentClipped: Double
    }

    /// The whole-profile summary.
    public struct Summary: Sendable, Hashable, Codable {
        public var layers: [Layer]
        /// Root-zone depth used, m.
        public var rootDepth: Double
        /// Σ storage, mm.
        public var storage: Double
        public var storageAtFieldCapacity: Double
        /// Total available water of the profile, mm.
        public var totalAvailableWater: Double
        /// Observed depletion Dr_obs, mm (negative = drainage in progress).
        public var depletion: Double
        /// Depth-weighted plant-available water, % (raw and clipped).
        public var plantAvailablePercent: Double
        public var plantAvailablePercentClipped: Double
        /// 1 − PAW/100, comparable with the model's Dr/TAW and with MAD.
        public var fractionDepleted: Double
    }

    public var sensors: [Sensor]
    public var rootDepth: Double

    public init(sensors: [Sensor], rootDepth: Double) {
        self.sensors = sensors
        self.rootDepth = rootDepth
    }

    /// Storage, depletion and PAW per layer and for the profile.
    /// - Throws: ``AgronomyError`` for an empty profile, duplicate or negative depths, θ outside 0…0.7, θWP ≥ θFC.
    public func summary() throws(AgronomyError) -> Summary {
        try Check.range(rootDepth, "root_depth", 0.01...10, unit: "m")
        let sorted = sensors.sorted { $0.depth < $1.depth }
        for (i, s) in sorted.enumerated() {
            try Check.range(s.depth, "sensors[\(i)].depth", 0...10, unit: "m")
            try Check.range(s.theta, "sensors[\(i)].theta", 0...0.7, unit: "m3/m3")
            try s.soil.validate()
            if i > 0 && sorted[i - 1].depth == s.depth {
                throw AgronomyError(.inconsistent, field: "sensors[\(i)].depth", "two sensors at \(s.depth) m")
            }
        }
        let inZone = sorted.filter { $0.depth < rootDepth }
        guard !inZone.isEmpty else {
            throw AgronomyError(.missingInput, field: "sensors", "no sensor above the root-zone depth \(rootDepth) m")
        }
        var layers: [Layer] = []
        for (i, s) in inZone.enumerated() {
            let top = i == 0 ? 0 : (inZone[i - 1].depth + s.depth) / 2
            let bottom = i == inZone.count - 1 ? rootDepth : (s.depth + inZone[i + 1].depth) / 2
            let dz = bottom - top
            let paw = 100 * (s.theta - s.soil.wiltingPoint) / (s.soil.fieldCapacity - s.soil.wiltingPoint)
            layers.append(Layer(
                top: top, bottom: bottom, theta: s.theta, storage: 1000 * s.theta * dz,
                storageAtFieldCapacity: 1000 * s.soil.fieldCapacity * dz,
                depletion: 1000 * (s.soil.fieldCapacity - s.theta) * dz, plantAvailablePercent: paw,
                plantAvailablePercentClipped: min(max(paw, 0), 100)))
        }
        let storage = layers.reduce(0) { $0 + $1.storage }
        let fcStorage = layers.reduce(0) { $0 + $1.storageAtFieldCapacity }
        let taw = zip(layers, inZone).reduce(0.0) {
            $0 + 1000 * ($1.1.soil.fieldCapacity - $1.1.soil.wiltingPoint) * ($1.0.bottom - $1.0.top)
        }
        let depletion = fcStorage - storage
        let paw = 100 * (taw - depletion) / taw
        return Summary(
            layers: layers, rootDepth: rootDepth, storage: storage, storageAtFieldCapacity: fcStorage,
            totalAvailableWater: taw, depletion: depletion, plantAvailablePercent: paw,
            plantAvailablePercentClipped: min(max(paw, 0), 100), fractionDepleted: 1 - paw / 100)
    }
}
