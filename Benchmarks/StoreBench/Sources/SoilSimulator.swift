import Foundation
import FurrowStore

/// Weather shared by every node: a day-to-day temperature anomaly, rain events, and each field's irrigation.
struct Weather: Sendable {
    /// °C anomaly at each midnight (linearly interpolated between days).
    let anomaly: [Double]
    /// (time in s from the first midnight, mm) of rain.
    let rain: [(at: Double, millimetres: Double)]
    /// Irrigation start times per field (s from the first midnight), 3 h each.
    let irrigation: [[Double]]

    init(seed: UInt64, days: Int) {
        var rng = SplitMix64(seed: seed, stream: 0x5745_4154)
        var a = [0.0]
        for _ in 0...days { a.append(Swift.max(-6, Swift.min(6, a.last! * 0.8 + 1.1 * rng.gaussian()))) }
        anomaly = a
        var rain: [(Double, Double)] = []
        for day in 0..<days where rng.chance(0.12) {
            rain.append(((Double(day) + rng.uniform(0.1...0.9)) * 86_400, rng.uniform(4...22)))
        }
        self.rain = rain
        irrigation = (0..<4).map { field in
            var times: [Double] = []
            var day = Double(field) + 1
            while day < Double(days) {
                times.append((day + 20.0 / 24) * 86_400)  // 20:00 UTC
                day += Double(rng.integer(3...5))
            }
            return times
        }
    }

    func temperatureAnomaly(_ seconds: Double) -> Double {
        let d = seconds / 86_400
        let i = Swift.min(Int(d), anomaly.count - 2)
        let w = d - Double(i)
        return anomaly[i] * (1 - w) + anomaly[i + 1] * w
    }
}

/// One soil-moisture node on a LoRaWAN network: an uplink every 5, 10 or 15 min (by node) from a drifting
/// clock, received 0.2-4 s late, about 8 % lost; nine readings per uplink, each with a fixed resolution as the
/// payload decoder prints them (`"23.4"` parsed, i.e. `Double(k) / 10^e`).
///
/// | channel | unit | resolution |
/// |---|---|---|
/// | vwc_10, vwc_30, vwc_60 | % (volumetric water content at 10/30/60 cm) | 0.1 |
/// | temp_10, temp_30 | °C | 0.01 |
/// | ec_10, ec_30 | dS/m | 0.001 |
/// | battery | V | 0.001 |
/// | rssi | dBm | 1 (int) |
struct SoilSimulator {
    let node: Int
    let days: Int
    let seed: UInt64
    let weather: Weather

    init(node: Int, options: BenchOptions, weather: Weather) {
        self.node = node
        self.days = options.days
        self.seed = options.seed
        self.weather = weather
    }

    static let channels: [StoreChannel] = [
        StoreChannel(name: "vwc_10", valueType: .float64, unit: "%", decimalExponent: 1),
        StoreChannel(name: "vwc_30", valueType: .float64, unit: "%", decimalExponent: 1),
        StoreChannel(name: "vwc_60", valueType: .float64, unit: "%", decimalExponent: 1),
        StoreChannel(name: "temp_10", valueType: .float64, unit: "°C", decimalExponent: 2),
        StoreChannel(name: "temp_30", valueType: .float64, unit: "°C", decimalExponent: 2),
        StoreChannel(name: "ec_10", valueType: .float64, unit: "dS/m", decimalExponent: 3),
        StoreChannel(name: "ec_30", valueType: .float64, unit: "dS/m", decimalExponent: 3),
        StoreChannel(name: "battery", valueType: .float64, unit: "V", decimalExponent: 3),
        StoreChannel(name: "rssi", valueType: .int64, unit: "dBm"),
    ]

    var key: StoreGroupKey {
        StoreGroupKey(
            project: Dataset.project, source: "lora:70b3d57ed005\(String(0x1000 + node, radix: 16))", name: "SOIL",
            tags: ["field": "f\(node % 4 + 1)", "node": "soil-\(node + 1)"])
    }

