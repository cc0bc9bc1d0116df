import Foundation
import FurrowAgronomy

/// A series named either by its id or by source/group/channel (and tags), so a field definition can be written
/// before the station has sent anything.
public struct SeriesReference: Sendable, Codable, Hashable {
    public var series: Int64?
    public var source: String?
    public var group: String?
    public var channel: String?
    public var tags: [String: String]?

    public init(series: Int64? = nil, source: String? = nil, group: String? = nil, channel: String? = nil,
                tags: [String: String]? = nil) {
        self.series = series
        self.source = source
        self.group = group
        self.channel = channel
        self.tags = tags
    }

    /// How the reference reads in messages.
    public var label: String {
        if let series { return "series \(series)" }
        return [source, group, channel].map { $0 ?? "*" }.joined(separator: "/")
    }
}

/// What a field's irrigation summary needs beyond crop and planting date: crop coefficients, soil, roots,
/// management, and which series feed it. Every number has a FAO-56 default or is required where none is sound.
public struct IrrigationSettings: Sendable, Codable, Hashable {
    /// Soil water limits: a FAO-56 Table 19 texture class (midpoints), or measured θFC/θWP (which win).
    public struct Soil: Sendable, Codable, Hashable {
        public var texture: SoilTexture?
        public var fieldCapacity: Double?
        public var wiltingPoint: Double?
        /// Readily evaporable water, mm (dual Kc only; Table 19 midpoint of the texture by default).
        public var readilyEvaporableWater: Double?
    }

    /// Weather station series. Units: °C, %, m s⁻¹, W m⁻² (mean over each sample's interval), hours of
    /// bright sunshine per sample, mm per sample.
    public struct Weather: Sendable, Codable, Hashable {
        public var temperature: SeriesReference?
        public var tMax: SeriesReference?
        public var tMin: SeriesReference?
        public var relativeHumidity: SeriesReference?
        public var windSpeed: SeriesReference?
        /// Anemometer height, m (default 2).
        public var windHeight: Double?
        public var solarRadiation: SeriesReference?
        public var sunshine: SeriesReference?
        public var rain: SeriesReference?
    }

    /// A soil-moisture sensor at a depth.
    public struct Probe: Sendable, Codable, Hashable {
        /// Depth below the surface, m.
        public var depth: Double
        public var series: SeriesReference
        /// `percent` (0…100, default) or `fraction` (m³ m⁻³).
        public var unit: String?
    }

    /// A flow meter: volume per record (`volume`: per event or per interval) or a rate (`flow`).
    public struct FlowMeter: Sendable, Codable, Hashable {
        public var series: SeriesReference
        /// `volume` (default) or `flow`.
        public var kind: String?
        /// Volume: `m3` (default), `L`, `gal`; flow: `m3/h` (default), `L/s`, `L/min`, `gal/min`.
        public var unit: String?
    }

    public var latitude: Double?
    public var longitude: Double?
    /// Station elevation, m (required for Penman–Monteith's pressure term).
    public var elevation: Double?
    /// `fao56-pm` (default) or `hargreaves-samani`.
    public var et0Method: String?
    /// `single` (default) or `dual` (Kcb + Ke, the model pyfao56 runs).
    public var coefficients: String?
    /// Which crop table the defaults come from; filled in from ``CropDefaults/tableVersion`` when absent.
    public var tableVersion: String?
    public var stages: CropStages?
    public var kcIni: Double?
    public var kcMid: Double?
    public var kcEnd: Double?
    public var kcbIni: Double?
    public var kcbMid: Double?
    public var kcbEnd: Double?
    /// Maximum crop height, m (dual Kc).
    public var cropHeight: Double?
    public var soil: Soil?
    /// Maximum effective root depth, m.
    public var rootDepth: Double?
    /// Root depth at planting, m; given, roots grow to ``rootDepth`` with the crop coefficient.
    public var initialRootDepth: Double?
    /// FAO-56 Table 22 p for ETc = 5 mm/d.
    public var depletionFraction: Double?
    /// Management-allowed depletion, fraction of TAW (default p).
    public var managementAllowedDepletion: Double?
    /// Application efficiency of the irrigation system, (0, 1] (default 1: gross = net).
    public var efficiency: Double?
    /// Fraction of the surface the irrigation wets (dual Kc), (0, 1] (default 1).
    public var wettedFraction: Double?
    /// Share of a day a series must cover for the day's value to count (default 0.8).
    public var completenessThreshold: Double?
    public var weather: Weather?
    public var probes: [Probe]?
    public var flowMeter: FlowMeter?

