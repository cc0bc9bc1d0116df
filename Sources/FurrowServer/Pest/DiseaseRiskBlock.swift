import Foundation
import FurrowAgronomy
import FurrowStore

/// Disease risk of a field over local days — Gubler–Thomas powdery mildew index, revised Mills apple scab
/// infection periods and the Broome Botrytis index — from hourly means of its temperature and wetness series,
/// with the inputs used recorded next to the answer.
///
/// Hourly values: the mean of the valid samples in each clock hour (temperature −60…60 °C; humidity 0…100 %).
/// An hour without temperature counts as unfavourable (breaks the 70–85 °F run) and as dry. Wet: leaf wetness
/// ≥ 0.5 (sensors reporting 0…1) or ≥ 50 (sensors reporting percent of the interval wet); without a wetness
/// series, relative humidity ≥ 90 % (a documented approximation).
struct DiseaseRiskBlock {
    var powderyMildew: [PowderyMildewRisk.Day]?
    var document: JSONValue

    init(
        days: [LocalDay], temperature: (times: [Int64], values: [Double])?, wetness: (times: [Int64], values: [Double])?,
        humidity: (times: [Int64], values: [Double])?, calendar: Calendar
    ) throws {
        guard let temperature, !temperature.times.isEmpty, let first = days.first, let last = days.last else {
            powderyMildew = nil
            document = .object(["status": .string("not-configured"), "detail": .string("disease risk needs an hourly (or finer) temperature series: properties.pest.weather.temperature")])
            return
        }
        let hour: Int64 = 3_600_000_000
        let start = first.start
        let hours = Int((last.end - start) / hour)
        func hourly(_ s: (times: [Int64], values: [Double]), _ range: ClosedRange<Double>) -> [Double?] {
            var sum = [Double](repeating: 0, count: hours)
            var n = [Int](repeating: 0, count: hours)
            for (t, v) in zip(s.times, s.values) where t >= start && v.isFinite && range.contains(v) {
                let k = Int((t - start) / hour)
                if k < hours { sum[k] += v; n[k] += 1 }
            }
            return (0..<hours).map { n[$0] > 0 ? sum[$0] / Double(n[$0]) : nil }
        }
        let t = hourly(temperature, -60...60)
        let wet: [Bool]
        let wetSource: String
        if let wetness, !wetness.times.isEmpty {
            let percent = wetness.values.contains { $0 > 1 }
            let w = hourly(wetness, 0...100)
            wet = w.map { ($0 ?? 0) >= (percent ? 50 : 0.5) }
            wetSource = "leaf-wetness sensor (wet when the hour's mean ≥ \(percent ? "50 %" : "0.5"))"
        } else if let humidity, !humidity.times.isEmpty {
            wet = hourly(humidity, 0...100).map { ($0 ?? 0) >= 90 }
            wetSource = "relative humidity ≥ 90 % (approximation: no leaf-wetness series)"
        } else {
            wet = []
            wetSource = "none"
        }
        // Powdery mildew per local day (DST days have 23 or 25 hours).
        var dayHours: [[Double]] = []
        for d in days {
            let a = Int((d.start - start) / hour)
            let b = min(Int((d.end - start) / hour), hours)
            dayHours.append((a..<max(a, b)).map { t[$0] ?? 0 })
        }
        let pm = try PowderyMildewRisk(intervalMinutes: 60).index(days: dayHours)
        powderyMildew = pm
        var out: [String: JSONValue] = [
            "status": .string("ok"),
            "inputs": .object([
                "temperature": .string("hourly means of the temperature series; \(t.compactMap { $0 }.count) of \(hours) hours have a value"),
                "wetness": .string(wetSource),
            ]),
            "powderyMildew": .object([
                "model": .string("Gubler–Thomas (UC Davis) risk index; 0–30 low, 40–50 moderate, 60–100 high"),
                "days": .array(zip(days, pm).map { d, r in
                    .object(["date": .string(d.date), "index": .number(Double(r.index)), "level": .string(r.level.rawValue),
                             "favourableHours": .number(r.favourableHours), "hotMinutes": .number(r.hotMinutes), "started": .bool(r.started)])
                }),
            ]),
        ]
        guard !wet.isEmpty else {
            out["appleScab"] = .object(["status": .string("not-configured"), "detail": .string("needs properties.pest.weather.leafWetness or relativeHumidity")])
            out["botrytis"] = out["appleScab"]
            document = .object(out)
            return
        }
        let series = WetnessSeries(
            readings: (0..<hours).map { WetnessSeries.Reading(temperature: t[$0] ?? 0, wet: wet[$0] && t[$0] != nil) }, intervalHours: 1)
        func time(_ k: Int) -> JSONValue { .string(StoreTime.format(start + Int64(k) * hour)) }
        let scab = try AppleScabMills().infectionPeriods(series)
        out["appleScab"] = .object([
            "model": .string("revised Mills table (MacHardy & Gadoury 1989), ascospores; dry gaps < 8 h do not end a wet period"),
            "periods": .array(scab.map { p in
                .object(["start": time(p.period.first), "end": time(p.period.last + 1), "wetHours": .number(p.period.wetHours),
                         "meanTemperatureF": .number(p.meanTemperatureF), "requiredHours": p.requiredHours.map { .number($0) } ?? .null,
                         "infection": .bool(p.infection)])
            }),
        ])
        var botrytis: [JSONValue] = []
        for p in try series.periods(mergeDryGapHours: 4) {
            let r = try BotrytisRisk.index(wetHours: p.wetHours, meanTemperature: p.meanTemperature)
            botrytis.append(.object([
                "start": time(p.first), "end": time(p.last + 1), "wetHours": .number(r.wetHours), "meanTemperature": .number(r.meanTemperature),
                "index": .number(r.index), "infectionProbability": .number(r.infectionProbability), "level": .string(r.level.rawValue),
            ]))
        }
        out["botrytis"] = .object([
            "model": .string("Broome et al. (1995) logit; dry gaps < 4 h do not end a wet period; classes < 0.5 low, 0.5–1 moderate, ≥ 1 high are vendor cut-offs (unverified)"),
            "periods": .array(botrytis),
        ])
        document = .object(out)
    }
}
