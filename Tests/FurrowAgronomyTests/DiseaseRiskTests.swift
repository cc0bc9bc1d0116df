import Foundation
import Testing

@testable import FurrowAgronomy

/// Disease-risk models against the published rule tables in `pest_disease_rules_published.json`: the revised Mills
/// table row by row, the Gubler–Thomas daily points and bounds, and the Broome et al. (1995) equation evaluated by hand.
@Suite("Disease risk: Mills, Gubler–Thomas, Broome")
struct DiseaseRiskTests {
    static func rules() throws -> [String: Any] { try DegreeDayVectorTests.load("pest_disease_rules_published.json") }

    static func celsius(_ f: Double) -> Double { TemperatureScale.fahrenheit.convert(f, to: .celsius) }

    /// `hours` wet readings at `f` °F, framed by 10 dry hours either side.
    static func wetSpell(hours: Int, atF f: Double) -> WetnessSeries {
        let dry = [WetnessSeries.Reading](repeating: .init(temperature: celsius(f), wet: false), count: 10)
        let wet = [WetnessSeries.Reading](repeating: .init(temperature: celsius(f), wet: true), count: hours)
        return WetnessSeries(readings: dry + wet + dry)
    }

    @Test("revised Mills: every published row — the listed hours infect, one hour less does not")
    func millsRows() throws {
        let table = try #require(try Self.rules()["apple_scab_revised_mills_table"] as? [String: Any])
        let rows = try #require(table["rows_F_hours"] as? [[Any]])
        #expect(rows.count == 18)
        let mills = AppleScabMills()
        for row in rows {
            let hours = Int((row[1] as! NSNumber).doubleValue)
            let temperatures: [Double]
            if let range = row[0] as? String {  // "61-75": the whole range needs the same hours
                let ends = range.split(separator: "-").map { Double($0)! }
                temperatures = [ends[0], (ends[0] + ends[1]) / 2, ends[1]]
            } else {
                temperatures = [(row[0] as! NSNumber).doubleValue]
            }
            for f in temperatures {
                let need = try #require(mills.requiredHours(atFahrenheit: f))
                #expect(abs(need - Double(hours)) < 1e-9, "\(f) °F: \(need) h")
                let yes = try mills.infectionPeriods(Self.wetSpell(hours: hours, atF: f))
                let no = try mills.infectionPeriods(Self.wetSpell(hours: hours - 1, atF: f))
                #expect(yes.count == 1 && yes[0].infection && abs(yes[0].meanTemperatureF - f) < 1e-9, "\(f) °F")
                #expect(no.count == 1 && !no[0].infection, "\(f) °F")
            }
        }
    }

    @Test("revised Mills conventions: linear interpolation, outside the table no infection, conidia +2.5 h, 8-h dry gaps")
    func millsConventions() throws {
        let mills = AppleScabMills()
        // 53 °F lies between 52 °F (9 h) and 54 °F (8 h).
        #expect(abs(mills.requiredHours(atFahrenheit: 53)! - 8.5) < 1e-12)
        #expect(mills.requiredHours(atFahrenheit: 33) == nil)
        #expect(mills.requiredHours(atFahrenheit: 80) == nil)
        #expect(try mills.infectionPeriods(Self.wetSpell(hours: 100, atF: 30))[0].infection == false)
        #expect(abs(AppleScabMills(spore: .conidium).requiredHours(atFahrenheit: 50)! - 13.5) < 1e-12)
        // Two 6-h wet spells at 50 °F separated by a dry gap: a 7-h gap merges them (12 wet hours, the gap not
        // counted), an 8-h gap does not.
        let t = Self.celsius(50)
        func spell(_ gap: Int) -> WetnessSeries {
            let w = [WetnessSeries.Reading](repeating: .init(temperature: t, wet: true), count: 6)
            let d = [WetnessSeries.Reading](repeating: .init(temperature: t, wet: false), count: gap)
            return WetnessSeries(readings: w + d + w)
        }
        // At 50 °F 11 h are needed: two 6-h spells infect only when merged.
        let merged = try mills.infectionPeriods(spell(7))
        #expect(merged.count == 1 && merged[0].period.wetHours == 12 && merged[0].infection)
        let split = try mills.infectionPeriods(spell(8))
        #expect(split.count == 2 && split.allSatisfy { !$0.infection && $0.period.wetHours == 6 })
        // 15-min readings: 44 readings = 11 h.
        let quarter = WetnessSeries(readings: .init(repeating: .init(temperature: t, wet: true), count: 44), intervalHours: 0.25)
        #expect(try mills.infectionPeriods(quarter)[0].infection)
        // Wetness from RH ≥ 90 %.
        let rh = try WetnessSeries(temperatures: [10, 10, 10], relativeHumidity: [95, 80, 90])
        #expect(rh.readings.map(\.wet) == [true, false, true])
        #expect(throws: AgronomyError.self) { try WetnessSeries(temperatures: [10], relativeHumidity: [101]) }
    }

    /// A day of 24 hourly readings: `favourable` continuous hours at 25 °C (inside 70–85 °F), the rest at 15 °C,
    /// and optionally one hour at 36 °C (≥ 95 °F).
    static func day(favourable: Int, hot: Bool = false) -> [Double] {
        var d = [Double](repeating: 15, count: 24)
        for h in 8..<(8 + favourable) { d[h] = 25 }
        if hot { d[20] = 36 }
        return d
    }

