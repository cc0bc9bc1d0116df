import Testing

@testable import FurrowAgronomy

/// A small deterministic generator for the property tests (SplitMix64).
struct Mix64: RandomNumberGenerator {
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

@Suite("FAO-56 chapter 8 water balance")
struct WaterBalanceTests {
    static let loam = SoilWater(fieldCapacity: 0.30, wiltingPoint: 0.15)
    static let flat = CropCoefficientCurve(
        stages: CropStages(initial: 1, development: 1, midSeason: 10, late: 1), kcIni: 1, kcMid: 1, kcEnd: 1)

    @Test("three hand-computed days: stress, a soaking rain with deep percolation, an irrigation at 80 % efficiency")
    func handComputed() throws {
        let config = WaterBalance.Configuration(
            soil: Self.loam, rootDepth: .constant(1.0), coefficients: .single(Self.flat),
            depletionFraction: .constant(0.5), initialState: .depletion(100))
        let days = try WaterBalance(config).run([
            .init(et0: 5), .init(et0: 5, rain: 120), .init(et0: 5, irrigation: 20, irrigationEfficiency: 0.8),
        ])
        // Day 0: TAW 150, RAW 75, Ks = 50/75.
        #expect(abs(days[0].taw - 150) < 1e-9)
        #expect(abs(days[0].ks - 2.0 / 3) < 1e-12)
        #expect(abs(days[0].etcAdj - 10.0 / 3) < 1e-12)
        #expect(abs(days[0].depletion - (100 + 10.0 / 3)) < 1e-9)
        // Day 1: Ks from the start-of-day Dr 103.33; DP = 120 − 3.111 − 103.333.
        #expect(abs(days[1].ks - (150 - (100 + 10.0 / 3)) / 75) < 1e-12)
        #expect(abs(days[1].deepPercolation - (120 - days[1].etcAdj - (100 + 10.0 / 3))) < 1e-9)
        #expect(days[1].depletion == 0)
        // Day 2: net 16 mm, ETc 5, DP 11.
        #expect(abs(days[2].irrigationNet - 16) < 1e-12)
        #expect(abs(days[2].deepPercolation - 11) < 1e-12)
        #expect(days[2].depletion == 0)
    }

    @Test("p follows ETc: p = p_table + 0.04 (5 − ETc), limited to 0.1…0.8")
    func adjustedP() throws {
        let config = WaterBalance.Configuration(
            soil: Self.loam, rootDepth: .constant(1.0), coefficients: .single(Self.flat),
            depletionFraction: .etcAdjusted(base: 0.5))
        let days = try WaterBalance(config).run([.init(et0: 8), .init(et0: 2), .init(et0: 0), .init(et0: 25)])
        #expect(abs(days[0].p - 0.38) < 1e-12)
        #expect(abs(days[1].p - 0.62) < 1e-12)
        #expect(abs(days[2].p - 0.70) < 1e-12)
        #expect(days[3].p == 0.1)
    }

    @Test("growing roots follow the Kc curve from Zr,ini to Zr,max and TAW grows with them")
    func rootGrowth() throws {
        let curve = CropCoefficientCurve(
            stages: CropStages(initial: 10, development: 20, midSeason: 10, late: 10), kcIni: 0.3, kcMid: 1.2,
            kcEnd: 0.4)
        let config = WaterBalance.Configuration(
            soil: Self.loam, rootDepth: .growing(initial: 0.2, maximum: 1.2), coefficients: .single(curve),
            depletionFraction: .constant(0.5))
        let days = try WaterBalance(config).run(Array(repeating: .init(et0: 4, rain: 2), count: 60))
        #expect(days[10].rootDepth == 0.2)
        #expect(abs(days[20].rootDepth - 0.7) < 1e-12)
        #expect(abs(days[30].rootDepth - 1.2) < 1e-12)
        #expect(days[55].rootDepth == 1.2)  // never shrinks in the late season
        #expect(abs(days[20].taw - 1000 * 0.15 * 0.7) < 1e-9)
    }

    @Test("auto-irrigation refills to field capacity the day start-of-day Dr/TAW passes MAD")
    func autoIrrigation() throws {
        var config = WaterBalance.Configuration(
            soil: Self.loam, rootDepth: .constant(0.5), coefficients: .single(Self.flat),
            depletionFraction: .constant(0.6))
        config.autoIrrigation = .init(managementAllowedDepletion: 0.4, efficiency: 0.8)
        let days = try WaterBalance(config).run(Array(repeating: .init(et0: 6), count: 20))
        let first = try #require(days.firstIndex { $0.autoIrrigated })
        #expect(days[first].depletionStart / days[first].taw > 0.4)
        #expect(days[first - 1].depletionStart / days[first - 1].taw <= 0.4)
        #expect(abs(days[first].irrigationNet - days[first].depletionStart) < 1e-9)
        #expect(abs(days[first].irrigationGross * 0.8 - days[first].irrigationNet) < 1e-9)
    }

