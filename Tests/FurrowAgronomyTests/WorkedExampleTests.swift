import Testing

@testable import FurrowAgronomy

/// FAO-56 (Allen et al. 1998) chapter 3/4 worked examples. Each printed value is checked to the precision FAO
/// printed it (half a unit of the last digit, plus rounding slack of the intermediate steps FAO rounded).
@Suite("FAO-56 worked examples")
struct WorkedExampleTests {
    /// Example 18: Brussels (50°48'N, 100 m), 6 July: Tmax 21.5, Tmin 12.3, RHmax 84, RHmin 63, 10 km/h at 10 m,
    /// n = 9.25 h → ET0 = 3.9 mm/d.
    @Test("Example 18, daily ET0 at Brussels on 6 July = 3.9 mm/d with the printed intermediate values")
    func example18Brussels() throws {
        let site = Site(latitude: 50 + 48.0 / 60, elevation: 100)
        let w = DailyWeather(
            dayOfYear: 187, tMin: 12.3, tMax: 21.5, rhMin: 63, rhMax: 84, sunshineHours: 9.25,
            windSpeed: 10 / 3.6, windHeight: 10)
        let et = try PenmanMonteith().daily(w, at: site)
        let t = et.terms
        #expect(abs(t.u2 - 2.078) < 0.001)
        #expect(abs(t.es - 1.997) < 0.002)
        #expect(abs(t.ea - 1.409) < 0.002)
        #expect(abs(t.delta - 0.122) < 0.0006)
        #expect(abs(t.gamma - 0.0666) < 0.00006)
        #expect(abs(t.ra - 41.09) < 0.01)
        #expect(abs(t.daylightHours! - 16.1) < 0.05)
        #expect(abs(t.rs - 22.07) < 0.02)
        #expect(abs(t.rso - 30.90) < 0.02)
        #expect(abs(t.rns - 16.99) < 0.02)
        #expect(abs(t.rnl - 3.71) < 0.01)
        #expect(abs(t.rn - 13.28) < 0.02)
        #expect(abs(et.value - 3.9) < 0.05)
        #expect(et.method == .fao56PenmanMonteith)
        #expect(et.estimated == [.solarFromSunshine, .windHeightConverted])
        #expect(t.humiditySource == .rhMinMax)
    }

    /// Example 17: Bangkok (13°44'N, 2 m), April monthly means: Tmax 34.8, Tmin 25.6, ea 2.85 kPa, u2 2 m/s,
    /// n 8.5 h, G from March 29.2 °C and April 30.2 °C (Eq. 44) → ET0 = 5.72 mm/d.
    @Test("Example 17, monthly ET0 at Bangkok in April = 5.72 mm/d with the printed intermediate values")
    func example17Bangkok() throws {
        let site = Site(latitude: 13 + 44.0 / 60, elevation: 2)
        let g = PenmanMonteith.monthlySoilHeatFlux(previousMonth: 29.2, currentMonth: 30.2, nextMonth: nil)
        #expect(abs(g - 0.14) < 1e-9)
        let w = DailyWeather(
            dayOfYear: 105, tMin: 25.6, tMax: 34.8, vaporPressure: 2.85, sunshineHours: 8.5, windSpeed: 2,
            soilHeatFlux: g)
        let et = try PenmanMonteith().daily(w, at: site)
        let t = et.terms
        #expect(abs(t.es - 4.42) < 0.005)
        #expect(abs(t.es - t.ea - 1.57) < 0.005)
        #expect(abs(t.delta - 0.246) < 0.0006)
        #expect(abs(t.gamma - 0.0674) < 0.00006)
        #expect(abs(t.ra - 38.06) < 0.01)
        #expect(abs(t.daylightHours! - 12.31) < 0.005)
        #expect(abs(t.rs - 22.65) < 0.01)
        #expect(abs(t.rso - 28.54) < 0.02)
        #expect(abs(t.rns - 17.44) < 0.01)
        #expect(abs(t.rnl - 3.11) < 0.01)
        #expect(abs(t.rn - 14.33) < 0.02)
        #expect(abs(et.value - 5.72) < 0.01)
    }

