import Foundation
import FurrowStore

/// One spray drone's telemetry as its flight controller streams it (ArduCopter-like MAVLink): sorties of
/// 20-24 min separated by 8-12 min battery swaps (no telemetry while powered off), each a lawnmower pattern
/// over a field. Timestamps are the FC's millisecond clock with scheduler jitter (-1..+3 ms on the nominal
/// period); about 1 % of messages are lost on the radio link.
///
/// | group | rate | channels |
/// |---|---|---|
/// | ATTITUDE | 50 Hz | roll, pitch, yaw (float32 rad; + rollspeed, pitchspeed, yawspeed with `--attitude-rates`) |
/// | GLOBAL_POSITION_INT | 10 Hz | lat, lon (int 1e-7 deg), alt, relative_alt (int mm), vx, vy, vz (int cm/s), hdg (int cdeg) |
/// | RANGEFINDER | 20 Hz | distance (float32 m, 0.01 m steps) |
/// | SPRAY | 10 Hz | flow (L/min), pressure (bar), tank (L), all 0.1 steps (float64) |
/// | BATTERY_STATUS | 2 Hz | voltage (V, 0.01), current (A, 0.01) (float64), remaining (int %) |
/// | HEARTBEAT | 1 Hz | mode (state: ArduCopter custom mode), armed (bool) |
struct DroneSimulator {
    let drone: Int
    let source: String
    let tags: [String: String]
    let attitudeRates: Bool
    let seed: UInt64
    /// Sorties, µs (power-on to power-off).
    private(set) var sorties: [Range<Int64>] = []
    let day: Range<Int64>

    // Geometry of the lawnmower pattern.
    let lineLength: Double
    let speed = 5.5
    let turnRadius = 3.0
    let turnSpeed = 2.5
    let sprayHeight = 3.0
    let homeLatitude: Double
    let homeLongitude: Double
    let homeAltitude = 512.0

    init(drone: Int, options: BenchOptions) {
        self.drone = drone
        self.source = "mav:\(drone + 1)/1"
        self.tags = ["field": "f\(drone % 2 + 1)", "vehicle": "spray-\(drone + 1)"]
        self.attitudeRates = options.attitudeRates
        self.seed = options.seed
        self.lineLength = 150 + 25 * Double(drone % 3)
        self.homeLatitude = 48.1372 + 0.0031 * Double(drone)
        self.homeLongitude = 11.5755 + 0.0047 * Double(drone)
        let dayIndex = (2 + 7 * drone) % options.days
        let dayStart = Dataset.firstDay + Int64(dayIndex) * Dataset.day
        self.day = dayStart..<(dayStart + Dataset.day)
        // Sessions start 06:30 UTC, staggered by 17 min per drone, at a whole millisecond.
        var rng = SplitMix64(seed: options.seed, stream: 0x5052_0000 + UInt64(drone))
        let sessionStart =
            dayStart + Int64(6.5 * 3600) * 1_000_000 + Int64(drone * 17 * 60) * 1_000_000
            + Int64(rng.integer(0...999)) * 1000
        let session = options.hours * 3600
        var offset = 0.0
        while offset < session {
            var duration = rng.uniform(1200...1440)
            duration = Swift.min(duration, session - offset)
            if duration < 300 { break }
            let start = sessionStart + Int64(offset * 1000) * 1000
            sorties.append(start..<(start + Int64(duration * 1000) * 1000))
            offset += duration + rng.uniform(480...720)
        }
    }

    var flight: DroneFlight { DroneFlight(drone: drone, source: source, day: day, sorties: sorties) }

    // MARK: - Flight model

    /// Phases of a sortie, seconds from power-on.
    struct Timeline {
        let duration: Double
        var arm: Double { 40 }
        var sprayStart: Double { arm + 8 }
        var sprayEnd: Double { duration - 67 }
        var rtlEnd: Double { sprayEnd + 35 }
        var landEnd: Double { rtlEnd + 12 }
    }

