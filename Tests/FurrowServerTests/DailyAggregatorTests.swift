import Foundation
import Testing

@testable import FurrowServer

@Suite("Daily aggregation of station series")
struct DailyAggregatorTests {
    static let hour: Int64 = 3_600_000_000

    /// Hourly samples from `start` (µs) with values from `value(i)`.
    func hourly(from start: Int64, count: Int, _ value: (Int) -> Double) -> ([Int64], [Double]) {
        ((0..<count).map { start + Int64($0) * Self.hour }, (0..<count).map(value))
    }

    @Test("local days follow the time zone; the DST days last 23 and 25 hours")
    func dstDays() throws {
        let zone = try #require(TimeZone(identifier: "Europe/Madrid"))
        let spring = try #require(LocalDay.days(from: "2025-03-29", through: "2025-03-31", timeZone: zone))
        #expect(spring.map(\.date) == ["2025-03-29", "2025-03-30", "2025-03-31"])
        #expect(spring.map { $0.seconds / 3600 } == [24, 23, 24])
        // 2025-03-30 00:00 CET is 2025-03-29T23:00Z.
        #expect(spring[1].start == 1_743_289_200_000_000)
        #expect(spring[0].end == spring[1].start && spring[1].end == spring[2].start)
        let autumn = try #require(LocalDay.days(from: "2025-10-26", through: "2025-10-26", timeZone: zone))
        #expect(autumn[0].seconds == 25 * 3600)
        #expect(autumn[0].dayOfYear == 299)
        let utc = try #require(LocalDay.days(from: "2024-02-28", through: "2024-03-01", timeZone: TimeZone(identifier: "UTC")!))
        #expect(utc.map(\.date) == ["2024-02-28", "2024-02-29", "2024-03-01"])
        #expect(LocalDay.days(from: "2025-02-30", through: "2025-03-01", timeZone: zone) == nil)
    }

    @Test("hourly samples cover a 23-hour DST day fully; the same samples in UTC days split differently")
    func dstCoverage() throws {
        let zone = try #require(TimeZone(identifier: "Europe/Madrid"))
        let days = try #require(LocalDay.days(from: "2025-03-30", through: "2025-03-30", timeZone: zone))
        let (t, v) = hourly(from: days[0].start, count: 23) { Double($0) }
        let stats = DailyAggregator(days: days).aggregate(times: t, values: v, quantity: .temperature, input: "temperature")
        #expect(stats[0].count == 23)
        #expect(abs(stats[0].coverage - 1) < 1e-12)
        #expect(stats[0].maximum == 22 && stats[0].minimum == 0)
        let utcDays = try #require(LocalDay.days(from: "2025-03-29", through: "2025-03-30", timeZone: TimeZone(identifier: "UTC")!))
        let split = DailyAggregator(days: utcDays).aggregate(times: t, values: v, quantity: .temperature, input: "temperature")
        #expect(split.map(\.count) == [1, 22])
        #expect(abs(split[0].coverage - 1.0 / 24) < 1e-12 && abs(split[1].coverage - 22.0 / 24) < 1e-12)
    }

    @Test("a gap lowers the coverage by exactly its length; nothing is interpolated")
    func gaps() throws {
        let days = try #require(LocalDay.days(from: "2025-06-01", through: "2025-06-01", timeZone: TimeZone(identifier: "UTC")!))
        var (t, v) = hourly(from: days[0].start, count: 24) { 20 + Double($0 % 12) }
        t.removeSubrange(6..<14)
        v.removeSubrange(6..<14)
        let s = DailyAggregator(days: days).aggregate(times: t, values: v, quantity: .temperature, input: "temperature")[0]
        #expect(s.count == 16)
        #expect(abs(s.coverage - 16.0 / 24) < 1e-12)
        // 10-minute data: the nominal interval is 10 min, so 6 samples cover one hour.
        let (t10, v10) = ((0..<6).map { days[0].start + Int64($0) * 600_000_000 }, [Double](repeating: 5, count: 6))
        let s10 = DailyAggregator(days: days).aggregate(times: t10, values: v10, quantity: .rain, input: "rain")[0]
        #expect(abs(s10.coverage - 1.0 / 24) < 1e-12)
        #expect(s10.sum == 30)
        let empty = DailyAggregator(days: days).aggregate(times: [], values: [], quantity: .rain, input: "rain")[0]
        #expect(empty.coverage == 0 && empty.mean == nil && empty.count == 0)
    }

