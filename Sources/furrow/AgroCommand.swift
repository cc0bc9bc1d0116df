import ArgumentParser
import Foundation
import FurrowAgronomy

/// `furrow agro`: agronomy from the command line (reference ET, the FAO-56 root-zone balance, a field's
/// irrigation summary from the store, degree-days, scouting hotspots).
struct AgroCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agro",
        abstract: "Agronomy: reference ET, the FAO-56 water balance, irrigation summaries, degree-days and scouting hotspots.",
        subcommands: [
            AgroET0Command.self, AgroBalanceCommand.self, AgroIrrigationCommand.self, AgroDegreeDaysCommand.self,
            AgroHotspotsCommand.self, AgroPestSummaryCommand.self, AgroYieldCommand.self,
        ]
    )
}

/// The `--method` names of the CLI.
enum AgroMethod: String, ExpressibleByArgument, CaseIterable, Decodable {
    case pm, asceShort = "asce-short", asceTall = "asce-tall", hargreaves

    var referenceMethod: ReferenceETMethod {
        switch self {
        case .pm: .fao56PenmanMonteith
        case .asceShort: .asceShortGrass
        case .asceTall: .asceTallAlfalfa
        case .hargreaves: .hargreavesSamani
        }
    }
}

extension ClearSkyModel: ExpressibleByArgument {}
extension SolarConvention: ExpressibleByArgument {}
extension Hargreaves.EnergyConversion: ExpressibleByArgument {}

/// Day of year of an ISO date (YYYY-MM-DD), and dates a number of days later, without time zones.
enum CivilDate {
    static func parse(_ text: String) throws -> (year: Int, month: Int, day: Int) {
        let parts = text.split(separator: "-").map { Int($0) }
        guard parts.count == 3, let y = parts[0], let m = parts[1], let d = parts[2], (1...12).contains(m),
              (1...daysInMonth(y, m)).contains(d)
        else { throw ValidationError("\(text): expected a date as YYYY-MM-DD") }
        return (y, m, d)
    }

    static func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    }

    static func dayOfYear(_ date: (year: Int, month: Int, day: Int)) -> Int {
        (1..<date.month).reduce(0) { $0 + daysInMonth(date.year, $1) } + date.day
    }

    static func adding(_ days: Int, to date: (year: Int, month: Int, day: Int)) -> (year: Int, month: Int, day: Int) {
        var (y, m, d) = date
        for _ in 0..<days {
            d += 1
            if d > daysInMonth(y, m) {
                d = 1
                m += 1
                if m > 12 { m = 1; y += 1 }
            }
        }
        return (y, m, d)
    }

    static func format(_ date: (year: Int, month: Int, day: Int)) -> String {
        func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(date.year)-\(pad(date.month))-\(pad(date.day))"
    }
}

/// A refused input, printed as `Error: field: reason (code)` without the usage text (exit status 1).
struct AgroFailure: Error, CustomStringConvertible {
    var description: String
}

/// Turns a library refusal into the CLI's error with field and reason.
func agronomyFailure(_ error: AgronomyError, prefix: String = "") -> AgroFailure {
    AgroFailure(description: "\(prefix)\(error.field): \(error.message) (\(error.code))")
}

/// JSON for a reference-ET result (snake_case keys, all terms).
func et0Record(_ et: ReferenceET, convention: SolarConvention = .standard) -> [String: Any] {
    let t = et.terms
    var terms: [String: Any] = [
        "pressure": t.pressure, "gamma": t.gamma, "delta": t.delta, "es": t.es, "ea": t.ea, "ra": t.ra,
        "rs": t.rs, "rso": t.rso, "rs_rso": t.relativeShortwave, "rns": t.rns, "rnl": t.rnl, "rn": t.rn, "g": t.g,
        "u2": t.u2, "humidity_source": t.humiditySource.rawValue,
    ]
    if let n = t.daylightHours { terms["daylight_hours"] = n }
    if et.method == .hargreavesSamani {
        // Temperature only: the PM terms were not computed.
        terms = ["ra": t.ra, "daylight_hours": t.daylightHours ?? 0]
    }
    var record: [String: Any] = [
        "et0": et.value, "unit": et.timeStep == .daily ? "mm/d" : "mm/h", "method": et.method.rawValue,
        "time_step": et.timeStep.rawValue, "estimated": et.estimated.map(\.rawValue), "terms": terms,
    ]
    if let model = et.clearSkyModel { record["clear_sky"] = model.rawValue }
    record["convention"] = convention.rawValue
    return record
}

