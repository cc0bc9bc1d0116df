import Testing

@testable import FurrowStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Synthetic but realistic telemetry (the shapes of tsdb.md's dataset: 50 Hz float32 attitude with
/// ms jitter, 1e-7-degree positions, fixed-decimal battery values, 10-minute soil uplinks), encoded in
/// row groups of 1,024 rows. Prints bytes per value per column and per series; the expectations are
/// loose regression bounds, not targets.
@Suite("Compression on realistic series")
struct CompressionReportTests {
    /// Rows per row group (= values per chunk), as the store will cut them.
    static let rowsPerGroup = 1024

    struct Series {
        var name: String
        var timestamps: [Int64]
        var columns: [(name: String, column: StoreColumn, options: StoreEncodingOptions)]
    }

    struct Noise {
        var rng: SplitMix64
        /// A standard normal sample (Box-Muller).
        mutating func gaussian() -> Double {
            let u = Double.random(in: Double.ulpOfOne..<1, using: &rng)
            let v = Double.random(in: 0..<1, using: &rng)
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
        mutating func uniform(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &rng) }
    }

    // MARK: - Series

    /// Timestamps at `hz` with jitter of ±`jitterMicros` at µs resolution (GCS receive times), or at ms
    /// resolution (flight-controller `time_boot_ms`), with a battery-swap gap every 10 minutes of flight.
    static func clock(rows: Int, hz: Double, jitterMicros: Double, milliseconds: Bool, noise: inout Noise) -> [Int64] {
        let period = 1_000_000 / hz
        let start = 1_718_438_400_000_000.0
        var gap = 0.0
        return (0..<rows).map { i in
            if i > 0 && i % Int(hz * 600) == 0 { gap += 540_000_000 + noise.uniform(0...60_000_000) }
            let t = start + gap + Double(i) * period + noise.uniform(-jitterMicros...jitterMicros)
            return milliseconds ? Int64((t / 1000).rounded()) * 1000 : Int64(t.rounded())
        }
    }

    /// ATTITUDE at 50 Hz: roll, pitch, yaw and their rates as float32, a spray drone flying lanes in wind.
    static func attitude(rows: Int, milliseconds: Bool) -> Series {
        var noise = Noise(rng: SplitMix64(seed: 50))
        let time = clock(rows: rows, hz: 50, jitterMicros: 2500, milliseconds: milliseconds, noise: &noise)
        var roll: [Float] = [], pitch: [Float] = [], yaw: [Float] = []
        var rollRate: [Float] = [], pitchRate: [Float] = [], yawRate: [Float] = []
        var gustRoll = 0.0, gustPitch = 0.0
        for i in 0..<rows {
            let t = Double(i) / 50
            gustRoll = 0.97 * gustRoll + 0.004 * noise.gaussian()
            gustPitch = 0.97 * gustPitch + 0.004 * noise.gaussian()
            let lane = Int(t / 60)
            let turning = t.truncatingRemainder(dividingBy: 60) > 55
            let heading =
                (lane % 2 == 0 ? 0.3 : 0.3 + .pi)
                + (turning ? .pi * (t.truncatingRemainder(dividingBy: 60) - 55) / 5 : 0)
            let r = 0.03 * sin(2 * .pi * 0.3 * t) + gustRoll + (turning ? 0.25 : 0) + 0.0005 * noise.gaussian()
            let p = -0.08 + 0.02 * sin(2 * .pi * 0.17 * t + 1) + gustPitch + 0.0005 * noise.gaussian()
            let y = atan2(sin(heading), cos(heading)) + 0.001 * noise.gaussian()
            roll.append(Float(r))
            pitch.append(Float(p))
            yaw.append(Float(y))
            rollRate.append(Float(0.06 * .pi * cos(2 * .pi * 0.3 * t) + 0.02 * noise.gaussian()))
            pitchRate.append(Float(0.0068 * .pi * cos(2 * .pi * 0.17 * t + 1) + 0.02 * noise.gaussian()))
            yawRate.append(Float((turning ? .pi / 5 : 0) + 0.01 * noise.gaussian()))
        }
        return Series(
            name: "ATTITUDE 50 Hz float32 (\(milliseconds ? "ms" : "µs") clock)", timestamps: time,
            columns: [
                ("roll", .float32(roll), .init()), ("pitch", .float32(pitch), .init()), ("yaw", .float32(yaw), .init()),
                ("rollspeed", .float32(rollRate), .init()), ("pitchspeed", .float32(pitchRate), .init()),
                ("yawspeed", .float32(yawRate), .init()),
            ])
    }

    /// GLOBAL_POSITION_INT at 10 Hz: lat/lon (int32 1e-7 degrees, delivered as Double degrees), altitudes
    /// in mm and velocities in cm/s as integers, heading in centidegrees.
    static func position(rows: Int, asDouble: Bool) -> Series {
        var noise = Noise(rng: SplitMix64(seed: 10))
        let time = clock(rows: rows, hz: 10, jitterMicros: 3000, milliseconds: false, noise: &noise)
        var lat: [Int64] = [], lon: [Int64] = [], alt: [Int64] = [], relative: [Int64] = []
        var vx: [Int64] = [], vy: [Int64] = [], vz: [Int64] = [], heading: [Int64] = []
        var north = 0.0, east = 0.0, height = 3.0
        for i in 0..<rows {
            let t = Double(i) / 10
            let lane = Int(t / 60)
            let speed = t.truncatingRemainder(dividingBy: 60) > 55 ? 1.0 : 5.0
            let vn = (lane % 2 == 0 ? 1.0 : -1.0) * speed * 0.955 + 0.05 * noise.gaussian()
            let ve = (lane % 2 == 0 ? 1.0 : -1.0) * speed * 0.296 + 0.05 * noise.gaussian()
            let vd = 0.1 * noise.gaussian()
            north += vn / 10
            east += ve / 10
            height = max(1.5, height - vd / 10)
            lat.append(
                Int64(((-33.712_345_6 + north / 111_320) * 1e7).rounded()) + Int64((noise.gaussian() * 1.5).rounded()))
            lon.append(
                Int64(((151.123_456_7 + east / 92_500) * 1e7).rounded()) + Int64((noise.gaussian() * 1.5).rounded()))
            relative.append(Int64((height * 1000 + 20 * noise.gaussian()).rounded()))
            alt.append(relative[i] + 87_000)
            vx.append(Int64((vn * 100).rounded()))
            vy.append(Int64((ve * 100).rounded()))
            vz.append(Int64((vd * 100).rounded()))
            heading.append(Int64((atan2(ve, vn) * 18_000 / .pi + 36_000).rounded()) % 36_000)
        }
        let degrees = { (v: [Int64]) -> StoreColumn in asDouble ? .float64(v.map { Double($0) / 1e7 }) : .int64(v) }
        return Series(
            name: "GLOBAL_POSITION_INT 10 Hz, lat/lon as \(asDouble ? "Double degrees" : "int 1e-7 deg")",
            timestamps: time,
            columns: [
                ("lat", degrees(lat), .init()), ("lon", degrees(lon), .init()), ("alt mm", .int64(alt), .init()),
                ("relative_alt mm", .int64(relative), .init()), ("vx cm/s", .int64(vx), .init()),
                ("vy cm/s", .int64(vy), .init()), ("vz cm/s", .int64(vz), .init()),
                ("hdg cdeg", .int64(heading), .init()),
            ])
    }

    /// Battery at 2 Hz: voltage at 0.01 V, current at 0.01 A (Double), remaining % (state), mode, armed.
    static func battery(rows: Int, declared: Bool) -> Series {
        var noise = Noise(rng: SplitMix64(seed: 2))
        let time = clock(rows: rows, hz: 2, jitterMicros: 5000, milliseconds: false, noise: &noise)
        var voltage: [Double] = [], current: [Double] = [], remaining: [Int64] = [], mode: [Int64] = [],
            armed: [Bool] = []
        for i in 0..<rows {
            let flight = Double(i % 1200) / 1200  // a pack lasts 10 minutes
            let load = 38 + 6 * sin(Double(i) / 13) + 2 * noise.gaussian()
            voltage.append(
                Double(Int64(((25.2 - 3.0 * flight - load * 0.012 + 0.02 * noise.gaussian()) * 100).rounded())) / 100)
            current.append(Double(Int64((load * 100).rounded())) / 100)
            remaining.append(Int64(100 - 100 * flight))
            mode.append(i % 1200 < 20 ? 0 : (i % 1200 > 1180 ? 6 : 3))
            armed.append(i % 1200 > 10)
        }
        let options = StoreEncodingOptions(decimalExponent: declared ? 2 : nil)
        return Series(
            name: "Battery 2 Hz (0.01 V, 0.01 A\(declared ? ", declared" : ", detected"))", timestamps: time,
            columns: [
                ("voltage 0.01 V", .float64(voltage), options), ("current 0.01 A", .float64(current), options),
                ("remaining %", .state(remaining), .init()), ("mode", .state(mode), .init()),
                ("armed", .bool(armed), .init()),
            ])
    }

    /// A soil node every 10 minutes (LoRaWAN receive times, 0.2-4 s jitter): moisture at 0.1 %,
    /// temperature at 0.1 °C, battery at 0.01 V, as Double.
    static func soil(rows: Int) -> Series {
        var noise = Noise(rng: SplitMix64(seed: 600))
        var t = 1_718_438_400_000_000.0
        var time: [Int64] = [], moisture: [Double] = [], temperature: [Double] = [], volts: [Double] = []
        var water = 31.0
        for i in 0..<rows {
            t += 600_000_000 + noise.uniform(200_000...4_000_000)
            let day = Double(i) / 144
            if i % 432 == 200 { water += 9 }  // irrigation every 3 days
            water -= 0.02 + 0.03 * max(0, sin(2 * .pi * (day - 0.25)))
            time.append(Int64(t.rounded()))
            moisture.append(Double(Int64(((water + 0.05 * noise.gaussian()) * 10).rounded())) / 10)
            temperature.append(
                Double(Int64(((19 + 5 * sin(2 * .pi * (day - 0.4)) + 0.1 * noise.gaussian()) * 10).rounded())) / 10)
            volts.append(Double(Int64(((3.61 - day * 0.0005 + 0.004 * noise.gaussian()) * 100).rounded())) / 100)
        }
        return Series(
            name: "Soil node every 10 min (0.1 %, 0.1 °C, 0.01 V)", timestamps: time,
            columns: [
                ("moisture 0.1 %", .float64(moisture), .init()),
                ("temperature 0.1 °C", .float64(temperature), .init()),
                ("battery 0.01 V", .float64(volts), .init()),
            ])
    }

    // MARK: - Measuring

    struct Figures {
        var values = 0
        var rows = 0
        var timeBytes = 0
        var valueBytes = 0
        var columnBytes: [Int] = []
        var gorillaBytes: [Int?] = []
        var codecs: [Set<StoreCodec>] = []
        var total: Int { timeBytes + valueBytes }
    }

    /// Encodes a series in row groups, checks each round-trips, and adds up the bytes.
    static func measure(_ series: Series) throws -> Figures {
        var f = Figures()
        f.columnBytes = Array(repeating: 0, count: series.columns.count)
        f.gorillaBytes = Array(repeating: 0, count: series.columns.count)
        f.codecs = Array(repeating: [], count: series.columns.count)
        var start = 0
        while start < series.timestamps.count {
            let end = min(start + rowsPerGroup, series.timestamps.count)
            let columns = series.columns.map { $0.column.slice(start..<end) }
            let group = StoreRowGroup(timestamps: Array(series.timestamps[start..<end]), columns: columns)
            let chunks = group.encodeChunks(options: series.columns.map(\.options))
            f.timeBytes += chunks.time.count
            for (i, bytes) in chunks.columns.enumerated() {
                f.columnBytes[i] += bytes.count
                let decoded = try StoreChunk.decode(bytes)
                #expect(decoded.values.isIdentical(to: columns[i]), "\(series.name) \(series.columns[i].name)")
                f.codecs[i].insert(decoded.header.codec)
                if let g = StoreChunk.encode(columns[i], codec: .gorilla), let sum = f.gorillaBytes[i] {
                    f.gorillaBytes[i] = sum + g.count
                } else {
                    f.gorillaBytes[i] = nil
                }
            }
            let time = try StoreChunk.decode(chunks.time)
            #expect(time.values.isIdentical(to: .timestamp(group.timestamps)))
            f.codecs.append([])
            f.codecs.removeLast()
            f.rows += end - start
            f.values += (end - start) * columns.count
            start = end
        }
        f.valueBytes = f.columnBytes.reduce(0, +)
        return f
    }

    static func format(_ x: Double) -> String {
        let scaled = (x * 100).rounded() / 100
        let text = "\(scaled)"
        let parts = text.split(separator: ".")
        return parts.count == 2 && parts[1].count == 1 ? text + "0" : text
    }

    static func report(_ series: Series, _ f: Figures) -> String {
        var lines = ["\(series.name): \(f.rows) rows x \(series.columns.count) values, chunks of \(rowsPerGroup) rows"]
        lines.append("  time column: \(format(Double(f.timeBytes) / Double(f.rows))) B/row")
        for (i, column) in series.columns.enumerated() {
            let perValue = Double(f.columnBytes[i]) / Double(f.rows)
            let gorilla = f.gorillaBytes[i].map { "  (gorilla \(format(Double($0) / Double(f.rows))))" } ?? ""
            let codecs = f.codecs[i].map(\.description).sorted().joined(separator: "+")
            lines.append("  \(column.name): \(format(perValue)) B/value via \(codecs)\(gorilla)")
        }
        lines.append(
            "  => values only \(format(Double(f.valueBytes) / Double(f.values))) B/value;"
                + " with the shared time column \(format(Double(f.total) / Double(f.values))) B/value"
        )
        return lines.joined(separator: "\n")
    }

    @Test("bytes per value on drone and sensor series (printed), round trip bit-exact")
    func report() throws {
        let hour = 3600
        let series = [
            Self.attitude(rows: 50 * hour, milliseconds: false),
            Self.attitude(rows: 50 * hour, milliseconds: true),
            Self.position(rows: 10 * hour, asDouble: true),
            Self.position(rows: 10 * hour, asDouble: false),
            Self.battery(rows: 2 * hour, declared: false),
            Self.battery(rows: 2 * hour, declared: true),
            Self.soil(rows: 144 * 30),
        ]
        var figures: [Figures] = []
        for s in series {
            let f = try Self.measure(s)
            figures.append(f)
            print(Self.report(s, f))
        }
        // One flight hour (µs clock, Double lat/lon, detected decimals) plus one soil node for 30 days.
        let mix = [figures[0], figures[2], figures[4], figures[6]]
        let values = mix.reduce(0) { $0 + $1.values }
        let bytes = mix.reduce(0) { $0 + $1.total }
        print(
            "Flight hour + 30-day soil node: \(values) values, \(bytes) bytes"
                + " => \(Self.format(Double(bytes) / Double(values))) B/value (codecs alone, before any zstd pass)"
        )

        // Loose regression bounds (bytes per value including the time column).
        let perValue = figures.map { Double($0.total) / Double($0.values) }
        #expect(perValue[0] < 3.5, "attitude, µs clock")
        #expect(perValue[2] < 2.0, "position")
        #expect(perValue[4] < 1.5, "battery")
        #expect(perValue[6] < 2.0, "soil")
    }
}