    @Test("RH above 100 %, VWC above 100 %, negative radiation and NaN are excluded with the reason")
    func impossibleValues() throws {
        let days = try #require(LocalDay.days(from: "2025-06-01", through: "2025-06-01", timeZone: TimeZone(identifier: "UTC")!))
        let aggregator = DailyAggregator(days: days)
        let (t, rh) = hourly(from: days[0].start, count: 24) { $0 == 5 ? 104.5 : 60 }
        let s = aggregator.aggregate(times: t, values: rh, quantity: .relativeHumidity, input: "relativeHumidity")[0]
        #expect(s.count == 23 && s.maximum == 60)
        #expect(abs(s.coverage - 23.0 / 24) < 1e-12)
        #expect(s.flags.map(\.reason) == ["out-of-range"])
        #expect(s.flags[0].count == 1 && s.flags[0].detail.contains("104.5"))
        let (_, vwc) = hourly(from: days[0].start, count: 24) { $0 == 3 ? 131 : 25 }
        let sv = aggregator.aggregate(times: t, values: vwc, quantity: .moisturePercent, input: "probe:0.35")[0]
        #expect(sv.flags.first?.reason == "out-of-range" && sv.maximum == 25)
        let (_, rs) = hourly(from: days[0].start, count: 24) { $0 == 1 ? -30 : ($0 == 2 ? .nan : 100) }
        let sr = aggregator.aggregate(times: t, values: rs, quantity: .solarRadiation, input: "solarRadiation")[0]
        #expect(sr.count == 22 && sr.flags.first?.count == 2 && sr.minimum == 100)
    }

    @Test("a lone jump is a spike; a step change and a sustained rise are not")
    func spikes() throws {
        let days = try #require(LocalDay.days(from: "2025-06-01", through: "2025-06-01", timeZone: TimeZone(identifier: "UTC")!))
        let aggregator = DailyAggregator(days: days)
        let (t, temp) = hourly(from: days[0].start, count: 24) { $0 == 3 ? 12 + 28 : 12 + Double($0) * 0.5 }
        let s = aggregator.aggregate(times: t, values: temp, quantity: .temperature, input: "temperature")[0]
        #expect(s.flags.map(\.reason) == ["spike"])
        #expect(s.maximum == 12 + 23 * 0.5)
        // Irrigation wets the soil in one step and it stays wet: no spike.
        let (_, vwc) = hourly(from: days[0].start, count: 24) { $0 < 10 ? 18 : 36 }
        let sv = aggregator.aggregate(times: t, values: vwc, quantity: .moisturePercent, input: "probe:0.15")[0]
        #expect(sv.flags.isEmpty && sv.count == 24)
    }

    @Test("means are time-weighted, so irregular samples do not bias them")
    func timeWeighted() throws {
        let days = try #require(LocalDay.days(from: "2025-06-01", through: "2025-06-01", timeZone: TimeZone(identifier: "UTC")!))
        // Hourly 10, except a burst of five 10-minute samples of 40 in hour 12 (the series' interval is 1 h).
        var t = (0..<24).map { days[0].start + Int64($0) * Self.hour }
        var v = [Double](repeating: 10, count: 24)
        for k in 1..<6 {
            t.append(days[0].start + 12 * Self.hour + Int64(k) * 600_000_000)
            v.append(40)
        }
        let order = t.indices.sorted { t[$0] < t[$1] }
        let s = DailyAggregator(days: days).aggregate(
            times: order.map { t[$0] }, values: order.map { v[$0] }, quantity: .solarRadiation, input: "solarRadiation")[0]
        #expect(abs(s.coverage - 1) < 1e-12)
        // 23 h at 10 + 10 min at 10 + 50 min at 40 → mean 10 + 30 × (50/60)/24.
        #expect(abs((s.mean ?? 0) - (10 + 30 * (50.0 / 60) / 24)) < 1e-9)
    }

    @Test("a field's irrigation settings are validated with the parameter at fault")
    func settingsValidation() throws {
        func refused(_ s: IrrigationSettings, crop: String? = "maize") -> String? {
            do {
                try s.validate(crop: crop)
                return nil
            } catch {
                return error.parameter
            }
        }
        var s = IrrigationSettings()
        #expect(refused(s) == nil)
        #expect(refused(s, crop: "vine") == "irrigation.stages")
        s.soil = .init(fieldCapacity: 0.2, wiltingPoint: 0.25)
        #expect(refused(s) == "irrigation.soil.wiltingPoint")
        s.soil = try JSONDecoder().decode(IrrigationSettings.Soil.self, from: Data(#"{"texture": "loam"}"#.utf8))
        s.efficiency = 1.2
        #expect(refused(s) == "irrigation.efficiency")
        s.efficiency = 0.8
        s.weather = .init(tMax: SeriesReference(source: "ws", channel: "tmax"))
        #expect(refused(s) == "irrigation.weather.tMin")
        s.weather = .init(temperature: SeriesReference(group: "air"))
        #expect(refused(s) == "irrigation.weather.temperature")
        s.weather = .init(temperature: SeriesReference(source: "ws", channel: "t"))
        s.probes = [.init(depth: 0.3, series: .init(series: 4)), .init(depth: 0.3, series: .init(series: 5))]
        #expect(refused(s) == "irrigation.probes[1].depth")
        s.probes = nil
        s.flowMeter = .init(series: .init(series: 9), kind: "volume", unit: "acre-ft")
        #expect(refused(s) == "irrigation.flowMeter.unit")
        s.flowMeter?.unit = "L"
        #expect(refused(s) == nil)
    }
}