    /// Where the drone is and what it does at one instant (no noise).
    struct State {
        var north = 0.0, east = 0.0, agl = 0.0
        var vn = 0.0, ve = 0.0, vd = 0.0
        var heading = 0.0
        var roll = 0.0, pitch = 0.0
        var armed = false
        var mode: Int64 = 0
        var spraying = false
        var accelerating = false
    }

    /// Position on the spray pattern `tau` seconds after it starts.
    func pattern(_ tau: Double) -> State {
        var s = State()
        let lineTime = lineLength / speed
        let turnTime = Double.pi * turnRadius / turnSpeed
        let cycle = lineTime + turnTime
        let i = (tau / cycle).rounded(.down)
        let u = tau - i * cycle
        let even = Int(i) % 2 == 0
        let baseNorth = i * 2 * turnRadius
        s.agl = sprayHeight + 0.15 * sin(tau / 23)
        if u < lineTime {
            s.east = even ? speed * u : lineLength - speed * u
            s.north = baseNorth
            s.ve = even ? speed : -speed
            s.heading = even ? .pi / 2 : -.pi / 2
            s.pitch = -0.10
            s.spraying = u > 1 && u < lineTime - 1
            s.accelerating = u < 2
        } else {
            let theta = Double.pi * (u - lineTime) / turnTime
            s.north = baseNorth + turnRadius - turnRadius * cos(theta)
            s.east = even ? lineLength + turnRadius * sin(theta) : -turnRadius * sin(theta)
            s.ve = (even ? 1 : -1) * turnSpeed * cos(theta)
            s.vn = turnSpeed * sin(theta)
            s.heading = atan2(s.ve, s.vn)
            s.roll = (even ? -1 : 1) * atan(turnSpeed * turnSpeed / (turnRadius * 9.81))
            s.pitch = -0.03
            s.accelerating = true
        }
        return s
    }

    func state(_ t: Double, _ timeline: Timeline) -> State {
        if t < timeline.arm { return State() }
        if t < timeline.sprayStart {
            var s = State()
            let w = (t - timeline.arm) / (timeline.sprayStart - timeline.arm)
            s.agl = sprayHeight * w
            s.vd = -sprayHeight / (timeline.sprayStart - timeline.arm)
            s.armed = true
            s.mode = 3
            s.accelerating = true
            return s
        }
        if t < timeline.sprayEnd {
            var s = pattern(t - timeline.sprayStart)
            s.armed = true
            s.mode = 3
            return s
        }
        let end = pattern(timeline.sprayEnd - timeline.sprayStart)
        if t < timeline.rtlEnd {
            var s = State()
            let span = timeline.rtlEnd - timeline.sprayEnd
            let w = (t - timeline.sprayEnd) / span
            let smooth = w * w * (3 - 2 * w)
            let rate = 6 * w * (1 - w) / span
            s.north = end.north * (1 - smooth)
            s.east = end.east * (1 - smooth)
            s.vn = -end.north * rate
            s.ve = -end.east * rate
            s.agl = sprayHeight + 5 * Swift.min(1, w * 5)
            s.vd = w < 0.2 ? -5 / (0.2 * span) : 0
            s.heading = atan2(-end.east, -end.north)
            s.pitch = -0.15 * (1 - abs(2 * w - 1))
            s.armed = true
            s.mode = 6
            s.accelerating = true
            return s
        }
        if t < timeline.landEnd {
            var s = State()
            let w = (t - timeline.rtlEnd) / (timeline.landEnd - timeline.rtlEnd)
            s.agl = (sprayHeight + 5) * (1 - w)
            s.vd = (sprayHeight + 5) / (timeline.landEnd - timeline.rtlEnd)
            s.heading = atan2(-end.east, -end.north)
            s.armed = true
            s.mode = 9
            return s
        }
        var s = State()
        s.heading = atan2(-end.east, -end.north)
        s.mode = 9
        return s
    }

