import Testing

@testable import FurrowAgronomy

@Suite("Input validation")
struct ValidationTests {
    static let site = Site(latitude: 40, elevation: 300)

    static func refusal(_ w: DailyWeather) -> AgronomyError? {
        do {
            _ = try PenmanMonteith().daily(w, at: site)
            return nil
        } catch {
            return error
        }
    }

    @Test("impossible weather is refused with a code and the field, never computed")
    func impossibleWeather() throws {
        let ok = DailyWeather(dayOfYear: 180, tMin: 15, tMax: 30, rhMin: 30, rhMax: 80, solarRadiation: 25, windSpeed: 2)
        #expect(Self.refusal(ok) == nil)
        var w = ok
        w.rhMax = 104
        #expect(Self.refusal(w)?.field == "rh_max")
        #expect(Self.refusal(w)?.code == .outOfRange)
        w = ok
        w.tMin = 31
        #expect(Self.refusal(w)?.field == "tmin")
        #expect(Self.refusal(w)?.code == .inconsistent)
        w = ok
        w.solarRadiation = -1
        #expect(Self.refusal(w)?.field == "rs")
        w = ok
        w.solarRadiation = 60  // above Ra (≈ 41.7 MJ m-2 d-1 at 40°N on 29 June)
        #expect(Self.refusal(w)?.code == .inconsistent)
        w = ok
        w.rhMin = 90
        #expect(Self.refusal(w)?.field == "rh_min")
        w = ok
        w.windSpeed = .nan
        #expect(Self.refusal(w)?.code == .notFinite)
        w = ok
        w.tDew = 35
        #expect(Self.refusal(w)?.field == "tdew")
        w = ok
        w.dayOfYear = 0
        #expect(Self.refusal(w)?.field == "day_of_year")
        w = ok
        w.solarRadiation = nil
        w.sunshineHours = 20  // N ≈ 14.8 h
        #expect(Self.refusal(w)?.field == "sunshine_hours")
        #expect(throws: AgronomyError.self) { try PenmanMonteith(.hargreavesSamani).daily(ok, at: Self.site) }
        #expect(throws: AgronomyError.self) {
            try PenmanMonteith().daily(ok, at: Site(latitude: 95, elevation: 0))
        }
    }

    @Test("the humidity preference order of FAO-56: ea > Tdew > RHmin/RHmax > RHmax > RHmean > Tmin")
    func humidityOrder() throws {
        let base = DailyWeather(dayOfYear: 180, tMin: 15, tMax: 30, solarRadiation: 25, windSpeed: 2)
        func source(_ edit: (inout DailyWeather) -> Void) throws -> HumiditySource {
            var w = base
            edit(&w)
            return try PenmanMonteith().daily(w, at: Self.site).terms.humiditySource
        }
        #expect(try source { _ in } == .tMinAsDewPoint)
        #expect(try source { $0.rhMean = 60 } == .rhMean)
        #expect(try source { $0.rhMean = 60; $0.rhMax = 90 } == .rhMax)
        #expect(try source { $0.rhMax = 90; $0.rhMin = 30 } == .rhMinMax)
        #expect(try source { $0.rhMax = 90; $0.rhMin = 30; $0.tDew = 10 } == .dewPoint)
        #expect(try source { $0.tDew = 10; $0.vaporPressure = 1.1 } == .vaporPressure)
        // Missing humidity equals a dew point at Tmin.
        let a = try PenmanMonteith().daily(base, at: Self.site).value
        var withDew = base
        withDew.tDew = 15
        #expect(abs(a - (try PenmanMonteith().daily(withDew, at: Self.site).value)) < 1e-12)
    }

    @Test("Rs from the temperature range uses krs 0.16 inland and 0.19 on the coast")
    func krs() throws {
        let w = DailyWeather(dayOfYear: 100, tMin: 8, tMax: 20, tDew: 5, windSpeed: 2)
        let inland = try PenmanMonteith().daily(w, at: Site(latitude: 10, elevation: 0))
        let coast = try PenmanMonteith().daily(w, at: Site(latitude: 10, elevation: 0, coastal: true))
        #expect(abs(inland.terms.rs - 0.16 * 12.0.squareRoot() * inland.terms.ra) < 1e-9)
        #expect(abs(coast.terms.rs - 0.19 * 12.0.squareRoot() * coast.terms.ra) < 1e-9)
    }
}

@Suite("Crop coefficients")
struct CropCoefficientTests {
    @Test("maize curve: Kc_ini to day 30, linear to Kc_mid by day 70, flat to 120, down to Kc_end on day 150")
    func maizeCurve() throws {
        let maize = try #require(CropDefaults.named("maize"))
        #expect(maize.tableVersion == "FAO-56 (1998)")
        let c = maize.singleCurve
        #expect(c.kc(onDay: 0) == 0.30)
        #expect(c.kc(onDay: 30) == 0.30)
        #expect(abs(c.kc(onDay: 50) - 0.75) < 1e-12)
        #expect(c.kc(onDay: 70) == 1.20)
        #expect(c.kc(onDay: 120) == 1.20)
        #expect(abs(c.kc(onDay: 135) - 0.775) < 1e-12)
        #expect(abs(c.kc(onDay: 150) - 0.35) < 1e-12)
        #expect(c.kc(onDay: 400) == 0.35)
        #expect(c.stage(onDay: 31) == .development)
    }

