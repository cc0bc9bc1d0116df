import Foundation
import Testing

@testable import FurrowAgronomy

/// ASCE-EWRI standardized reference ET against REF-ET v4.1 (the ASCE reference program, R.G. Allen) on a year of
/// Fallon, Nevada AgriMet data (`SampleData/agronomy/`, copied from the project's agro-vectors).
@Suite("ASCE-EWRI vs REF-ET (Fallon 2015)")
struct REFETVectorTests {
    static let sampleDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SampleData/agronomy")

    static func load(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: sampleDirectory.appendingPathComponent(name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func celsius(_ f: Double) -> Double { (f - 32) * 5 / 9 }

    static func dayOfYear(_ iso: String) -> Int {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        let leap = parts[0] % 4 == 0 && (parts[0] % 100 != 0 || parts[0] % 400 == 0)
        return cumulative[parts[1] - 1] + parts[2] + (leap && parts[1] > 2 ? 1 : 0)
    }

    static let site = Site(latitude: 39.4575, elevation: 1208.5, longitude: -118.77388, timeZoneMeridian: -120)

    /// Max |ours − REF-ET| over the unflagged days for a method and clear-sky model.
    static func dailyDifferences(
        _ method: ReferenceETMethod, _ model: ClearSkyModel, _ convention: SolarConvention, key: String
    ) throws -> [Double] {
        let json = try load("asce_refet_fallon2015_daily.json")
        let days = try #require(json["daily"] as? [[String: Any]])
        var out: [Double] = []
        for d in days where d["flag"] == nil {
            let w = DailyWeather(
                dayOfYear: dayOfYear(d["date"] as! String), tMin: celsius(d["raw_tmin_F"] as! Double),
                tMax: celsius(d["raw_tmax_F"] as! Double), tDew: celsius(d["raw_tdew_mean_F"] as! Double),
                solarRadiation: (d["raw_rs_langley_d"] as! Double) * 0.041868,
                windSpeed: (d["raw_wind_3m_mph"] as! Double) * 0.44704, windHeight: 3)
            let et = try PenmanMonteith(method, clearSky: model, convention: convention).daily(w, at: site)
            out.append(abs(et.value - (d[key] as! Double)))
        }
        return out
    }

    @Test("daily ETos within 0.01 mm/d (REF-ET prints 0.01) on 364 days: full clear-sky model, REF-ET constants")
    func dailyShortFull() throws {
        let diffs = try Self.dailyDifferences(.asceShortGrass, .full, .refetSoftware, key: "REFET_ETos_mm_d")
        #expect(diffs.count == 364)
        #expect(diffs.max()! <= 0.01, "max |ΔETos| = \(diffs.max()!)")
    }

    @Test("daily ETrs within 0.05 mm/d on 364 days: full clear-sky model, REF-ET constants")
    func dailyTallFull() throws {
        let diffs = try Self.dailyDifferences(.asceTallAlfalfa, .full, .refetSoftware, key: "REFET_ETrs_mm_d")
        #expect(diffs.max()! <= 0.05, "max |ΔETrs| = \(diffs.max()!)")
    }

    /// The printed ASCE-EWRI constants with the full Rso land within 0.011 mm/d (REF-ET's program constants: 0.007);
    /// the simple Rso form, as the agro-vectors README warns, is up to 0.14 mm/d away.
    @Test("with the printed ASCE constants the full Rso stays within 0.015; the simple Rso departs by up to 0.14")
    func standardConstants() throws {
        let full = try Self.dailyDifferences(.asceShortGrass, .full, .standard, key: "REFET_ETos_mm_d")
        #expect(full.max()! <= 0.015, "max |ΔETos| = \(full.max()!)")
        let diffs = try Self.dailyDifferences(.asceShortGrass, .simple, .standard, key: "REFET_ETos_mm_d")
        #expect(diffs.max()! > 0.05)
        #expect(diffs.max()! < 0.2)
    }

    @Test("hourly ETos and ETrs within 0.01 mm/h for hour labels 08–18, 1–7 July (full clear-sky model, REF-ET constants)")
    func hourly() throws {
        let json = try Self.load("asce_refet_fallon2015_hourly_july.json")
        let hours = try #require(json["hourly"] as? [[String: Any]])
        let strict = Set((json["strict_hour_labels"] as? [Int]) ?? [])
        var worstShort = 0.0, worstTall = 0.0, n = 0
        for h in hours {
            let label = h["hour_label"] as! Int
            guard strict.contains(label) else { continue }
            // REF-ET's header calls the label the END of the period; read that way on the daylight-saving clock
            // (mid-period = label − 1.5 h standard time) hours 08 and 17 are 0.03 mm/h off, symmetric about noon: a
            // one-hour shift. Read as the START of the period on the DST clock (as the refet test-suite effectively
            // does), i.e. mid-period = label − 0.5 h in standard time (UTC−8), every strict hour agrees within 0.008.
            let w = HourlyWeather(
                dayOfYear: h["doy"] as! Int, standardTime: Double(label) - 0.5,
                temperature: Self.celsius(h["raw_temp_F"] as! Double), tDew: Self.celsius(h["raw_tdew_F"] as! Double),
                solarRadiation: (h["raw_rs_langley_h"] as! Double) * 0.041868,
                windSpeed: (h["raw_wind_3m_mph"] as! Double) * 0.44704, windHeight: 3)
            let s = try PenmanMonteith(.asceShortGrass, clearSky: .full, convention: .refetSoftware).hourly(w, at: Self.site)
            let t = try PenmanMonteith(.asceTallAlfalfa, clearSky: .full, convention: .refetSoftware).hourly(w, at: Self.site)
            worstShort = max(worstShort, abs(s.value - (h["REFET_ETos_mm_h"] as! Double)))
            worstTall = max(worstTall, abs(t.value - (h["REFET_ETrs_mm_h"] as! Double)))
            n += 1
        }
        #expect(n == 77)
        #expect(worstShort <= 0.01, "max |ΔETos| = \(worstShort) mm/h")
        #expect(worstTall <= 0.01, "max |ΔETrs| = \(worstTall) mm/h")
    }
}