func printJSON(_ object: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
}

/// `furrow agro et0`: one day's reference ET from numbers on the command line.
struct AgroET0Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "et0",
        abstract: "Daily reference ET (FAO-56 PM, ASCE ETos/ETrs or Hargreaves) from one day's weather.",
        discussion: """
            Missing inputs follow FAO-56: no humidity → Tdew = Tmin; no --rs and no --sunshine-hours → Rs from the \
            temperature range (krs 0.16, or 0.19 with --coastal); no --wind → 2 m/s. Every substitution is listed \
            under "estimated". Impossible values (RH > 100, Tmin > Tmax, Rs < 0 or above Ra) are refused.
            """
    )

    @Option(help: "Daily minimum temperature, °C.") var tmin: Double
    @Option(help: "Daily maximum temperature, °C.") var tmax: Double
    @Option(name: .customLong("rh-min"), help: "Minimum relative humidity, %.") var rhMin: Double?
    @Option(name: .customLong("rh-max"), help: "Maximum relative humidity, %.") var rhMax: Double?
    @Option(name: .customLong("rh-mean"), help: "Mean relative humidity, %.") var rhMean: Double?
    @Option(help: "Mean dew point, °C.") var tdew: Double?
    @Option(help: "Actual vapour pressure, kPa.") var ea: Double?
    @Option(help: "Mean wind speed, m/s.") var wind: Double?
    @Option(name: .customLong("wind-height"), help: "Anemometer height, m.") var windHeight: Double = 2
    @Option(help: "Solar radiation, MJ m-2 d-1.") var rs: Double?
    @Option(name: .customLong("sunshine-hours"), help: "Bright sunshine hours.") var sunshineHours: Double?
    @Option(help: "Latitude, degrees (north positive).") var lat: Double
    @Option(help: "Elevation, m.") var elevation: Double
    @Option(help: "Date, YYYY-MM-DD.") var date: String?
    @Option(help: "Day of year (instead of --date).") var doy: Int?
    @Option(help: "pm (FAO-56), asce-short (ETos), asce-tall (ETrs) or hargreaves.") var method: AgroMethod = .pm
    @Option(name: .customLong("clear-sky"), help: "Rso model: simple (FAO-56 Eq. 37) or full (ASCE App. D).")
    var clearSky: ClearSkyModel = .simple
    @Option(help: "Constants: standard (FAO-56/ASCE-EWRI as printed) or refet (REF-ET program: declination, Gsc 1367, P exponent).")
    var convention: SolarConvention = .standard
    @Option(name: .customLong("hargreaves-conversion"), help: "Ra to depth for Hargreaves: fao56 (×0.408) or latent-heat (÷λ(T)).")
    var hargreavesConversion: Hargreaves.EnergyConversion = .fao56
    @Option(name: .customLong("soil-heat-flux"), help: "Soil heat flux G, MJ m-2 d-1 (monthly steps; daily 0).")
    var soilHeatFlux: Double?
    @Flag(help: "Coastal site (krs 0.19 when Rs comes from temperature).") var coastal = false
    @Flag(help: "Print JSON with the method and every intermediate term.") var json = false

    func run() throws {
        let dayOfYear: Int
        if let doy {
            dayOfYear = doy
        } else if let date {
            dayOfYear = CivilDate.dayOfYear(try CivilDate.parse(date))
        } else {
            throw ValidationError("give --date or --doy")
        }
        let site = Site(latitude: lat, elevation: elevation, coastal: coastal)
        let result: ReferenceET
        do {
            if method == .hargreaves {
                result = try Hargreaves(conversion: hargreavesConversion).daily(
                    tMin: tmin, tMax: tmax, dayOfYear: dayOfYear, at: site)
            } else {
                let weather = DailyWeather(
                    dayOfYear: dayOfYear, tMin: tmin, tMax: tmax, tDew: tdew, rhMin: rhMin, rhMax: rhMax,
                    rhMean: rhMean, vaporPressure: ea, solarRadiation: rs, sunshineHours: sunshineHours,
                    windSpeed: wind, windHeight: windHeight, soilHeatFlux: soilHeatFlux)
                result = try PenmanMonteith(method.referenceMethod, clearSky: clearSky, convention: convention).daily(weather, at: site)
            }
        } catch {
            throw agronomyFailure(error)
        }
        if json {
            try printJSON(et0Record(result, convention: convention))
        } else {
            let estimated = result.estimated.isEmpty ? "" : "; estimated: " + result.estimated.map(\.rawValue).joined(separator: ", ")
            let sky = result.clearSkyModel.map { "; Rso \($0.rawValue)" } ?? ""
            print("\(String(format: "%.2f", result.value)) mm/d (\(result.method.rawValue)\(sky)\(estimated))")
        }
    }
}