    @Test("Gubler–Thomas: start after 3 favourable days, then the published daily points and 0–100 bounds")
    func gublerThomas() throws {
        let index = try #require(try Self.rules()["grape_powdery_mildew_gubler_thomas"] as? [String: Any])
        let conidial = try #require(index["conidial_index"] as? [String: Any])
        let updates = try #require(conidial["daily_update_after_start"] as? [[String: Any]])
        let points = updates.map { ($0["points"] as! NSNumber).intValue }
        #expect(points == [20, 10, -10, -10])
        let bounds = (conidial["bounds"] as! [NSNumber]).map(\.intValue)
        let (plus, plusHot, minus, minusHot) = (points[0], points[1], points[2], points[3])

        let f = Self.day(favourable: 6), fHot = Self.day(favourable: 7, hot: true)
        let u = Self.day(favourable: 5), uHot = Self.day(favourable: 2, hot: true)
        let days = [f, f, u, f, f, f, f, f, fHot, u, uHot] + Array(repeating: u, count: 10) + [f]
        let out = try PowderyMildewRisk().index(days: days)
        // Expected from the rules: a break after two favourable days resets the count; the third consecutive
        // favourable day sets 60; then +20, +20 (cap 100), +10 (hot), −10, −10 (hot), ten −10s down to 0, +20.
        var expected: [Int] = [0, 0, 0, 0, 0, 60]
        var v = 60
        for change in [plus, plus, plusHot, minus, minusHot] + Array(repeating: minus, count: 10) + [plus] {
            v = min(bounds[1], max(bounds[0], v + change))
            expected.append(v)
        }
        #expect(out.map(\.index) == expected)
        #expect(out[1].favourableHours == 6 && out[2].favourableHours == 5)
        #expect(out[8].hot && out[8].change == 10)
        #expect(out[10].hot && out[10].change == -10)
        #expect(out.last!.index == 20 && out.last!.level == .low)
        #expect(PowderyMildewRisk.level(60) == .high && PowderyMildewRisk.level(40) == .moderate)
        // 15-min readings: 23 continuous readings (5.75 h) do not make a favourable day, 24 do; one reading ≥ 35 °C is 15 min.
        var q = [Double](repeating: 15, count: 96)
        for i in 0..<23 { q[i] = 22 }
        q[50] = 35.5
        let quarter = try PowderyMildewRisk(intervalMinutes: 15).index(days: [q])
        #expect(!quarter[0].favourable && quarter[0].hot && quarter[0].hotMinutes == 15)
        q[23] = 22
        #expect(try PowderyMildewRisk(intervalMinutes: 15).index(days: [q])[0].favourable)
        // 70 and 85 °F are inside the band; 69.8 and 85.2 °F are not.
        #expect(abs(PowderyMildewRisk.favourableLow - 21.111111) < 1e-6 && abs(PowderyMildewRisk.favourableHigh - 29.444444) < 1e-6)
    }

    @Test("Broome et al. 1995 Botrytis index by hand at five (W, T) points; classes and monotonicity")
    func botrytis() throws {
        // logit = −2.647866 + 0.374927 W + 0.061601 W T − 0.001511 W T², evaluated by hand:
        // W=6, T=15: −2.647866 + 2.249562 + 5.544090 − 2.039850 = 3.105936
        // W=1, T=20: −2.647866 + 0.374927 + 1.232020 − 0.604400 = −1.645319 (none)
        // W=3, T=20: −2.647866 + 1.124781 + 3.696060 − 1.813200 = 0.359775 (low)
        // W=3.3, T=20: −2.647866 + 1.2372591 + 4.065666 − 1.99452 = 0.6605391 (moderate)
        // W=4, T=20: −2.647866 + 1.499708 + 4.928080 − 2.417600 = 1.362322 (high)
        let cases: [(Double, Double, Double, BotrytisRisk.Level)] = [
            (6, 15, 3.105936, .high), (1, 20, -1.645319, .none), (3, 20, 0.359775, .low), (3.3, 20, 0.6605391, .moderate),
            (4, 20, 1.362322, .high),
        ]
        for (w, t, logit, level) in cases {
            let r = try BotrytisRisk.index(wetHours: w, meanTemperature: t)
            #expect(abs(r.index - logit) < 1e-9, "W \(w) T \(t)")
            #expect(r.level == level)
            #expect(abs(r.infectionProbability - 1 / (1 + exp(-logit))) < 1e-12)
        }
        #expect(abs(try BotrytisRisk.index(wetHours: 0, meanTemperature: 20).infectionProbability - 0.0661206593) < 1e-9)
        for t in stride(from: 5.0, through: 30, by: 5) {
            var last = -Double.infinity
            for w in stride(from: 0.0, through: 24, by: 1) {
                let r = try BotrytisRisk.index(wetHours: w, meanTemperature: t)
                #expect(r.index > last)
                last = r.index
            }
        }
        let spell = Self.wetSpell(hours: 6, atF: 59)
        let periods = try BotrytisRisk.periods(spell)
        #expect(periods.count == 1 && periods[0].wetHours == 6 && abs(periods[0].meanTemperature - 15) < 1e-9)
        #expect(abs(periods[0].index - 3.105936) < 1e-9)
        #expect(throws: AgronomyError.self) { try BotrytisRisk.index(wetHours: -1, meanTemperature: 20) }
    }
}