    // MARK: - Message streams

    /// Send times of one message in one sortie: the nominal period on the FC's millisecond clock, scheduler
    /// jitter of -1..+3 ms, ~1 % lost on the link. µs.
    func sendTimes(_ sortie: Range<Int64>, hz: Int, rng: inout SplitMix64) -> [Int64] {
        let periodMs = Int64(1000 / hz)
        var out: [Int64] = []
        out.reserveCapacity(Int((sortie.upperBound - sortie.lowerBound) / 1000 / periodMs) + 1)
        var nominal = sortie.lowerBound / 1000 + Int64(rng.integer(0...Int(periodMs - 1)))
        let end = sortie.upperBound / 1000
        while nominal < end {
            // The FC's scheduler is more often late than early.
            let jitter = Int64([-1, 0, 0, 0, 1, 1, 1, 2, 2, 3][rng.integer(0...9)])
            if !rng.chance(0.01) { out.append((nominal + jitter) * 1000) }
            nominal += periodMs
        }
        return out
    }

    mutating func generate() -> [BenchGroup] {
        var attitude = Columns()
        var position = Columns()
        var ranger = Columns()
        var spray = Columns()
        var battery = Columns()
        var heartbeat = Columns()
        for (k, sortie) in sorties.enumerated() {
            let timeline = Timeline(duration: Double(sortie.upperBound - sortie.lowerBound) / 1e6)
            func rng(_ message: UInt64) -> SplitMix64 {
                SplitMix64(seed: seed, stream: UInt64(drone) << 40 | UInt64(k) << 20 | message)
            }
            generateAttitude(sortie, timeline, into: &attitude, rng: rng(1))
            generatePosition(sortie, timeline, into: &position, rng: rng(2))
            generateRangefinder(sortie, timeline, into: &ranger, rng: rng(3))
            generateSpray(sortie, timeline, into: &spray, rng: rng(4))
            generateBattery(sortie, timeline, into: &battery, rng: rng(5))
            generateHeartbeat(sortie, timeline, into: &heartbeat, rng: rng(6))
        }
        func group(_ name: String, _ channels: [StoreChannel], _ c: Columns) -> BenchGroup {
            BenchGroup(
                key: StoreGroupKey(project: Dataset.project, source: source, name: name, tags: tags),
                channels: channels, kind: .drone, timestamps: c.timestamps, columns: c.columns)
        }
        var attitudeChannels = ["roll", "pitch", "yaw"].map { StoreChannel(name: $0, valueType: .float32, unit: "rad") }
        if attitudeRates {
            attitudeChannels += ["rollspeed", "pitchspeed", "yawspeed"].map {
                StoreChannel(name: $0, valueType: .float32, unit: "rad/s")
            }
        }
        return [
            group("ATTITUDE", attitudeChannels, attitude),
            group(
                "GLOBAL_POSITION_INT",
                [
                    StoreChannel(name: "lat", valueType: .int64, unit: "degE7"),
                    StoreChannel(name: "lon", valueType: .int64, unit: "degE7"),
                    StoreChannel(name: "alt", valueType: .int64, unit: "mm"),
                    StoreChannel(name: "relative_alt", valueType: .int64, unit: "mm"),
                    StoreChannel(name: "vx", valueType: .int64, unit: "cm/s"),
                    StoreChannel(name: "vy", valueType: .int64, unit: "cm/s"),
                    StoreChannel(name: "vz", valueType: .int64, unit: "cm/s"),
                    StoreChannel(name: "hdg", valueType: .int64, unit: "cdeg"),
                ], position),
            group(
                "RANGEFINDER", [StoreChannel(name: "distance", valueType: .float32, unit: "m", decimalExponent: 2)],
                ranger),
            group(
                "SPRAY",
                [
                    StoreChannel(name: "flow", valueType: .float64, unit: "L/min", decimalExponent: 1),
                    StoreChannel(name: "pressure", valueType: .float64, unit: "bar", decimalExponent: 1),
                    StoreChannel(name: "tank", valueType: .float64, unit: "L", decimalExponent: 1),
                ], spray),
            group(
                "BATTERY_STATUS",
                [
                    StoreChannel(name: "voltage", valueType: .float64, unit: "V", decimalExponent: 2),
                    StoreChannel(name: "current", valueType: .float64, unit: "A", decimalExponent: 2),
                    StoreChannel(name: "remaining", valueType: .int64, unit: "%"),
                ], battery),
            group(
                "HEARTBEAT",
                [StoreChannel(name: "mode", valueType: .state), StoreChannel(name: "armed", valueType: .bool)],
                heartbeat),
        ]
    }