    @Test("curve-number runoff needs the dual model; impossible soils and inputs are refused with their field")
    func refusals() {
        let single = WaterBalance.Configuration(
            soil: Self.loam, rootDepth: .constant(1), coefficients: .single(Self.flat),
            depletionFraction: .constant(0.5), runoff: .curveNumber(75))
        #expect(throws: AgronomyError.self) { try WaterBalance(single).run([.init(et0: 3)]) }
        let badSoil = WaterBalance.Configuration(
            soil: SoilWater(fieldCapacity: 0.1, wiltingPoint: 0.2), rootDepth: .constant(1),
            coefficients: .single(Self.flat), depletionFraction: .constant(0.5))
        do {
            _ = try WaterBalance(badSoil).run([.init(et0: 3)])
            Issue.record("θWP above θFC accepted")
        } catch {
            #expect(error.code == .inconsistent)
            #expect(error.field == "theta_wp")
        }
        let ok = WaterBalance.Configuration(
            soil: Self.loam, rootDepth: .constant(1), coefficients: .single(Self.flat), depletionFraction: .constant(0.5))
        do {
            _ = try WaterBalance(ok).run([.init(et0: 3), .init(et0: 3, rain: -1)])
            Issue.record("negative rain accepted")
        } catch {
            #expect(error.field == "days[1].rain")
        }
    }

    /// Random seasons, single and dual, growing roots, random rain and irrigation.
    static func randomSeason(seed: UInt64, dual: Bool) throws -> [WaterBalance.Day] {
        var rng = Mix64(seed: seed)
        let fc = Double.random(in: 0.15...0.4, using: &rng)
        let soil = SoilWater(fieldCapacity: fc, wiltingPoint: fc * Double.random(in: 0.3...0.7, using: &rng))
        let curve = CropCoefficientCurve(
            stages: CropStages(initial: Int.random(in: 5...30, using: &rng), development: Int.random(in: 10...40, using: &rng),
                               midSeason: Int.random(in: 20...60, using: &rng), late: Int.random(in: 10...40, using: &rng)),
            kcIni: Double.random(in: 0.15...0.7, using: &rng), kcMid: Double.random(in: 0.8...1.25, using: &rng),
            kcEnd: Double.random(in: 0.2...1.0, using: &rng))
        let coefficients: WaterBalance.Coefficients = dual
            ? .dual(.init(basal: curve, initialHeight: 0.1, maximumHeight: Double.random(in: 0.3...2.5, using: &rng),
                          evaporationLayerDepth: 0.1, readilyEvaporableWater: 8))
            : .single(curve)
        let zMax = Double.random(in: 0.3...1.5, using: &rng)
        let config = WaterBalance.Configuration(
            soil: soil, rootDepth: .growing(initial: min(0.1, zMax), maximum: zMax), coefficients: coefficients,
            depletionFraction: .etcAdjusted(base: Double.random(in: 0.3...0.65, using: &rng)),
            initialState: .theta(soil.wiltingPoint + (fc - soil.wiltingPoint) * Double.random(in: 0...1, using: &rng)),
            runoff: dual ? .curveNumber(Double.random(in: 60...90, using: &rng)) : .none)
        let inputs = (0..<150).map { _ in
            WaterBalance.DayInput(
                et0: Double.random(in: 0...11, using: &rng),
                rain: Double.random(in: 0...1, using: &rng) < 0.2 ? Double.random(in: 0...60, using: &rng) : 0,
                irrigation: Double.random(in: 0...1, using: &rng) < 0.1 ? Double.random(in: 5...50, using: &rng) : 0,
                irrigationEfficiency: Double.random(in: 0.6...1, using: &rng),
                wettedFraction: Double.random(in: 0.3...1, using: &rng),
                u2: Double.random(in: 0.5...7, using: &rng), rhMin: Double.random(in: 10...95, using: &rng))
        }
        return try WaterBalance(config).run(inputs)
    }

    @Test("invariants on 200 random seasons: 0 ≤ Dr ≤ TAW, Ks ∈ [0, 1], DP ≥ 0, the balance closes every day",
          arguments: [false, true])
    func invariants(dual: Bool) throws {
        var stressedDays = 0, percolationDays = 0
        for seed in 0..<100 as Range<UInt64> {
            let days = try Self.randomSeason(seed: seed * 2 + (dual ? 1 : 0), dual: dual)
            var previous: Double?
            for d in days {
                #expect(d.depletion >= 0 && d.depletion <= d.taw + 1e-9)
                #expect(d.ks >= 0 && d.ks <= 1)
                #expect(d.deepPercolation >= 0 && d.runoff >= 0 && d.runoff <= d.rain)
                #expect(d.etcAdj <= d.etc + 1e-12)
                if let previous { #expect(d.depletionStart == previous) }
                let closes = d.depletionStart - d.effectiveRain - d.irrigationNet + d.etcAdj + d.deepPercolation
                    - d.unmetDemand
                #expect(abs(closes - d.depletion) < 1e-9, "day \(d.day)")
                previous = d.depletion
                if d.ks < 1 { stressedDays += 1 }
                if d.deepPercolation > 0 { percolationDays += 1 }
            }
        }
        // The generator must exercise both branches, or the invariants above prove little.
        #expect(stressedDays > 100)
        #expect(percolationDays > 100)
    }
}