    /// Example 19: N'Diaye, Senegal (16°13'N, 16°15'W, 8 m; time-zone meridian 15°W), 1 October.
    /// 14–15 h: 38 °C, RH 52 %, u2 3.3 m/s, Rs 2.450 MJ m-2 h-1 → 0.63 mm/h.
    /// 02–03 h: 28 °C, RH 90 %, u2 1.9 m/s, Rs 0, Rs/Rso 0.8 carried from before sunset → 0.0 mm/h.
    @Test("Example 19, hourly ET0 at N'Diaye: 0.63 mm/h at 14–15 h and 0.0 mm/h at 02–03 h")
    func example19Hourly() throws {
        let site = Site(latitude: 16 + 13.0 / 60, elevation: 8, longitude: -(16 + 15.0 / 60), timeZoneMeridian: -15)
        let pm = PenmanMonteith()
        let day = try pm.hourly(
            HourlyWeather(dayOfYear: 274, standardTime: 14.5, temperature: 38, relativeHumidity: 52,
                          solarRadiation: 2.450, windSpeed: 3.3), at: site)
        let t = day.terms
        #expect(abs(t.es - 6.625) < 0.001)
        #expect(abs(t.ea - 3.445) < 0.001)
        #expect(abs(t.delta - 0.358) < 0.0006)
        #expect(abs(t.gamma - 0.0673) < 0.00006)
        #expect(abs(t.ra - 3.543) < 0.002)
        #expect(abs(t.rso - 2.658) < 0.002)
        #expect(abs(t.relativeShortwave - 0.922) < 0.001)
        #expect(abs(t.rns - 1.887) < 0.001)
        #expect(abs(t.g - 0.1 * t.rn) < 1e-12)
        #expect(abs(day.value - 0.63) < 0.005)
        #expect(day.timeStep == .hourly)

        // Night: without a carried Rs/Rso the hour is refused, with it FAO's 0.8 gives Rnl 0.100.
        let nightWeather = HourlyWeather(dayOfYear: 274, standardTime: 2.5, temperature: 28, relativeHumidity: 90,
                                         solarRadiation: 0, windSpeed: 1.9)
        #expect(throws: AgronomyError.self) { try pm.hourly(nightWeather, at: site) }
        let night = try pm.hourly(nightWeather, at: site, nightRadiationRatio: 0.8)
        #expect(abs(night.terms.es - 3.780) < 0.001)
        #expect(abs(night.terms.ea - 3.402) < 0.001)
        #expect(night.terms.ra == 0)
        #expect(abs(night.terms.rnl - 0.100) < 0.001)
        #expect(abs(night.terms.rn + 0.100) < 0.001)
        #expect(abs(night.terms.g + 0.050) < 0.001)
        #expect(abs(night.value) < 0.005)
        #expect(night.estimated.contains(.nightRadiationRatio))
    }