    func generate() -> BenchGroup {
        var rng = SplitMix64(seed: seed, stream: 0x534F_494C_0000 + UInt64(node))
        let interval = [300.0, 600.0, 900.0][node % 3] * (1 + rng.uniform(-40e-6...40e-6))
        let phase = rng.uniform(0...interval)
        let end = Double(days) * 86_400
        let field = node % 4

        // Soil water at three depths, simulated minute by minute; rain and irrigation enter at the top and
        // reach 30 and 60 cm hours later.
        var vwc = [rng.uniform(22...30), rng.uniform(26...32), rng.uniform(29...34)]
        let wilting = [11.0, 14.0, 18.0]
        let saturation = [44.0, 42.0, 40.0]
        let drying = [0.018, 0.007, 0.0025]  // per hour, scaled by evaporative demand
        let lags = [0.0, 3 * 3600.0, 8 * 3600.0]
        let shares = [1.0, 0.45, 0.18]
        var inputs: [(at: Double, millimetres: Double)] = weather.rain
        inputs += weather.irrigation[field].map { ($0, 12.0) }
        let temperatureBase = 17 + 0.8 * rng.gaussian()
        let batteryBase = 3.92 + 0.05 * rng.gaussian()
        let rssiBase = -92.0 + Double(rng.integer(-10...10))
        let ecBase = 0.30 + 0.05 * rng.unit()

        var timestamps: [Int64] = []
        var out = [[Double]](repeating: [], count: 8)
        var rssi = [Int64]()
        var simulated = 0.0
        var k = 0.0
        while true {
            let nominal = phase + k * interval
            k += 1
            if nominal >= end { break }
            let received = nominal + rng.uniform(0.2...4.0)
            if rng.chance(0.08) || received >= end { continue }
            // Advance the water model to `received`, one minute at a time.
            while simulated + 60 <= received {
                let hour = (simulated / 3600 + 0.77).truncatingRemainder(dividingBy: 24)
                let demand = 0.25 + 1.5 * Swift.max(0, sin(2 * .pi * (hour - 6) / 24))
                for d in 0..<3 {
                    vwc[d] -= (vwc[d] - wilting[d]) * drying[d] / 60 * demand
                    for input in inputs {
                        let arrival = input.at + lags[d]
                        // Water arrives over an hour (rain) or three (irrigation).
                        let span = 3 * 3600.0
                        if simulated + 60 > arrival && simulated < arrival + span {
                            vwc[d] += input.millimetres * 0.9 * shares[d] * 60 / span
                        }
                    }
                    vwc[d] = Swift.min(saturation[d], vwc[d])
                }
                simulated += 60
            }
            let hour = (received / 3600 + 0.77).truncatingRemainder(dividingBy: 24)
            let anomaly = weather.temperatureAnomaly(received)
            let t10 = temperatureBase + anomaly + 6.5 * sin(2 * .pi * (hour - 9) / 24) + 0.03 * rng.gaussian()
            let t30 = temperatureBase + 0.6 * anomaly + 2.2 * sin(2 * .pi * (hour - 13) / 24) + 0.02 * rng.gaussian()
            let sun = Swift.max(0, sin(2 * .pi * (hour - 7) / 14))
            let volts = batteryBase + 0.16 * sun - 0.0015 * received / 86_400 + 0.0015 * rng.gaussian()
            let values = [
                vwc[0] + 0.12 * rng.gaussian(), vwc[1] + 0.10 * rng.gaussian(), vwc[2] + 0.08 * rng.gaussian(),
                t10, t30,
                ecBase + 0.025 * (vwc[0] - 15) + 0.004 * rng.gaussian(),
                ecBase + 0.02 * (vwc[1] - 15) + 0.003 * rng.gaussian(),
                volts,
            ]
            let exponents = [1, 1, 1, 2, 2, 3, 3, 3]
            for i in 0..<8 {
                let scale = [1.0, 10, 100, 1000][exponents[i]]
                out[i].append((values[i] * scale).rounded() / scale)  // as "23.4" parses
            }
            rssi.append(Int64((rssiBase + 2.5 * rng.gaussian()).rounded()))
            timestamps.append(Dataset.firstDay + Int64((received * 1000).rounded()) * 1000)
        }
        return BenchGroup(
            key: key, channels: Self.channels, kind: .soil, timestamps: timestamps,
            columns: out.map { .float64($0) } + [.int64(rssi)])
    }
}