    @Test("Eq. 62: zero at u2 2 m/s and RHmin 45 %; dry windy climates raise Kc_mid; Kc_end < 0.45 is not adjusted")
    func climateAdjustment() throws {
        #expect(CropCoefficientCurve.climateAdjustment(u2: 2, rhMin: 45, cropHeight: 2) == 0)
        let adj = CropCoefficientCurve.climateAdjustment(u2: 4, rhMin: 20, cropHeight: 3)
        #expect(abs(adj - (0.08 + 0.1)) < 1e-12)
        // Limits: u2 above 6 counts as 6, RHmin below 20 counts as 20.
        #expect(CropCoefficientCurve.climateAdjustment(u2: 9, rhMin: 5, cropHeight: 3)
            == CropCoefficientCurve.climateAdjustment(u2: 6, rhMin: 20, cropHeight: 3))
        let maize = try #require(CropDefaults.named("maize")).singleCurve
        let dry = maize.climateAdjusted(midU2: 4, midRHmin: 20, lateU2: 4, lateRHmin: 20, cropHeight: 2)
        #expect(dry.kcMid > maize.kcMid)
        #expect(dry.kcEnd == maize.kcEnd)
    }

    @Test("Table 19 midpoints: loam θFC 0.25, θWP 0.12")
    func soilTexture() {
        #expect(abs(SoilTexture.loam.defaults.fieldCapacity - 0.25) < 1e-12)
        #expect(abs(SoilTexture.loam.defaults.wiltingPoint - 0.12) < 1e-12)
        for t in SoilTexture.allCases { #expect(t.defaults.wiltingPoint < t.defaults.fieldCapacity) }
    }
}

@Suite("Probes, flow meters, scheduling")
struct FieldSummaryTests {
    @Test("three sensors over a 0.8 m root zone: midpoint layers, storage, depletion and PAW")
    func probe() throws {
        let soil = SoilWater(fieldCapacity: 0.30, wiltingPoint: 0.10)
        let profile = ProbeProfile(sensors: [
            .init(depth: 0.3, theta: 0.25, soil: soil), .init(depth: 0.1, theta: 0.20, soil: soil),
            .init(depth: 0.6, theta: 0.32, soil: soil), .init(depth: 1.0, theta: 0.30, soil: soil),
        ], rootDepth: 0.8)
        let s = try profile.summary()
        #expect(s.layers.count == 3)
        #expect(abs(s.layers[0].bottom - 0.2) < 1e-12)
        #expect(abs(s.layers[1].bottom - 0.45) < 1e-12)
        #expect(abs(s.layers[2].bottom - 0.8) < 1e-12)
        #expect(abs(s.storage - (200 * 0.2 + 250 * 0.25 + 320 * 0.35)) < 1e-9)
        #expect(abs(s.depletion - (100 * 0.2 + 50 * 0.25 - 20 * 0.35)) < 1e-9)
        #expect(abs(s.layers[2].plantAvailablePercent - 110) < 1e-9)
        #expect(s.layers[2].plantAvailablePercentClipped == 100)
        #expect(abs(s.totalAvailableWater - 160) < 1e-9)
        #expect(abs(s.fractionDepleted - s.depletion / s.totalAvailableWater) < 1e-12)
        #expect(throws: AgronomyError.self) {
            try ProbeProfile(sensors: [.init(depth: 0.1, theta: 0.9, soil: soil)], rootDepth: 0.5).summary()
        }
    }

    @Test("250 m³ on 2.5 ha is 10 mm; 1000 L on 100 m² is 10 mm; net through efficiency; WP per m³")
    func appliedWater() throws {
        #expect(abs(try AppliedWater.depth(of: .cubicMeters(250), over: .hectares(2.5)) - 10) < 1e-12)
        #expect(abs(try AppliedWater.depth(of: .liters(1000), over: .squareMeters(100)) - 10) < 1e-12)
        // 1 acre-inch = 27 154 US gal (agronomy.md §1.5).
        #expect(abs(try AppliedWater.depth(of: .usGallons(27_154), over: .acres(1)) - 25.4) < 0.01)
        let a = try AppliedWater.application(of: .cubicMeters(300), over: .hectares(1), efficiency: 0.75)
        #expect(abs(a.gross - 30) < 1e-12 && abs(a.net - 22.5) < 1e-12)
        #expect(abs(try AppliedWater.waterProductivity(yieldPerHectare: 12_000, depth: 600) - 2) < 1e-12)
        #expect(abs(try AppliedWater.waterProductivity(yieldKilograms: 500, water: .cubicMeters(250)) - 2) < 1e-12)
        #expect(throws: AgronomyError.self) { try AppliedWater.depth(of: .cubicMeters(-5), over: .hectares(1)) }
        #expect(throws: AgronomyError.self) { try AppliedWater.depth(of: .cubicMeters(5), over: .hectares(0)) }
    }

    @Test("next irrigation by MAD: Dr 20 of TAW 100, MAD 0.5, 5 mm/d → in 6 days, 50 mm net, 62.5 gross at 80 %")
    func schedule() throws {
        let next = try #require(try IrrigationSchedule.next(
            depletion: 20, taw: 100, mad: 0.5, forecastETc: Array(repeating: 5, count: 10), efficiency: 0.8))
        #expect(next.daysFromNow == 6)
        #expect(abs(next.netDepth - 50) < 1e-12)
        #expect(abs(next.grossDepth - 62.5) < 1e-12)
        let rain = try #require(try IrrigationSchedule.next(
            depletion: 20, taw: 100, mad: 0.5, forecastETc: Array(repeating: 5, count: 10), forecastRain: [0, 10]))
        #expect(rain.daysFromNow == 8)
        #expect(try IrrigationSchedule.next(depletion: 20, taw: 100, mad: 0.5, forecastETc: [1, 1]) == nil)
        #expect(try IrrigationSchedule.next(depletion: 60, taw: 100, mad: 0.5, forecastETc: [])?.daysFromNow == 0)
    }
}