    /// Gusts: a few slow sinusoids with per-sortie phases.
    struct Gust {
        var parts: [(amplitude: Double, hz: Double, phase: Double)]
        init(_ amplitudes: [Double], _ rng: inout SplitMix64) {
            let frequencies = [0.13, 0.41, 1.3, 2.9]
            parts = zip(amplitudes, frequencies).map { ($0, $1 * rng.uniform(0.8...1.2), rng.uniform(0...(2 * .pi))) }
        }
        func callAsFunction(_ t: Double) -> Double {
            parts.reduce(0) { $0 + $1.amplitude * sin(2 * .pi * $1.hz * t + $1.phase) }
        }
    }

    func generateAttitude(_ sortie: Range<Int64>, _ timeline: Timeline, into c: inout Columns, rng: SplitMix64) {
        var rng = rng
        let times = sendTimes(sortie, hz: 50, rng: &rng)
        let gustRoll = Gust([0.012, 0.007, 0.004, 0.0015], &rng)
        let gustPitch = Gust([0.010, 0.006, 0.003, 0.0015], &rng)
        let gustYaw = Gust([0.004, 0.002, 0.001, 0.0005], &rng)
        var roll = 0.0
        var pitch = 0.0
        var yaw = state(0, timeline).heading
        var previous: (t: Double, roll: Double, pitch: Double, yaw: Double)? = nil
        var r = [Float]()
        var p = [Float]()
        var y = [Float]()
        var rs = [Float]()
        var ps = [Float]()
        var ys = [Float]()
        let levelRoll = rng.uniform(-0.02...0.02)
        let levelPitch = rng.uniform(-0.02...0.02)
        for time in times {
            let t = Double(time - sortie.lowerBound) / 1e6
            let s = state(t, timeline)
            let dt = previous.map { t - $0.t } ?? 0.02
            let alpha = 1 - exp(-dt / 0.3)
            let flying = s.armed && s.agl > 0.2
            roll += ((flying ? s.roll : levelRoll) - roll) * alpha
            pitch += ((flying ? s.pitch : levelPitch) - pitch) * alpha
            var dy = s.heading - yaw
            if dy > .pi { dy -= 2 * .pi } else if dy < -.pi { dy += 2 * .pi }
            yaw += dy * Swift.min(1, alpha * 2)
            if yaw > .pi { yaw -= 2 * .pi } else if yaw < -.pi { yaw += 2 * .pi }
            let noise = flying ? 1.0 : 0.4
            var outRoll =
                roll + (flying ? gustRoll(t) + 0.002 * sin(2 * .pi * 17.3 * t) : 0)
                + 0.0015 * noise * rng.gaussian()
            var outPitch =
                pitch + (flying ? gustPitch(t) + 0.002 * sin(2 * .pi * 13.1 * t) : 0)
                + 0.0015 * noise * rng.gaussian()
            var outYaw = yaw + (flying ? gustYaw(t) : 0) + 0.0025 * noise * rng.gaussian()
            if outYaw > .pi { outYaw -= 2 * .pi } else if outYaw < -.pi { outYaw += 2 * .pi }
            outRoll = Double(Float(outRoll))
            outPitch = Double(Float(outPitch))
            outYaw = Double(Float(outYaw))
            r.append(Float(outRoll))
            p.append(Float(outPitch))
            y.append(Float(outYaw))
            if attitudeRates {
                let last = previous ?? (t - dt, outRoll, outPitch, outYaw)
                var dYaw = outYaw - last.yaw
                if dYaw > .pi { dYaw -= 2 * .pi } else if dYaw < -.pi { dYaw += 2 * .pi }
                rs.append(Float((outRoll - last.roll) / dt * 0.3 + 0.012 * rng.gaussian()))
                ps.append(Float((outPitch - last.pitch) / dt * 0.3 + 0.012 * rng.gaussian()))
                ys.append(Float(dYaw / dt * 0.3 + 0.008 * rng.gaussian()))
            }
            previous = (t, outRoll, outPitch, outYaw)
        }
        var columns: [StoreColumn] = [.float32(r), .float32(p), .float32(y)]
        if attitudeRates { columns += [.float32(rs), .float32(ps), .float32(ys)] }
        c.append(times, columns)
    }