    /// A refused setting: the parameter path and why.
    public struct Invalid: Error, Sendable, Equatable {
        public var parameter: String
        public var reason: String
    }

    /// Checks every given value; `crop` is the field's crop (its FAO-56 defaults fill what is absent). A zone's
    /// settings (`inherited`) may leave out what its parent gives.
    public func validate(crop: String?, inherited: Bool = false) throws(Invalid) {
        func bad(_ name: String, _ reason: String) -> Invalid { Invalid(parameter: "irrigation.\(name)", reason: reason) }
        func range(_ value: Double?, _ name: String, _ r: ClosedRange<Double>, _ unit: String = "") throws(Invalid) {
            guard let value else { return }
            guard value.isFinite, r.contains(value) else {
                throw bad(name, "\(name) = \(value)\(unit) is outside \(r.lowerBound)…\(r.upperBound)\(unit)")
            }
        }
        try range(latitude, "latitude", -90...90, "°")
        try range(longitude, "longitude", -180...180, "°")
        try range(elevation, "elevation", -500...9000, " m")
        if let m = et0Method, !["fao56-pm", "hargreaves-samani"].contains(m) {
            throw bad("et0Method", "et0Method \(m) is not fao56-pm or hargreaves-samani")
        }
        if let c = coefficients, !["single", "dual"].contains(c) {
            throw bad("coefficients", "coefficients \(c) is not single or dual")
        }
        if let stages {
            for (name, v) in [("initial", stages.initial), ("development", stages.development),
                              ("midSeason", stages.midSeason), ("late", stages.late)] where !(0...400).contains(v) {
                throw bad("stages.\(name)", "a stage length of \(v) days is outside 0…400")
            }
            guard stages.total > 0 else { throw bad("stages", "all stage lengths are 0") }
        }
        for (name, v) in [("kcIni", kcIni), ("kcMid", kcMid), ("kcEnd", kcEnd), ("kcbIni", kcbIni),
                          ("kcbMid", kcbMid), ("kcbEnd", kcbEnd)] {
            try range(v, name, 0...2)
        }
        try range(cropHeight, "cropHeight", 0.01...30, " m")
        let table = crop.flatMap(CropDefaults.named)
        if table == nil && !inherited {
            guard stages != nil, kcIni != nil, kcMid != nil, kcEnd != nil else {
                throw bad(
                    "stages",
                    "crop \(crop ?? "(none)") has no FAO-56 defaults (known: \(CropDefaults.table.keys.sorted().joined(separator: ", "))); give stages and kcIni, kcMid, kcEnd")
            }
            if coefficients == "dual", kcbIni == nil || kcbMid == nil || kcbEnd == nil {
                throw bad("kcbIni", "dual coefficients need kcbIni, kcbMid and kcbEnd for a crop without defaults")
            }
        }
        if let soil {
            try range(soil.fieldCapacity, "soil.fieldCapacity", 0.01...0.7, " m³/m³")
            try range(soil.wiltingPoint, "soil.wiltingPoint", 0...0.7, " m³/m³")
            try range(soil.readilyEvaporableWater, "soil.readilyEvaporableWater", 0...40, " mm")
            if (soil.fieldCapacity == nil) != (soil.wiltingPoint == nil) {
                throw bad("soil.wiltingPoint", "give both fieldCapacity and wiltingPoint, or a texture")
            }
            if soil.fieldCapacity == nil && soil.texture == nil {
                throw bad("soil.texture", "give a texture class or fieldCapacity and wiltingPoint")
            }
            if let fc = soil.fieldCapacity, let wp = soil.wiltingPoint, wp >= fc {
                throw bad("soil.wiltingPoint", "wiltingPoint \(wp) is not below fieldCapacity \(fc)")
            }
        }
        try range(rootDepth, "rootDepth", 0.01...10, " m")
        try range(initialRootDepth, "initialRootDepth", 0.01...10, " m")
        if let a = initialRootDepth, let b = rootDepth ?? table?.rootDepth.lowerBound, a > b {
            throw bad("initialRootDepth", "initialRootDepth \(a) m is deeper than rootDepth \(b) m")
        }
        try range(depletionFraction, "depletionFraction", 0.05...0.95)
        try range(managementAllowedDepletion, "managementAllowedDepletion", 0.01...1)
        if let e = efficiency, !(e.isFinite && e > 0 && e <= 1) {
            throw bad("efficiency", "efficiency \(e) must be in (0, 1]")
        }
        if let f = wettedFraction, !(f.isFinite && f > 0 && f <= 1) {
            throw bad("wettedFraction", "wettedFraction \(f) must be in (0, 1]")
        }
        try range(completenessThreshold, "completenessThreshold", 0.05...1)
        func reference(_ r: SeriesReference?, _ name: String) throws(Invalid) {
            guard let r else { return }
            if let id = r.series {
                guard id > 0 else { throw bad("\(name).series", "series ids are positive") }
            } else {
                guard let s = r.source, !s.isEmpty, let c = r.channel, !c.isEmpty else {
                    throw bad(name, "name a series by id (series) or by source and channel (group and tags optional)")
                }
            }
        }
        if let w = weather {
            try reference(w.temperature, "weather.temperature")
            try reference(w.tMax, "weather.tMax")
            try reference(w.tMin, "weather.tMin")
            try reference(w.relativeHumidity, "weather.relativeHumidity")
            try reference(w.windSpeed, "weather.windSpeed")
            try reference(w.solarRadiation, "weather.solarRadiation")
            try reference(w.sunshine, "weather.sunshine")
            try reference(w.rain, "weather.rain")
            try range(w.windHeight, "weather.windHeight", 0.5...100, " m")
            if (w.tMax == nil) != (w.tMin == nil) {
                throw bad("weather.tMin", "give both tMax and tMin series, or a temperature series")
            }
        }
        var depths = Set<Double>()
        for (i, p) in (probes ?? []).enumerated() {
            try range(p.depth, "probes[\(i)].depth", 0...10, " m")
            guard depths.insert(p.depth).inserted else { throw bad("probes[\(i)].depth", "two probes at \(p.depth) m") }
            try reference(p.series, "probes[\(i)].series")
            if let u = p.unit, u != "percent", u != "fraction" {
                throw bad("probes[\(i)].unit", "unit \(u) is not percent or fraction")
            }
        }
        if let f = flowMeter {
            try reference(f.series, "flowMeter.series")
            let kind = f.kind ?? "volume"
            switch kind {
            case "volume":
                if let u = f.unit, FlowUnits.volume[u] == nil {
                    throw bad("flowMeter.unit", "volume unit \(u) is not one of \(FlowUnits.volume.keys.sorted().joined(separator: ", "))")
                }
            case "flow":
                if let u = f.unit, FlowUnits.flow[u] == nil {
                    throw bad("flowMeter.unit", "flow unit \(u) is not one of \(FlowUnits.flow.keys.sorted().joined(separator: ", "))")
                }
            default:
                throw bad("flowMeter.kind", "kind \(kind) is not volume or flow")
            }
        }
    }
}

/// Flow-meter units in m³ (volume) and m³ s⁻¹ (rate).
enum FlowUnits {
    static let volume: [String: Double] = ["m3": 1, "L": 0.001, "gal": 3.785411784e-3]
    static let flow: [String: Double] = [
        "m3/h": 1.0 / 3600, "L/s": 0.001, "L/min": 0.001 / 60, "gal/min": 3.785411784e-3 / 60,
    ]
}
