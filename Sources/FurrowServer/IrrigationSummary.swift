import Foundation
import FurrowAgronomy
import FurrowStore

/// A field's irrigation summary over local days: daily inputs from its series (with completeness and quality
/// flags), ET0, crop ET and the FAO-56 root-zone balance, applied water, probe storage, and season totals —
/// every value with its method and the series it came from.
public struct IrrigationSummary: Sendable {
    /// The answer as JSON values (nulls where there is no value).
    public var document: [String: JSONValue]
    /// One flat row per day, for CSV.
    public var rows: [[String: JSONValue]]

    /// CSV columns, in order.
    public static let csvColumns = [
        "date", "dayOfSeason", "stage", "tMax", "tMin", "tMean", "rhMax", "rhMin", "rhMean", "u2", "solarRadiation",
        "rain", "coverageTemperature", "coverageHumidity", "coverageWind", "coverageRadiation", "coverageRain",
        "et0", "et0Method", "et0Estimated", "kc", "kcb", "ke", "etc", "effectiveRain", "irrigationVolume",
        "irrigationGross", "irrigationNet", "rootDepth", "taw", "raw", "p", "ks", "etcAdj", "deepPercolation",
        "depletionStart", "depletion", "fractionDepleted", "probeStorage", "probeDepletion", "probePlantAvailablePercent",
        "flags",
    ]

    /// The days as CSV text (RFC 4180, header first).
    public var csv: String {
        var out = Self.csvColumns.joined(separator: ",") + "\n"
        for row in rows {
            out += Self.csvColumns.map { key -> String in
                switch row[key] ?? .null {
                case .null: return ""
                case .number(let v): return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
                case .bool(let b): return b ? "true" : "false"
                case .string(let s):
                    return s.contains(",") || s.contains("\"") || s.contains("\n")
                        ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
                default: return ""
                }
            }.joined(separator: ",") + "\n"
        }
        return out
    }
}

/// Why a field cannot be summarised (no weather source, no planting date, …), with the setting to fix.
public struct IrrigationSummaryError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The request is wrong (bad dates, range too long).
        case invalidRequest
        /// The field lacks what the summary needs.
        case fieldNotReady
    }

    public var kind: Kind
    public var parameter: String
    public var message: String

    public var description: String { "\(parameter): \(message)" }
}

/// Builds ``IrrigationSummary`` answers from the store and the field catalog.
public struct IrrigationSummarizer: Sendable {
    public let store: TimeSeriesStore
    public let fields: FieldCatalog
    /// Longest span (planting or `from` through `to`) one summary may cover, days.
    public var maximumDays = 800

    public init(store: TimeSeriesStore, fields: FieldCatalog) {
        self.store = store
        self.fields = fields
    }

    typealias Failure = IrrigationSummaryError

    static func notReady(_ parameter: String, _ message: String) -> Failure {
        Failure(kind: .fieldNotReady, parameter: parameter, message: message)
    }

    static func invalid(_ parameter: String, _ message: String) -> Failure {
        Failure(kind: .invalidRequest, parameter: parameter, message: message)
    }

    /// The field as the summary sees it: a zone's missing settings taken from its parent.
    func effective(_ field: Field, project: String) throws -> (Field, IrrigationSettings?) {
        guard let parentID = field.parent, let parent = try fields.field(id: parentID, project: project) else {
            return (field, field.irrigation)
        }
        var merged = field
        merged.crop = field.crop ?? parent.crop
        merged.plantingDate = field.plantingDate ?? parent.plantingDate
        merged.timeZone = field.timeZone ?? parent.timeZone
        if merged.boundary == nil {
            merged.boundary = parent.boundary
            merged.areaSquareMetres = parent.areaSquareMetres
        }
        // Settings: the zone's keys over the parent's, key by key.
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()
        var object: [String: JSONValue] = [:]
        for settings in [parent.irrigation, field.irrigation] {
            guard let settings, case .object(let o) = try decoder.decode(JSONValue.self, from: encoder.encode(settings))
            else { continue }
            object.merge(o) { _, new in new }
        }
        let settings = object.isEmpty ? nil : try decoder.decode(IrrigationSettings.self, from: encoder.encode(object))
        return (merged, settings)
    }