    func generatePosition(_ sortie: Range<Int64>, _ timeline: Timeline, into c: inout Columns, rng: SplitMix64) {
        var rng = rng
        let times = sendTimes(sortie, hz: 10, rng: &rng)
        let metresPerDegreeLat = 111_132.954
        let metresPerDegreeLon = 111_319.49 * cos(homeLatitude * .pi / 180)
        let homeLatE7 = (homeLatitude * 1e7).rounded()
        let homeLonE7 = (homeLongitude * 1e7).rounded()
        var gpsNorth = 0.0
        var gpsEast = 0.0
        var baro = rng.uniform(-0.3...0.3)
        var lat = [Int64]()
        var lon = [Int64]()
        var alt = [Int64]()
        var rel = [Int64]()
        var vx = [Int64]()
        var vy = [Int64]()
        var vz = [Int64]()
        var hdg = [Int64]()
        for time in times {
            let t = Double(time - sortie.lowerBound) / 1e6
            let s = state(t, timeline)
            // RTK-grade GNSS: a slowly wandering offset plus centimetre noise.
            gpsNorth = gpsNorth * 0.995 + 0.004 * rng.gaussian()
            gpsEast = gpsEast * 0.995 + 0.004 * rng.gaussian()
            baro = baro * 0.999 + 0.01 * rng.gaussian()
            let north = s.north + gpsNorth + 0.008 * rng.gaussian()
            let east = s.east + gpsEast + 0.008 * rng.gaussian()
            lat.append(Int64(homeLatE7 + (north / metresPerDegreeLat * 1e7).rounded()))
            lon.append(Int64(homeLonE7 + (east / metresPerDegreeLon * 1e7).rounded()))
            alt.append(Int64(((homeAltitude + s.agl + baro + 0.03 * rng.gaussian()) * 1000).rounded()))
            rel.append(Int64(((s.agl + 0.02 * rng.gaussian()) * 1000).rounded()))
            vx.append(Int64((s.vn * 100 + 3 * rng.gaussian()).rounded()))
            vy.append(Int64((s.ve * 100 + 3 * rng.gaussian()).rounded()))
            vz.append(Int64((s.vd * 100 + 2 * rng.gaussian()).rounded()))
            var degrees = s.heading * 180 / .pi
            if degrees < 0 { degrees += 360 }
            hdg.append(Int64((degrees * 100).rounded()) % 36000)
        }
        c.append(
            times,
            [.int64(lat), .int64(lon), .int64(alt), .int64(rel), .int64(vx), .int64(vy), .int64(vz), .int64(hdg)])
    }