/// The `agro balance` input file.
struct BalanceInput: Decodable {
    struct Day: Decodable {
        var date: String?
        var et0: Double?
        var tmin: Double?
        var tmax: Double?
        var tdew: Double?
        var rhMin: Double?
        var rhMax: Double?
        var rhMean: Double?
        var rs: Double?
        var sunshineHours: Double?
        var wind: Double?
        var windHeight: Double?
        var rain: Double?
        var irrigation: Double?
        var irrigationEfficiency: Double?
        var fw: Double?
    }

    struct Dual: Decodable {
        var kcbIni: Double
        var kcbMid: Double
        var kcbEnd: Double
        var hIni: Double?
        var hMax: Double?
        var ze: Double?
        var rew: Double?
        var tallReference: Bool?
    }

    struct Auto: Decodable {
        var mad: Double
        var efficiency: Double?
    }

    var latitude: Double?
    var elevation: Double?
    var coastal: Bool?
    var method: AgroMethod?
    var clearSky: ClearSkyModel?
    var startDate: String?
    var crop: String?
    var stages: [Int]?
    var kcIni: Double?
    var kcMid: Double?
    var kcEnd: Double?
    var coefficients: String?
    var dual: Dual?
    var climateAdjustment: String?
    var cropHeight: Double?
    var texture: SoilTexture?
    var thetaFc: Double?
    var thetaWp: Double?
    var theta0: Double?
    var initialDepletion: Double?
    var rootDepth: Double?
    var rootDepthMax: Double?
    var p: Double?
    var pMode: String?
    var curveNumber: Double?
    var autoIrrigation: Auto?
    var days: [Day]
}