    /// The summary of `field` over local dates `from`…`to` (inclusive; default: the crop season).
    public func summary(field original: Field, project: String, from: String?, to: String?) async throws -> IrrigationSummary {
        let (field, settingsOrNil) = try effective(original, project: project)
        guard let settings = settingsOrNil else {
            throw Self.notReady(
                "irrigation", "field \(field.id) has no irrigation settings, so no weather source: set irrigation.weather (and soil, sources) on the field")
        }
        guard let weather = settings.weather, weather.temperature != nil || weather.tMax != nil else {
            throw Self.notReady(
                "irrigation.weather",
                "field \(field.id) has no weather source with air temperature: ET0 cannot be computed, so there is no summary (not zeros)")
        }
        guard let planting = field.plantingDate else {
            throw Self.notReady("plantingDate", "field \(field.id) has no plantingDate: the crop coefficient curve starts there")
        }
        let zoneName = field.timeZone ?? "UTC"
        guard let timeZone = TimeZone(identifier: zoneName) else {
            throw Self.notReady("timeZone", "\(zoneName) is not an IANA time zone")
        }
        let table = field.crop.flatMap(CropDefaults.named)
        guard let stages = settings.stages ?? table?.stages else {
            throw Self.notReady("irrigation.stages", "crop \(field.crop ?? "(none)") has no FAO-56 defaults; give stages")
        }
        guard let seasonDays = LocalDay.days(from: planting, through: planting, timeZone: timeZone) else {
            throw Self.notReady("plantingDate", "\(planting) is not a date")
        }
        let seasonEnd = Self.addingDays(stages.total - 1, to: planting, timeZone: timeZone)
        let first = from ?? planting
        let last = to ?? seasonEnd
        for (name, text) in [("from", first), ("to", last)] where FieldCatalog.parseDate(text) == nil {
            throw Self.invalid(name, "\(text) is not a date YYYY-MM-DD")
        }
        guard first <= last else { throw Self.invalid("to", "from (\(first)) must not be after to (\(last))") }
        let start = min(first, planting)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        if let a = FieldCatalog.parseDate(start).flatMap(utc.date(from:)),
           let b = FieldCatalog.parseDate(last).flatMap(utc.date(from:)),
           let span = utc.dateComponents([.day], from: a, to: b).day, span + 1 > maximumDays
        {
            throw Self.invalid(
                "to", "\(start)…\(last) spans \(span + 1) days (from the planting date or from); a summary covers at most \(maximumDays)")
        }
        guard let days = LocalDay.days(from: start, through: last, timeZone: timeZone), !days.isEmpty else {
            throw Self.invalid("from", "\(start)…\(last) is not a range of dates")
        }
        guard days.count <= maximumDays else {
            throw Self.invalid("to", "\(start)…\(last) spans \(days.count) days; a summary covers at most \(maximumDays)")
        }
        _ = seasonDays

        // Site.
        let centroid = field.boundary.flatMap(Self.centroid)
        guard let latitude = settings.latitude ?? centroid?.lat else {
            throw Self.notReady("irrigation.latitude", "the field has no boundary and no irrigation.latitude")
        }
        let method = settings.et0Method ?? "fao56-pm"
        guard let elevation = settings.elevation ?? (method == "hargreaves-samani" ? 0 : nil) else {
            throw Self.notReady("irrigation.elevation", "Penman–Monteith needs the station elevation (irrigation.elevation, m)")
        }
        let site = Site(latitude: latitude, elevation: elevation, longitude: settings.longitude ?? centroid?.lon)
        let threshold = settings.completenessThreshold ?? 0.8

        // Series: resolve, read, aggregate.
        let range = days[0].start..<days[days.count - 1].end
        let aggregator = DailyAggregator(days: days)
        var provenance: [String: JSONValue] = [:]
        var notFound: [QualityFlag] = []
        func series(_ ref: SeriesReference?, role: String, parameter: String, quantity: MeasuredQuantity)
            async throws -> [DailyStatistic]?
        {
            guard let ref else { return nil }
            guard let info = try await resolve(ref, project: project, parameter: parameter) else {
                provenance[role] = .object(["series": .null, "reference": .string(ref.label), "status": .string("not-found")])
                notFound.append(QualityFlag(
                    input: role, reason: "series-not-found", count: 0,
                    detail: "\(parameter) names \(ref.label), which has no series in project \(project) yet"))
                return aggregator.aggregate(times: [], values: [], quantity: quantity, input: role)
            }
            provenance[role] = .object([
                "series": .number(Double(info.id)), "source": .string(info.key.group.source),
                "group": .string(info.key.group.name), "channel": .string(info.key.channel), "status": .string("ok"),
            ])
            let (times, values) = try await read(info, in: range)
            return aggregator.aggregate(times: times, values: values, quantity: quantity, input: role)
        }
        let temperature = try await series(weather.temperature, role: "temperature", parameter: "irrigation.weather.temperature", quantity: .temperature)
        let tMaxSeries = try await series(weather.tMax, role: "tMax", parameter: "irrigation.weather.tMax", quantity: .temperature)
        let tMinSeries = try await series(weather.tMin, role: "tMin", parameter: "irrigation.weather.tMin", quantity: .temperature)
        let humidity = try await series(weather.relativeHumidity, role: "relativeHumidity", parameter: "irrigation.weather.relativeHumidity", quantity: .relativeHumidity)
        let wind = try await series(weather.windSpeed, role: "windSpeed", parameter: "irrigation.weather.windSpeed", quantity: .windSpeed)
        let radiation = try await series(weather.solarRadiation, role: "solarRadiation", parameter: "irrigation.weather.solarRadiation", quantity: .solarRadiation)
        let sunshine = try await series(weather.sunshine, role: "sunshine", parameter: "irrigation.weather.sunshine", quantity: .sunshine)
        let rain = try await series(weather.rain, role: "rain", parameter: "irrigation.weather.rain", quantity: .rain)
        var probeStats: [(depth: Double, stats: [DailyStatistic], scale: Double)] = []
        for (i, probe) in (settings.probes ?? []).sorted(by: { $0.depth < $1.depth }).enumerated() {
            let fraction = probe.unit == "fraction"
            if let stats = try await series(
                probe.series, role: "probe:\(probe.depth)", parameter: "irrigation.probes[\(i)].series",
                quantity: fraction ? .moistureFraction : .moisturePercent)
            {
                probeStats.append((probe.depth, stats, fraction ? 1 : 0.01))
            }
        }
        let flowKind = settings.flowMeter?.kind ?? "volume"
        let flow = try await series(
            settings.flowMeter?.series, role: "flowMeter", parameter: "irrigation.flowMeter.series",
            quantity: flowKind == "flow" ? .flow : .volume)
        if flow != nil && (field.areaSquareMetres ?? 0) <= 0 {
            throw Self.notReady("boundary", "a flow meter's volume becomes a depth over the field's area: give the field a boundary")
        }
        let flowScale = flowKind == "flow"
            ? FlowUnits.flow[settings.flowMeter?.unit ?? "m3/h"] ?? 1 / 3600
            : FlowUnits.volume[settings.flowMeter?.unit ?? "m3"] ?? 1

        // Crop, soil and balance configuration.
        let coefficientsMode = settings.coefficients ?? "single"
        guard let kcIni = settings.kcIni ?? table?.kcIni, let kcMid = settings.kcMid ?? table?.kcMid,
              let kcEnd = settings.kcEnd ?? table?.kcEnd
        else { throw Self.notReady("irrigation.kcIni", "give kcIni, kcMid and kcEnd (no crop defaults)") }
        let singleCurve = CropCoefficientCurve(stages: stages, kcIni: kcIni, kcMid: kcMid, kcEnd: kcEnd)
        let soilSettings = settings.soil
        let soil: SoilWater
        let soilSource: String
        if let fc = soilSettings?.fieldCapacity, let wp = soilSettings?.wiltingPoint {
            soil = SoilWater(fieldCapacity: fc, wiltingPoint: wp)
            soilSource = "given θFC/θWP"
        } else if let texture = soilSettings?.texture {
            soil = texture.defaults
            soilSource = "FAO-56 Table 19 midpoints for \(texture.rawValue)"
        } else {
            throw Self.notReady("irrigation.soil", "give irrigation.soil: a texture class or fieldCapacity and wiltingPoint")
        }
        let coefficients: WaterBalance.Coefficients
        var kcbValues: [Double] = []
        if coefficientsMode == "dual" {
            guard let kcbIni = settings.kcbIni ?? table?.kcbIni, let kcbMid = settings.kcbMid ?? table?.kcbMid,
                  let kcbEnd = settings.kcbEnd ?? table?.kcbEnd
            else { throw Self.notReady("irrigation.kcbIni", "dual coefficients need kcbIni, kcbMid, kcbEnd") }
            kcbValues = [kcbIni, kcbMid, kcbEnd]
            guard let rew = soilSettings?.readilyEvaporableWater ?? soilSettings?.texture?.readilyEvaporableWater else {
                throw Self.notReady("irrigation.soil.readilyEvaporableWater", "dual coefficients need REW or a soil texture")
            }
            coefficients = .dual(.init(
                basal: CropCoefficientCurve(stages: stages, kcIni: kcbIni, kcMid: kcbMid, kcEnd: kcbEnd),
                initialHeight: 0.05, maximumHeight: settings.cropHeight ?? table?.maxHeight ?? 1,
                readilyEvaporableWater: rew))
        } else {
            coefficients = .single(singleCurve)
        }
        guard let maxRoot = settings.rootDepth ?? table?.rootDepth.lowerBound else {
            throw Self.notReady("irrigation.rootDepth", "give the root depth (m)")
        }
        let rootDepth: WaterBalance.RootDepth = settings.initialRootDepth.map { .growing(initial: $0, maximum: maxRoot) }
            ?? .constant(maxRoot)
        guard let p = settings.depletionFraction ?? table?.depletionFraction else {
            throw Self.notReady("irrigation.depletionFraction", "give p (FAO-56 Table 22)")
        }
        let mad = settings.managementAllowedDepletion ?? p
        let efficiency = settings.efficiency ?? 1
        let wetted = settings.wettedFraction ?? 1
        let balance = WaterBalance(.init(
            soil: soil, rootDepth: rootDepth, coefficients: coefficients, depletionFraction: .etcAdjusted(base: p)))
        do {
            try balance.validate()
        } catch {
            throw Self.notReady("irrigation.\(error.field)", error.message)
        }

        // Daily inputs and ET0.
        let windHeight = weather.windHeight ?? 2
        let area = field.areaSquareMetres ?? 0
        var dayRecords: [[String: JSONValue]] = []
        var csvRows: [[String: JSONValue]] = []
        var inputs: [WaterBalance.DayInput] = []
        var et0Values: [Double?] = []
        var dayFlags: [[QualityFlag]] = []
        var dailyWeather: [[String: JSONValue]] = []
        var coverages: [[String: JSONValue]] = []
        var et0Info: [(method: String?, estimated: [String], missing: String?)] = []
        var rainKnown: [Double?] = []
        var irrigationVolumes: [Double] = []
        for (i, day) in days.enumerated() {
            var flags: [QualityFlag] = []
            func stat(_ s: [DailyStatistic]?, _ role: String, needsCoverage: Bool = true) -> DailyStatistic? {
                guard let s else { return nil }
                let d = s[i]
                flags += d.flags
                guard needsCoverage else { return d }
                if d.coverage < threshold {
                    flags.append(QualityFlag(
                        input: role, reason: "incomplete", count: d.count,
                        detail: String(format: "valid samples cover %.1f %% of the day, below the %.0f %% threshold: no daily value", d.coverage * 100, threshold * 100)))
                    return nil
                }
                if d.coverage < 0.999 {
                    flags.append(QualityFlag(
                        input: role, reason: "partial", count: d.count,
                        detail: String(format: "valid samples cover %.1f %% of the day; the value is from those samples only", d.coverage * 100)))
                }
                return d
            }
            var tMax: Double?
            var tMin: Double?
            var tMean: Double?
            if let t = stat(temperature, "temperature") {
                tMax = t.maximum
                tMin = t.minimum
                tMean = t.mean
            }
            if let a = stat(tMaxSeries, "tMax"), let b = stat(tMinSeries, "tMin") {
                tMax = a.maximum
                tMin = b.minimum
                tMean = nil
            }
            if let lo = tMin, let hi = tMax, lo > hi {
                flags.append(QualityFlag(
                    input: "temperature", reason: "tmin-above-tmax", count: 0,
                    detail: "Tmin \(lo) °C is above Tmax \(hi) °C: both excluded"))
                tMin = nil
                tMax = nil
            }
            let rh = stat(humidity, "relativeHumidity")
            let u = stat(wind, "windSpeed")
            let rs = stat(radiation, "solarRadiation")
            let sun = stat(sunshine, "sunshine")
            let r = stat(rain, "rain")
            let windMean = u?.mean
            let u2 = windMean.map { windHeight == 2 ? $0 : Atmosphere.windAt2m(speed: $0, height: windHeight) }
            let rsMJ = rs?.mean.map { $0 * day.seconds / 1e6 }
            let rainSum: Double? = rain == nil ? 0 : r?.sum
            rainKnown.append(rainSum)

            // ET0 with FAO-56's missing-data rules (each one named in `estimated`).
            var et0: Double?
            var used: String?
            var estimated: [String] = []
            var missing: String?
            if let lo = tMin, let hi = tMax {
                do {
                    let result: ReferenceET
                    if method == "hargreaves-samani" {
                        result = try Hargreaves().daily(tMin: lo, tMax: hi, dayOfYear: day.dayOfYear, at: site)
                    } else {
                        let w = DailyWeather(
                            dayOfYear: day.dayOfYear, tMin: lo, tMax: hi, rhMin: rh?.minimum, rhMax: rh?.maximum,
                            solarRadiation: rsMJ, sunshineHours: rsMJ == nil ? sun?.sum : nil, windSpeed: windMean,
                            windHeight: windHeight)
                        result = try PenmanMonteith().daily(w, at: site)
                    }
                    et0 = result.value
                    used = result.method.rawValue
                    estimated = result.estimated.map(\.rawValue)
                } catch {
                    missing = "the day's inputs were refused: \(error.field): \(error.message)"
                }
            } else {
                missing = "no valid daily Tmax/Tmin (see flags): no ET0 for this day (FAO-56 has no rule without temperature)"
            }
            et0Values.append(et0)
            et0Info.append((used, estimated, missing))

            // Applied water: the meter's volume over the field's area.
            var volume = 0.0
            if let f = flow {
                let d = stat(f, "flowMeter", needsCoverage: false)
                volume = (flowKind == "flow" ? d?.integral ?? 0 : d?.sum ?? 0) * flowScale
            }
            irrigationVolumes.append(volume)
            let gross = area > 0 ? volume / area * 1000 : 0
            var rhMinForKc = rh?.minimum
            if rhMinForKc == nil, let lo = tMin, let hi = tMax {
                rhMinForKc = min(100 * Atmosphere.saturationVaporPressure(lo) / Atmosphere.saturationVaporPressure(hi), 100)
            }
            inputs.append(.init(
                et0: et0 ?? 0, rain: rainSum ?? 0, irrigation: gross, irrigationEfficiency: efficiency,
                wettedFraction: wetted, u2: u2, rhMin: rhMinForKc))
            dailyWeather.append([
                "tMax": Self.number(tMax), "tMin": Self.number(tMin), "tMean": Self.number(tMean),
                "rhMax": Self.number(rh?.maximum), "rhMin": Self.number(rh?.minimum), "rhMean": Self.number(rh?.mean),
                "windSpeed": Self.number(windMean), "u2": Self.number(u2), "solarRadiation": Self.number(rsMJ),
                "sunshine": Self.number(sun?.sum), "rain": Self.number(rainSum),
            ])
            var coverage: [String: JSONValue] = [:]
            for (role, s) in [("temperature", temperature ?? tMaxSeries), ("relativeHumidity", humidity),
                              ("windSpeed", wind), ("solarRadiation", radiation), ("sunshine", sunshine), ("rain", rain)] {
                coverage[role] = s.map { .number(($0[i].coverage * 1e4).rounded() / 1e4) } ?? .null
            }
            for probe in probeStats { coverage["probe:\(probe.depth)"] = .number((probe.stats[i].coverage * 1e4).rounded() / 1e4) }
            coverages.append(coverage)
            dayFlags.append(flags)
        }

        // The balance from planting, stopped at the first day without ET0 or rain.
        let plantingIndex = days.firstIndex { $0.date == planting } ?? 0
        var balanceDays: [WaterBalance.Day?] = Array(repeating: nil, count: days.count)
        var interruptedOn: String?
        var interruption: String?
        var end = days.count
        for i in plantingIndex..<days.count {
            if et0Values[i] == nil {
                end = i
                interruptedOn = days[i].date
                interruption = "no ET0 on \(days[i].date): \(et0Info[i].missing ?? "")"
                break
            }
            if rainKnown[i] == nil {
                end = i
                interruptedOn = days[i].date
                interruption = "rain on \(days[i].date) is incomplete (see flags); the balance cannot go on without it"
                break
            }
        }
        if end > plantingIndex {
            let run: [WaterBalance.Day]
            do {
                run = try balance.run(Array(inputs[plantingIndex..<end]))
            } catch {
                throw Self.notReady("irrigation.\(error.field)", error.message)
            }
            for (k, d) in run.enumerated() { balanceDays[plantingIndex + k] = d }
        }

        // Probes: daily mean θ by depth, profile over the maximum root depth.
        func probeSummary(_ i: Int) -> (ProbeProfile.Summary?, [QualityFlag]) {
            guard !probeStats.isEmpty else { return (nil, []) }
            var sensors: [ProbeProfile.Sensor] = []
            var flags: [QualityFlag] = []
            for probe in probeStats {
                let s = probe.stats[i]
                flags += s.flags
                guard s.coverage >= threshold, let mean = s.mean else {
                    flags.append(QualityFlag(
                        input: "probe:\(probe.depth)", reason: "incomplete", count: s.count,
                        detail: String(format: "valid samples cover %.1f %% of the day: no profile for this day", s.coverage * 100)))
                    return (nil, flags)
                }
                sensors.append(.init(depth: probe.depth, theta: mean * probe.scale, soil: soil))
            }
            return ((try? ProbeProfile(sensors: sensors, rootDepth: maxRoot).summary()), flags)
        }

        // Records.
        var totals: [String: Double] = [:]
        var counted = 0
        var stressed = 0
        var lastBalance: WaterBalance.Day?
        let firstIndex = days.firstIndex { $0.date >= first } ?? 0
        for i in firstIndex..<days.count {
            let day = days[i]
            let b = balanceDays[i]
            let (probe, probeFlags) = probeSummary(i)
            let flags = notFound + dayFlags[i] + probeFlags
            let inSeason = i >= plantingIndex
            let dayOfSeason = inSeason ? i - plantingIndex : nil
            let stage = inSeason ? singleCurve.stage(onDay: i - plantingIndex).rawValue : nil
            let net = inputs[i].irrigation * efficiency
            var record: [String: JSONValue] = [
                "date": .string(day.date), "dayOfSeason": Self.number(dayOfSeason.map(Double.init)),
                "stage": stage.map(JSONValue.string) ?? .null, "hours": .number(day.seconds / 3600),
                "weather": .object(dailyWeather[i]), "completeness": .object(coverages[i]),
                "flags": .array(flags.map(Self.flag)),
                "et0": Self.number(et0Values[i]), "et0Method": et0Info[i].method.map(JSONValue.string) ?? .null,
                "et0Estimated": .array(et0Info[i].estimated.map(JSONValue.string)),
                "et0Missing": et0Info[i].missing.map(JSONValue.string) ?? .null,
                "rain": Self.number(rainKnown[i]),
                "irrigationVolume": .number(irrigationVolumes[i]),
                "irrigationGross": .number(inputs[i].irrigation), "irrigationNet": .number(net),
            ]
            let balanceKeys: [(String, (WaterBalance.Day) -> Double?)] = [
                ("kc", { $0.kc }), ("kcb", { $0.kcb }), ("ke", { $0.ke }), ("etc", { $0.etc }),
                ("effectiveRain", { $0.effectiveRain }), ("rootDepth", { $0.rootDepth }), ("taw", { $0.taw }),
                ("raw", { $0.raw }), ("p", { $0.p }), ("ks", { $0.ks }), ("etcAdj", { $0.etcAdj }),
                ("deepPercolation", { $0.deepPercolation }), ("depletionStart", { $0.depletionStart }),
                ("depletion", { $0.depletion }), ("fractionDepleted", { $0.fractionDepleted }),
            ]
            for (key, value) in balanceKeys { record[key] = Self.number(b.flatMap(value)) }
            record["probe"] = probe.map { s in
                .object([
                    "storage": .number(s.storage), "storageAtFieldCapacity": .number(s.storageAtFieldCapacity),
                    "depletion": .number(s.depletion), "plantAvailablePercent": .number(s.plantAvailablePercent),
                    "totalAvailableWater": .number(s.totalAvailableWater), "depth": .number(s.rootDepth),
                    "layers": .array(s.layers.map { .object(["top": .number($0.top), "bottom": .number($0.bottom), "theta": .number($0.theta)]) }),
                ])
            } ?? .null
            dayRecords.append(record)
            var row = record
            for (k, v) in dailyWeather[i] { row[k] = v }
            for (role, column) in [("temperature", "coverageTemperature"), ("relativeHumidity", "coverageHumidity"),
                                   ("windSpeed", "coverageWind"), ("solarRadiation", "coverageRadiation"),
                                   ("rain", "coverageRain")] {
                row[column] = coverages[i][role] ?? .null
            }
            row["et0Estimated"] = .string(et0Info[i].estimated.joined(separator: " "))
            row["probeStorage"] = Self.number(probe?.storage)
            row["probeDepletion"] = Self.number(probe?.depletion)
            row["probePlantAvailablePercent"] = Self.number(probe?.plantAvailablePercent)
            row["flags"] = .string(flags.map { "\($0.input):\($0.reason)" }.joined(separator: " "))
            csvRows.append(row)
            if let e = et0Values[i] { totals["et0", default: 0] += e; counted += 1 }
            totals["rain", default: 0] += rainKnown[i] ?? 0
            totals["irrigationVolume", default: 0] += irrigationVolumes[i]
            totals["irrigationGross", default: 0] += inputs[i].irrigation
            totals["irrigationNet", default: 0] += net
            if let b {
                totals["etc", default: 0] += b.etc
                totals["etcAdj", default: 0] += b.etcAdj
                totals["effectiveRain", default: 0] += b.effectiveRain
                totals["deepPercolation", default: 0] += b.deepPercolation
                if b.ks < 1 { stressed += 1 }
                lastBalance = b
            }
        }
        var totalsObject = totals.mapValues { JSONValue.number($0) }
        for key in ["et0", "etc", "etcAdj", "rain", "effectiveRain", "irrigationVolume", "irrigationGross",
                    "irrigationNet", "deepPercolation"] where totalsObject[key] == nil {
            totalsObject[key] = .number(0)
        }
        totalsObject["days"] = .number(Double(dayRecords.count))
        totalsObject["daysWithEt0"] = .number(Double(counted))
        totalsObject["daysWithStress"] = .number(Double(stressed))
        totalsObject["finalDepletion"] = Self.number(lastBalance?.depletion)
        totalsObject["finalFractionDepleted"] = Self.number(lastBalance?.fractionDepleted)
        totalsObject["managementAllowedDepletionReached"] = lastBalance.map { .bool($0.fractionDepleted >= mad) } ?? .null

        var kcObject: [String: JSONValue] = [
            "ini": .number(kcIni), "mid": .number(kcMid), "end": .number(kcEnd),
        ]
        if kcbValues.count == 3 {
            kcObject["kcbIni"] = .number(kcbValues[0])
            kcObject["kcbMid"] = .number(kcbValues[1])
            kcObject["kcbEnd"] = .number(kcbValues[2])
        }
        let configuration: [String: JSONValue] = [
            "crop": field.crop.map(JSONValue.string) ?? .null, "plantingDate": .string(planting),
            "seasonEnd": .string(seasonEnd),
            "tableVersion": .string(settings.tableVersion ?? table?.tableVersion ?? "custom"),
            "stages": .object([
                "initial": .number(Double(stages.initial)), "development": .number(Double(stages.development)),
                "midSeason": .number(Double(stages.midSeason)), "late": .number(Double(stages.late)),
            ]),
            "coefficients": .string(coefficientsMode), "kc": .object(kcObject),
            "soil": .object([
                "fieldCapacity": .number(soil.fieldCapacity), "wiltingPoint": .number(soil.wiltingPoint),
                "source": .string(soilSource),
            ]),
            "rootDepth": .number(maxRoot), "initialRootDepth": Self.number(settings.initialRootDepth),
            "depletionFraction": .number(p), "managementAllowedDepletion": .number(mad),
            "efficiency": .number(efficiency), "wettedFraction": .number(wetted),
            "completenessThreshold": .number(threshold), "timeZone": .string(zoneName),
            "latitude": .number(latitude), "elevation": .number(elevation), "windHeight": .number(windHeight),
            "areaSquareMetres": Self.number(field.areaSquareMetres),
        ]
        let methods: [String: JSONValue] = [
            "et0": .string(method == "hargreaves-samani"
                ? "Hargreaves–Samani (FAO-56 Eq. 52), temperature only"
                : "FAO-56 Penman–Monteith daily (Eq. 6); missing humidity, radiation or wind by FAO-56's rules, named per day in et0Estimated"),
            "dailyInputs": .string("local days in the field's time zone; Tmax/Tmin = extremes of valid samples, means time-weighted, Rs = mean W/m² × day length, rain = sum; a day whose valid samples cover less than the threshold has no value (flag incomplete); impossible values and spikes are excluded (flags)"),
            "kc": .string(coefficientsMode == "dual" ? "FAO-56 dual Kcb + Ke (Eqs. 69–80), Kcb by stage (Eq. 66)" : "FAO-56 single Kc by stage (Eq. 66)"),
            "balance": .string("FAO-56 chapter 8 root-zone balance from the planting date at field capacity (Eqs. 82–88), p adjusted for ETc; stops at the first day without ET0 or rain"),
            "effectiveRain": .string(rain == nil ? "no rain gauge configured: rain counted as 0" : "all rain (RO = 0, FAO-56 chapter 8)"),
            "irrigation": .string(settings.flowMeter == nil ? "no flow meter configured: irrigation counted as 0"
                : "flow meter \(flowKind) over the field area (gross); net = gross × efficiency"),
            "probe": .string("daily time-weighted mean θ per depth; layers split at midpoints down to the root depth"),
        ]
        let document: [String: JSONValue] = [
            "field": .object([
                "id": .number(Double(original.id)), "name": .string(original.name),
                "parent": Self.number(original.parent.map(Double.init)),
            ]),
            "from": .string(first), "to": .string(last), "configuration": .object(configuration),
            "methods": .object(methods), "provenance": .object(provenance),
            "balance": .object([
                "status": .string(interruptedOn == nil ? "complete" : "interrupted"),
                "interruptedOn": interruptedOn.map(JSONValue.string) ?? .null,
                "reason": interruption.map(JSONValue.string) ?? .null,
            ]),
            "days": .array(dayRecords.map(JSONValue.object)), "totals": .object(totalsObject),
        ]
        return IrrigationSummary(document: document, rows: csvRows)
    }