    @Test("an hourly series carries the last sunny hour's Rs/Rso into the night, and refuses a night with none")
    func hourlySeriesCarriesRatio() throws {
        let site = Site(latitude: 16 + 13.0 / 60, elevation: 8, longitude: -(16 + 15.0 / 60), timeZoneMeridian: -15)
        let afternoon = HourlyWeather(dayOfYear: 274, standardTime: 14.5, temperature: 38, relativeHumidity: 52,
                                      solarRadiation: 2.450, windSpeed: 3.3)
        let night = HourlyWeather(dayOfYear: 274, standardTime: 23.5, temperature: 28, relativeHumidity: 90,
                                  solarRadiation: 0, windSpeed: 1.9)
        let series = try PenmanMonteith().hourlySeries([afternoon, night], at: site)
        #expect(series[1].terms.relativeShortwave == series[0].terms.relativeShortwave)
        #expect(series[1].estimated.contains(.nightRadiationRatio))
        #expect(throws: AgronomyError.self) { try PenmanMonteith().hourlySeries([night, afternoon], at: site) }
        // ASCE hourly: night Cd 0.96 and G = 0.5 Rn for ETos; tall reference Cd 1.7 at night.
        let short = try PenmanMonteith(.asceShortGrass).hourlySeries([afternoon, night], at: site)
        let tall = try PenmanMonteith(.asceTallAlfalfa).hourlySeries([afternoon, night], at: site)
        #expect(short[1].terms.rn < 0 && abs(short[1].terms.g - 0.5 * short[1].terms.rn) < 1e-12)
        #expect(abs(tall[1].terms.g - 0.2 * tall[1].terms.rn) < 1e-12)
        #expect(short[0].value < tall[0].value)
    }

    /// FAO-56 Examples 2, 8, 9 (p. 32, 47): pressure at 1800 m, Ra and N at 20°S on 3 September.
    @Test("Examples 2, 8, 9: P(1800 m) = 81.8 kPa, γ = 0.054; Ra(20°S, 3 Sep) = 32.2, N = 11.7 h")
    func smallExamples() {
        let p = Atmosphere.pressure(elevation: 1800)
        #expect(abs(p - 81.8) < 0.05)
        #expect(abs(Atmosphere.psychrometricConstant(pressure: p) - 0.054) < 0.0005)
        let phi = -20.0 * .pi / 180
        #expect(abs(SolarRadiation.extraterrestrialDaily(latitude: phi, dayOfYear: 246) - 32.2) < 0.05)
        #expect(abs(SolarRadiation.daylightHours(latitude: phi, dayOfYear: 246) - 11.7) < 0.05)
        #expect(abs(SolarRadiation.inverseRelativeDistance(dayOfYear: 246) - 0.985) < 0.0005)
        #expect(abs(SolarRadiation.declination(dayOfYear: 246) - 0.120) < 0.0005)
        // Example 3: e°(24.5) = 3.075, e°(15) = 1.705 kPa; es = 2.39.
        #expect(abs(Atmosphere.saturationVaporPressure(24.5) - 3.075) < 0.001)
        #expect(abs(Atmosphere.saturationVaporPressure(15) - 1.705) < 0.001)
        #expect(abs(Atmosphere.meanSaturationVaporPressure(tMin: 15, tMax: 24.5) - 2.39) < 0.005)
        // Example 14: 3.2 m/s at 10 m → u2 = 2.4 m/s.
        #expect(abs(Atmosphere.windAt2m(speed: 3.2, height: 10) - 2.4) < 0.05)
    }

    /// FAO-56 Example 20-style missing data (Lyon, France, 45°43'N, 200 m, July: Tmax 26.6, Tmin 14.8): values
    /// printed by the ETo package (agronomy.md §1.1): Hargreaves 5.03, PM with missing data 4.56 mm/d.
    @Test("Lyon in July: Hargreaves ≈ 5.03 mm/d and PM with missing humidity/radiation/wind ≈ 4.56 mm/d")
    func lyonMissingData() throws {
        let site = Site(latitude: 45 + 43.0 / 60, elevation: 200)
        let hs = try Hargreaves().daily(tMin: 14.8, tMax: 26.6, dayOfYear: 196, at: site)
        #expect(hs.method == .hargreavesSamani)
        #expect(abs(hs.value - 5.03) < 0.02)
        let pm = try PenmanMonteith().daily(DailyWeather(dayOfYear: 196, tMin: 14.8, tMax: 26.6), at: site)
        #expect(pm.estimated == [.vaporPressureFromTmin, .solarFromTemperature, .windDefault])
        #expect(abs(pm.value - 4.56) < 0.02)
    }
}