/// `furrow agro balance`: a season of daily weather, crop and soil in, per-day FAO-56 balance records out.
struct AgroBalanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balance",
        abstract: "FAO-56 chapter 8 daily root-zone water balance over a season (JSON in, JSON out).",
        discussion: """
            Input keys (snake_case): crop (a FAO-56 1998 default: maize, winter-wheat, potato, tomato, alfalfa, \
            grape-wine, grape-table, olive) or stages [ini,dev,mid,late] + kc_ini/kc_mid/kc_end; coefficients \
            single|dual (dual: kcb_ini/kcb_mid/kcb_end, h_ini, h_max, ze, rew); texture or theta_fc/theta_wp; \
            theta0 or initial_depletion; root_depth (+ root_depth_max to grow roots); p and p_mode \
            etc-adjusted|constant; curve_number (dual only); climate_adjustment none|stage-means|pyfao56 with \
            crop_height; auto_irrigation {mad, efficiency}; latitude, elevation, method, clear_sky, start_date; \
            days: [{et0 | tmin,tmax,tdew,rh_min,rh_max,rs,wind,wind_height; rain, irrigation, \
            irrigation_efficiency, fw}]. Day 0 is the planting date. A day without et0 gets it from its weather \
            with --method. RHmin missing for a day is taken as 100 e°(Tdew or Tmin)/e°(Tmax) (pyfao56's rule).
            """
    )

    @Option(help: "The season as JSON.") var input: String

    func run() throws {
        let spec = try decodeSnakeCaseJSON(BalanceInput.self, path: input)
        do {
            try run(spec)
        } catch let error as AgronomyError {
            throw agronomyFailure(error)
        }
    }

    func run(_ spec: BalanceInput) throws {
        let table = spec.crop.flatMap(CropDefaults.named)
        if let crop = spec.crop, table == nil {
            throw ValidationError("unknown crop \(crop); known: \(CropDefaults.table.keys.sorted().joined(separator: ", "))")
        }
        let stages: CropStages
        if let s = spec.stages {
            guard s.count == 4 else { throw ValidationError("stages: expected [ini, dev, mid, late]") }
            stages = CropStages(initial: s[0], development: s[1], midSeason: s[2], late: s[3])
        } else if let table {
            stages = table.stages
        } else {
            throw ValidationError("give a crop or stages")
        }
        guard let kcIni = spec.kcIni ?? table?.kcIni, let kcMid = spec.kcMid ?? table?.kcMid,
              let kcEnd = spec.kcEnd ?? table?.kcEnd
        else { throw ValidationError("give a crop or kc_ini, kc_mid and kc_end") }
        let single = CropCoefficientCurve(stages: stages, kcIni: kcIni, kcMid: kcMid, kcEnd: kcEnd)

        let soil: SoilWater
        if let fc = spec.thetaFc, let wp = spec.thetaWp {
            soil = SoilWater(fieldCapacity: fc, wiltingPoint: wp)
        } else if let texture = spec.texture {
            soil = texture.defaults
        } else {
            throw ValidationError("give texture or theta_fc and theta_wp")
        }

        let coefficients: WaterBalance.Coefficients
        switch spec.coefficients ?? "single" {
        case "single":
            coefficients = .single(single)
        case "dual":
            let d = spec.dual
            let kcb = CropCoefficientCurve(
                stages: stages, kcIni: d?.kcbIni ?? table?.kcbIni ?? 0.15, kcMid: d?.kcbMid ?? table?.kcbMid ?? 1.1,
                kcEnd: d?.kcbEnd ?? table?.kcbEnd ?? 0.15)
            guard let rew = d?.rew ?? spec.texture?.readilyEvaporableWater else {
                throw ValidationError("dual: give rew (or a texture for its Table 19 REW)")
            }
            coefficients = .dual(.init(
                basal: kcb, initialHeight: d?.hIni ?? 0.05, maximumHeight: d?.hMax ?? spec.cropHeight ?? table?.maxHeight ?? 1,
                evaporationLayerDepth: d?.ze ?? 0.10, readilyEvaporableWater: rew, tallReference: d?.tallReference ?? false))
        case let other:
            throw ValidationError("coefficients: \(other) is not single or dual")
        }

        guard let zr = spec.rootDepth ?? table?.rootDepth.lowerBound else { throw ValidationError("give root_depth") }
        let rootDepth: WaterBalance.RootDepth = spec.rootDepthMax.map { .growing(initial: zr, maximum: $0) } ?? .constant(zr)
        guard let p = spec.p ?? table?.depletionFraction else { throw ValidationError("give p") }
        let fraction: WaterBalance.DepletionFraction
        switch spec.pMode ?? "etc-adjusted" {
        case "etc-adjusted": fraction = .etcAdjusted(base: p)
        case "constant": fraction = .constant(p)
        case let other: throw ValidationError("p_mode: \(other) is not etc-adjusted or constant")
        }
        let height = spec.cropHeight ?? spec.dual?.hMax ?? table?.maxHeight ?? 1
        let adjustment: WaterBalance.ClimateAdjustment
        switch spec.climateAdjustment ?? "none" {
        case "none": adjustment = .none
        case "stage-means": adjustment = .stageMeans(cropHeight: height)
        case "pyfao56": adjustment = .pyfao56(cropHeight: height)
        case let other: throw ValidationError("climate_adjustment: \(other) is not none, stage-means or pyfao56")
        }
        let initial: WaterBalance.InitialState =
            spec.theta0.map { .theta($0) } ?? spec.initialDepletion.map { .depletion($0) } ?? .fieldCapacity
        let config = WaterBalance.Configuration(
            soil: soil, rootDepth: rootDepth, coefficients: coefficients, depletionFraction: fraction,
            initialState: initial, runoff: spec.curveNumber.map { .curveNumber($0) } ?? .none,
            climateAdjustment: adjustment,
            autoIrrigation: spec.autoIrrigation.map { .init(managementAllowedDepletion: $0.mad, efficiency: $0.efficiency ?? 1) })

        // Forcing: ET0 given or computed from the day's weather.
        let start = try spec.startDate.map(CivilDate.parse)
        let method = spec.method ?? .pm
        var inputs: [WaterBalance.DayInput] = []
        var et0Methods: [String] = []
        var dates: [String?] = []
        for (i, d) in spec.days.enumerated() {
            let date = try d.date.map(CivilDate.parse) ?? start.map { CivilDate.adding(i, to: $0) }
            dates.append(date.map(CivilDate.format))
            let et0: Double
            if let given = d.et0 {
                et0 = given
                et0Methods.append("given")
            } else {
                guard let tmin = d.tmin, let tmax = d.tmax, let date else {
                    throw ValidationError("days[\(i)]: give et0, or tmin, tmax and a date (or start_date)")
                }
                guard let lat = spec.latitude, let elevation = spec.elevation else {
                    throw ValidationError("latitude and elevation are needed to compute ET0 from weather")
                }
                let site = Site(latitude: lat, elevation: elevation, coastal: spec.coastal ?? false)
                let doy = CivilDate.dayOfYear(date)
                let result: ReferenceET
                do {
                    if method == .hargreaves {
                        result = try Hargreaves().daily(tMin: tmin, tMax: tmax, dayOfYear: doy, at: site)
                    } else {
                        let w = DailyWeather(
                            dayOfYear: doy, tMin: tmin, tMax: tmax, tDew: d.tdew, rhMin: d.rhMin, rhMax: d.rhMax,
                            rhMean: d.rhMean, solarRadiation: d.rs, sunshineHours: d.sunshineHours, windSpeed: d.wind,
                            windHeight: d.windHeight ?? 2)
                        result = try PenmanMonteith(method.referenceMethod, clearSky: spec.clearSky ?? .simple).daily(w, at: site)
                    }
                } catch {
                    throw agronomyFailure(error, prefix: "days[\(i)].")
                }
                et0 = result.value
                et0Methods.append(result.method.rawValue)
            }
            var u2 = d.wind
            if let wind = d.wind, let h = d.windHeight, h != 2 { u2 = Atmosphere.windAt2m(speed: wind, height: h) }
            var rhMin = d.rhMin
            if rhMin == nil, let tmax = d.tmax, let dew = d.tdew ?? d.tmin {
                rhMin = 100 * Atmosphere.saturationVaporPressure(dew) / Atmosphere.saturationVaporPressure(tmax)
            }
            inputs.append(.init(
                et0: et0, rain: d.rain ?? 0, irrigation: d.irrigation ?? 0,
                irrigationEfficiency: d.irrigationEfficiency ?? 1, wettedFraction: d.fw ?? 1, u2: u2,
                rhMin: rhMin.map { min($0, 100) }))
        }

        let days = try WaterBalance(config).run(inputs)
        var records: [[String: Any]] = []
        for (i, d) in days.enumerated() {
            var r: [String: Any] = [
                "day": d.day, "stage": d.stage.rawValue, "et0": d.et0, "et0_method": et0Methods[i], "kc": d.kc,
                "etc": d.etc, "zr": d.rootDepth, "taw": d.taw, "p": d.p, "raw": d.raw, "ks": d.ks, "etc_adj": d.etcAdj,
                "rain": d.rain, "runoff": d.runoff, "effective_rain": d.effectiveRain,
                "irrigation_gross": d.irrigationGross, "irrigation_net": d.irrigationNet,
                "auto_irrigated": d.autoIrrigated, "dp": d.deepPercolation, "dr_start": d.depletionStart,
                "dr": d.depletion, "fdr": d.fractionDepleted, "unmet_demand": d.unmetDemand,
            ]
            if let date = dates[i] { r["date"] = date }
            if let kcb = d.kcb { r["kcb"] = kcb }
            if let ke = d.ke { r["ke"] = ke }
            if let e = d.evaporation { r["e"] = e }
            if let de = d.evaporationDepletion { r["de"] = de }
            records.append(r)
        }
        let sum = { (f: (WaterBalance.Day) -> Double) in days.reduce(0) { $0 + f($1) } }
        let totals: [String: Any] = [
            "et0": sum(\.et0), "etc": sum(\.etc), "etc_adj": sum(\.etcAdj), "rain": sum(\.rain), "runoff": sum(\.runoff),
            "irrigation_gross": sum(\.irrigationGross), "irrigation_net": sum(\.irrigationNet), "dp": sum(\.deepPercolation),
            "days_ks_below_1": days.filter { $0.ks < 1 }.count,
            "irrigations_triggered": days.filter(\.autoIrrigated).count,
        ]
        try printJSON([
            "crop_table_version": table?.tableVersion ?? NSNull(),
            "coefficients": spec.coefficients ?? "single",
            "effective_rain_rule": spec.curveNumber == nil ? "all rain (RO = 0)" : "rain - SCS curve-number runoff (ASCE 2016)",
            "days": records, "totals": totals,
        ] as [String: Any])
    }
}
