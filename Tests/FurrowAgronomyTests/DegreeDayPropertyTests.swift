import Foundation
import Testing

@testable import FurrowAgronomy

/// A small seeded generator (SplitMix64) so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Invariants of the degree-day methods on random days (seeded): non-negative, cutoffs ordered, bounded by the
/// threshold span, monotone in the thresholds, exact °F ↔ °C scaling.
@Suite("Degree-day properties")
struct DegreeDayPropertyTests {
    static func randomDays(_ count: Int, seed: UInt64) -> [(tMin: Double, tMax: Double, next: Double)] {
        var g = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let tMin = Double.random(in: 20...100, using: &g)
            let tMax = tMin + Double.random(in: 0...45, using: &g)
            let next = Double.random(in: 20...tMax, using: &g)
            return (tMin, tMax, next)
        }
    }

    @Test("DD ≥ 0 and vertical ≤ intermediate ≤ horizontal ≤ TU − TL, horizontal ≤ no upper threshold", arguments: [
        DegreeDays.Method.singleSine, .doubleSine, .singleTriangle, .doubleTriangle,
    ])
    func cutoffsOrdered(_ method: DegreeDays.Method) throws {
        for d in Self.randomDays(2000, seed: 7) {
            func dd(_ cutoff: DegreeDays.Cutoff, upper: Double? = 88) throws -> Double {
                try DegreeDays(lower: 50, upper: upper, scale: .fahrenheit, method: method, cutoff: cutoff)
                    .daily(tMin: d.tMin, tMax: d.tMax, nextTMin: d.next)
            }
            let h = try dd(.horizontal), v = try dd(.vertical), i = try dd(.intermediate), open = try dd(.horizontal, upper: nil)
            #expect(v >= 0 && i >= 0 && h >= 0)
            #expect(v <= i + 1e-12 && i <= h + 1e-12, "\(d): v \(v) i \(i) h \(h)")
            #expect(h <= 38 + 1e-12)
            #expect(h <= open + 1e-12)
            // Entirely between the thresholds all methods give the mean minus TL.
            if d.tMin >= 50 && d.tMax <= 88 && (method == .singleSine || method == .singleTriangle) {
                #expect(abs(h - ((d.tMin + d.tMax) / 2 - 50)) < 1e-9)
            }
        }
    }

    @Test("raising the lower threshold never increases DD; °C with exactly converted thresholds = °F × 5/9")
    func monotoneAndScaled() throws {
        for method in DegreeDays.Method.allCases {
            for d in Self.randomDays(500, seed: 11) {
                let low = DegreeDays(lower: 45, upper: 90, scale: .fahrenheit, method: method)
                let high = DegreeDays(lower: 55, upper: 90, scale: .fahrenheit, method: method)
                let a = try low.daily(tMin: d.tMin, tMax: d.tMax, nextTMin: d.next)
                let b = try high.daily(tMin: d.tMin, tMax: d.tMax, nextTMin: d.next)
                #expect(b <= a + 1e-12)
                let c = try low.converted(to: .celsius).daily(
                    tMin: TemperatureScale.fahrenheit.convert(d.tMin, to: .celsius),
                    tMax: TemperatureScale.fahrenheit.convert(d.tMax, to: .celsius),
                    nextTMin: TemperatureScale.fahrenheit.convert(d.next, to: .celsius))
                #expect(abs(c - a * 5 / 9) < 1e-9, "\(method) \(d)")
            }
        }
    }

    @Test("the accumulation is non-decreasing, 0 before the biofix, and its total is the sum from the biofix")
    func accumulation() throws {
        let days = Self.randomDays(120, seed: 3).enumerated().map { DailyTemperature(date: "d\($0.offset)", tMin: $0.element.tMin, tMax: $0.element.tMax) }
        let settings = DegreeDays(lower: 50, upper: 88, scale: .fahrenheit, method: .doubleSine, cutoff: .intermediate)
        let acc = try DegreeDayAccumulation(days, settings: settings, biofixIndex: 30)
        #expect(acc.days[..<30].allSatisfy { $0.cumulative == 0 })
        for i in 31..<days.count { #expect(acc.days[i].cumulative >= acc.days[i - 1].cumulative) }
        let daily = try settings.series(days)
        #expect(abs(acc.total - daily[30...].reduce(0, +)) < 1e-9)
        #expect(acc.reached([PestModel.Milestone("never", 1e9)])[0].date == nil)
    }

    @Test("bad input is rejected with the field named")
    func rejects() {
        let dd = DegreeDays(lower: 50, upper: 88, scale: .fahrenheit)
        #expect(throws: AgronomyError.self) { try dd.daily(tMin: 80, tMax: 60) }
        #expect(throws: AgronomyError.self) { try dd.daily(tMin: .nan, tMax: 60) }
        #expect(throws: AgronomyError.self) {
            try DegreeDays(lower: 50, upper: 40, scale: .fahrenheit).daily(tMin: 50, tMax: 60)
        }
        #expect(throws: AgronomyError.self) {
            try DegreeDays(lower: 50, upper: nil, scale: .fahrenheit, cutoff: .vertical).daily(tMin: 50, tMax: 60)
        }
        do {
            _ = try dd.series([DailyTemperature(tMin: 50, tMax: 60), DailyTemperature(tMin: 70, tMax: 65)])
            Issue.record("expected an error")
        } catch {
            #expect(error.field == "days[1].tmin")
        }
        #expect(throws: AgronomyError.self) {
            try DegreeDayAccumulation([DailyTemperature(date: "a", tMin: 50, tMax: 60)], settings: dd, biofix: "b")
        }
        do {
            _ = try DegreeDays(lower: 50, upper: 40, scale: .fahrenheit).series([DailyTemperature(tMin: 50, tMax: 60)])
            Issue.record("expected an error")
        } catch {
            #expect(error.field == "upper")
        }
    }
}