    // MARK: - Helpers

    static func number(_ v: Double?) -> JSONValue {
        guard let v, v.isFinite else { return .null }
        return .number(v)
    }

    static func flag(_ f: QualityFlag) -> JSONValue {
        .object(["input": .string(f.input), "reason": .string(f.reason), "count": .number(Double(f.count)),
                 "detail": .string(f.detail)])
    }

    static func addingDays(_ n: Int, to date: String, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard let c = FieldCatalog.parseDate(date), let d = calendar.date(from: c),
              let e = calendar.date(byAdding: .day, value: n, to: d)
        else { return date }
        let out = calendar.dateComponents([.year, .month, .day], from: e)
        return String(format: "%04d-%02d-%02d", out.year ?? 0, out.month ?? 0, out.day ?? 0)
    }

    /// Mean of the first polygon's outer ring (enough for latitude in the radiation terms).
    static func centroid(_ b: FieldBoundary) -> (lat: Double, lon: Double)? {
        guard let ring = b.polygons.first?.first, ring.count > 1 else { return nil }
        let points = ring.dropLast()
        let lat = points.reduce(0) { $0 + $1[1] } / Double(points.count)
        let lon = points.reduce(0) { $0 + $1[0] } / Double(points.count)
        return (lat, lon)
    }

    func resolve(_ ref: SeriesReference, project: String, parameter: String) async throws -> StoreSeriesInfo? {
        if let id = ref.series { return try await store.series(id: id, project: project) }
        var found = try await store.series(project: project, source: ref.source, group: ref.group, channel: ref.channel)
        if let tags = ref.tags { found = found.filter { info in tags.allSatisfy { info.key.group.tags[$0.key] == $0.value } } }
        guard found.count <= 1 else {
            throw Self.notReady(
                parameter, "\(ref.label) matches \(found.count) series (ids \(found.prefix(5).map { String($0.id) }.joined(separator: ", "))); name the group, tags or the series id")
        }
        return found.first
    }

    func read(_ info: StoreSeriesInfo, in range: Range<Int64>) async throws -> ([Int64], [Double]) {
        let answer = try await store.readAll(info.key, in: range)
        let values: [Double]
        switch answer.values {
        case .float64(let v): values = v
        case .float32(let v): values = v.map(Double.init)
        case .int64(let v), .state(let v), .timestamp(let v): values = v.map(Double.init)
        case .bool(let v): values = v.map { $0 ? 1 : 0 }
        case .string(let v): values = v.map { Double($0) ?? .nan }
        }
        return (answer.timestamps, values)
    }
}