    func generateRangefinder(_ sortie: Range<Int64>, _ timeline: Timeline, into c: inout Columns, rng: SplitMix64) {
        var rng = rng
        let times = sendTimes(sortie, hz: 20, rng: &rng)
        var distance = [Float]()
        for time in times {
            let t = Double(time - sortie.lowerBound) / 1e6
            let s = state(t, timeline)
            // Radar to the crop canopy (~0.55 m high, varying along the rows); 0.20 m is its minimum.
            let canopy = s.agl > 0.8 ? 0.55 + 0.08 * sin(s.east / 7) + 0.03 * rng.gaussian() : 0
            let centimetres = Swift.max(20, ((s.agl - canopy) * 100).rounded())
            distance.append(Float(centimetres) * 0.01)  // as the driver scales it, in float32
        }
        c.append(times, [.float32(distance)])
    }

    func generateSpray(_ sortie: Range<Int64>, _ timeline: Timeline, into c: inout Columns, rng: SplitMix64) {
        var rng = rng
        let times = sendTimes(sortie, hz: 10, rng: &rng)
        var tank = 40.0
        var previous: Double? = nil
        var flow = [Double]()
        var pressure = [Double]()
        var level = [Double]()
        for time in times {
            let t = Double(time - sortie.lowerBound) / 1e6
            let s = state(t, timeline)
            let litresPerMinute = s.spraying ? Swift.max(0, 1.8 + 0.06 * rng.gaussian()) : 0
            tank = Swift.max(0, tank - litresPerMinute * (t - (previous ?? t)) / 60)
            previous = t
            // The pump controller reports tenths, scaled in firmware (`raw * 0.1`).
            flow.append((litresPerMinute * 10).rounded() * 0.1)
            pressure.append(((s.spraying ? 2.5 + 0.05 * rng.gaussian() : 0) * 10).rounded() * 0.1)
            level.append(((tank + 0.12 * rng.gaussian()) * 10).rounded() * 0.1)
        }
        c.append(times, [.float64(flow), .float64(pressure), .float64(level)])
    }

    func generateBattery(_ sortie: Range<Int64>, _ timeline: Timeline, into c: inout Columns, rng: SplitMix64) {
        var rng = rng
        let times = sendTimes(sortie, hz: 2, rng: &rng)
        var voltage = [Double]()
        var current = [Double]()
        var remaining = [Int64]()
        for time in times {
            let t = Double(time - sortie.lowerBound) / 1e6
            let s = state(t, timeline)
            let used = t / timeline.duration
            let amps =
                s.armed
                ? 48 + (s.spraying ? 6 : 0) + (s.accelerating ? 4 : 0) + 1.2 * rng.gaussian()
                : 1.1 + 0.05 * rng.gaussian()
            let volts = 50.2 - 5.8 * used - amps * 0.018 + 0.02 * rng.gaussian()
            voltage.append((volts * 100).rounded() * 0.01)
            current.append((amps * 100).rounded() * 0.01)
            remaining.append(Int64(Swift.max(0, Swift.min(100, (100 - 72 * used).rounded()))))
        }
        c.append(times, [.float64(voltage), .float64(current), .int64(remaining)])
    }

    func generateHeartbeat(_ sortie: Range<Int64>, _ timeline: Timeline, into c: inout Columns, rng: SplitMix64) {
        var rng = rng
        let times = sendTimes(sortie, hz: 1, rng: &rng)
        var mode = [Int64]()
        var armed = [Bool]()
        for time in times {
            let s = state(Double(time - sortie.lowerBound) / 1e6, timeline)
            mode.append(s.mode)
            armed.append(s.armed)
        }
        c.append(times, [.state(mode), .bool(armed)])
    }
}

/// Rows of one group being generated, sortie after sortie.
struct Columns {
    var timestamps: [Int64] = []
    var columns: [StoreColumn] = []

    mutating func append(_ times: [Int64], _ more: [StoreColumn]) {
        if let last = timestamps.last, let first = times.first {
            precondition(first > last, "sorties overlap")
        }
        timestamps += times
        if columns.isEmpty {
            columns = more
        } else {
            for i in columns.indices { columns[i] = columns[i].appending(more[i]) }
        }
    }
}

