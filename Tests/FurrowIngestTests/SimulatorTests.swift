import FurrowIngest
import FurrowWire
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A decoded simulator frame with its send time and sender.
struct DecodedFrame {
    var time: Int64
    var systemID: UInt8
    var componentID: UInt8
    var sequence: UInt8
    var message: MAVLinkMessage

    var name: String { message.info.name }

    func double(_ field: String) -> Double { message[field]?.doubleValue ?? .nan }
}

/// Runs a fleet for `seconds` of simulated time through the framer; returns the decoded frames and the
/// framer's counters.
func simulate(_ fleet: inout FleetSimulator, seconds: Double) -> (frames: [DecodedFrame], stats: MAVLinkStatistics) {
    let end = fleet.nextTimestamp + Int64(seconds * 1e6)
    var framer = MAVLinkFramer()
    var frames: [DecodedFrame] = []
    var previous = Int64.min
    fleet.advance(until: end) { t, _, bytes in
        #expect(t >= previous, "frames out of time order")
        previous = t
        framer.feed(bytes) { frame in
            guard let message = MAVLinkMessage(frame: frame, dialect: .ardupilotmega) else { return }
            frames.append(
                DecodedFrame(
                    time: t, systemID: frame.systemID, componentID: frame.componentID, sequence: frame.sequence,
                    message: message))
        }
    }
    framer.finish { _ in }
    return (frames, framer.statistics)
}

/// Concatenated bytes of everything a fleet sends before `seconds` have passed.
func streamBytes(_ fleet: FleetSimulator, seconds: Double) -> [UInt8] {
    var fleet = fleet
    var out: [UInt8] = []
    let end = fleet.nextTimestamp + Int64(seconds * 1e6)
    fleet.advance(until: end) { t, _, bytes in
        withUnsafeBytes(of: t.bigEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: bytes)
    }
    return out
}

let epoch2025: Int64 = 1_750_000_000_000_000

@Suite("Drone simulator")
struct SimulatorTests {
    // MARK: - Determinism and framing

    @Test("the same seed gives byte-identical output; another seed or start time does not")
    func determinism() {
        let a = FleetSimulator(drones: 20, mission: .spray, seed: 42, startTime: epoch2025)
        let b = FleetSimulator(drones: 20, mission: .spray, seed: 42, startTime: epoch2025)
        let c = FleetSimulator(drones: 20, mission: .spray, seed: 43, startTime: epoch2025)
        let d = FleetSimulator(drones: 20, mission: .survey, seed: 42, startTime: epoch2025)
        let bytesA = streamBytes(a, seconds: 30)
        #expect(bytesA.count > 20 * 30 * 40 * 30)
        #expect(bytesA == streamBytes(b, seconds: 30))
        #expect(bytesA != streamBytes(c, seconds: 30))
        #expect(bytesA != streamBytes(d, seconds: 30))

        var one = DroneSimulator(seed: 5, systemID: 3, mission: .survey, startTime: epoch2025)
        var two = one
        let first = (0..<2000).map { _ in one.next() }
        let second = (0..<2000).map { _ in two.next() }
        #expect(first == second)
    }

    @Test("every frame passes the framer: no CRC failures, no skipped bytes, no sequence gaps", arguments: [MAVLinkVersion.v2, .v1])
    func framing(version: MAVLinkVersion) {
        var fleet = FleetSimulator(drones: 300, mission: .spray, seed: 9, startTime: epoch2025, version: version)
        let (frames, stats) = simulate(&fleet, seconds: 20)
        #expect(frames.count == stats.frames)
        #expect(stats.frames > 300 * 20 * 45)
        #expect(stats.crcFailures == 0)
        #expect(stats.bytesSkipped == 0)
        #expect(stats.unknownIDs == 0)
        #expect(stats.sequenceGaps == 0)
        #expect(stats.sources.count == 300)
        if version == .v1 { #expect(stats.framesV1 == stats.frames) } else { #expect(stats.truncatedPayloads > 0) }
        // 300 senders: system ids 1...255 with component 1, then 1...45 with component 2.
        let sources = Set(stats.sources.keys)
        #expect(sources.contains(MAVLinkSourceID(systemID: 255, componentID: 1)))
        #expect(sources.contains(MAVLinkSourceID(systemID: 45, componentID: 2)))
    }

    // MARK: - Content

    @Test("message rates over 10 simulated minutes match the nominal rates", arguments: SimulatedMission.allCases)
    func rates(mission: SimulatedMission) {
        var fleet = FleetSimulator(drones: 4, mission: mission, seed: 3, startTime: epoch2025)
        let seconds = 600.0
        let (frames, _) = simulate(&fleet, seconds: seconds)
        var counts: [String: Int] = [:]
        for f in frames { counts[f.name, default: 0] += 1 }
        var nominal: [String: Double] = [
            "ATTITUDE": 20, "GLOBAL_POSITION_INT": 10, "GPS_RAW_INT": 5, "VFR_HUD": 5, "SYS_STATUS": 2,
            "SERVO_OUTPUT_RAW": 2, "HEARTBEAT": 1, "BATTERY_STATUS": 1, "SYSTEM_TIME": 1, "MISSION_CURRENT": 1,
        ]
        if mission == .spray { nominal["NAMED_VALUE_FLOAT"] = 2 }
        for (name, hertz) in nominal {
            let measured = Double(counts[name, default: 0]) / seconds / 4
            #expect(abs(measured - hertz) <= hertz * 0.01 + 0.01, "\(name): \(measured) Hz, nominal \(hertz)")
        }
        let statusTexts = counts["STATUSTEXT", default: 0]
        #expect(statusTexts > 0 && statusTexts < 4 * 30)
        #expect(Set(counts.keys).subtracting(nominal.keys) == ["STATUSTEXT"])
        let total = Double(frames.count) / seconds / 4
        #expect(total > (mission == .spray ? 49.5 : 47.5) && total < (mission == .spray ? 50.5 : 48.5))
    }

    @Test("jitter stays within a few milliseconds of each stream's period")
    func jitter() {
        var fleet = FleetSimulator(drones: 1, mission: .survey, seed: 11, startTime: epoch2025)
        let (frames, _) = simulate(&fleet, seconds: 60)
        let times = frames.filter { $0.name == "ATTITUDE" }.map(\.time)
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        #expect(gaps.min()! >= 47_000 && gaps.max()! <= 53_000)
        #expect(Set(gaps).count > 100)  // not a fixed period
    }

    @Test("each flight has one armed period in HEARTBEAT base_mode, with take-off, AUTO, RTL and LAND", arguments: SimulatedMission.allCases)
    func flights(mission: SimulatedMission) {
        var fleet = FleetSimulator(drones: 1, mission: mission, seed: 21, startTime: epoch2025, staggered: false)
        let (frames, _) = simulate(&fleet, seconds: 1200)
        let heartbeats = frames.filter { $0.name == "HEARTBEAT" }
        #expect(heartbeats.allSatisfy { $0.double("type") == 2 && $0.double("autopilot") == 3 })
        var periods: [(start: Int64, end: Int64, modes: [UInt32])] = []
        var armedSince: Int64?
        var modes: [UInt32] = []
        for h in heartbeats {
            let armed = UInt8(h.double("base_mode")) & DroneSimulator.safetyArmed != 0
            #expect(h.double("system_status") == (armed ? 4 : 3))
            let mode = UInt32(h.double("custom_mode"))
            if armed {
                if armedSince == nil {
                    armedSince = h.time
                    modes = []
                }
                if modes.last != mode { modes.append(mode) }
            } else if let since = armedSince {
                periods.append((since, h.time, modes))
                armedSince = nil
            }
        }
        // 20 minutes: parked 5–15 s, then sorties of ~6–7 minutes with 40–70 s on the ground between them.
        #expect(periods.count >= 2)
        #expect(!heartbeats.isEmpty && UInt8(heartbeats[0].double("base_mode")) & DroneSimulator.safetyArmed == 0)
        for p in periods {
            #expect(p.end - p.start > 200_000_000, "armed for \(Double(p.end - p.start) / 1e6) s")
            #expect(p.modes == [4, 3, 6, 9], "mode sequence \(p.modes)")  // GUIDED, AUTO, RTL, LAND
        }
        for (a, b) in zip(periods, periods.dropFirst()) {
            #expect(b.start - a.end > 30_000_000, "on the ground for \(Double(b.start - a.end) / 1e6) s")
        }
        let texts = frames.filter { $0.name == "STATUSTEXT" }.compactMap { $0.message["text"]?.text }
        #expect(texts.filter { $0 == "Arming motors" }.count >= periods.count)
        #expect(texts.filter { $0 == "Disarming motors" }.count >= periods.count)
    }

    @Test("positions stay inside each drone's field; altitude and speed fit the mission", arguments: SimulatedMission.allCases)
    func positions(mission: SimulatedMission) {
        var fleet = FleetSimulator(drones: 50, mission: mission, seed: 4, startTime: epoch2025)
        let fields = fleet.drones.map(\.field)
        let ids = fleet.drones.map { Int($0.componentID) << 8 | Int($0.systemID) }
        let fieldOf = Dictionary(uniqueKeysWithValues: zip(ids, fields))
        let (frames, _) = simulate(&fleet, seconds: 300)
        var positions = 0
        var maxHeight = 0.0
        var maxSpeed = 0.0
        var moved: Set<Int> = []
        for f in frames where f.name == "GLOBAL_POSITION_INT" || f.name == "GPS_RAW_INT" {
            let field = fieldOf[Int(f.componentID) << 8 | Int(f.systemID)]!
            let lat = f.double("lat") / 1e7
            let lon = f.double("lon") / 1e7
            #expect(field.contains(latitude: lat, longitude: lon, margin: 2), "\(lat), \(lon) outside the field")
            #expect(!fields.filter { $0 != field }.contains { $0.contains(latitude: lat, longitude: lon, margin: 2) })
            if f.name == "GLOBAL_POSITION_INT" {
                positions += 1
                maxHeight = max(maxHeight, f.double("relative_alt") / 1000)
                let speed = (f.double("vx") * f.double("vx") + f.double("vy") * f.double("vy")).squareRoot() / 100
                maxSpeed = max(maxSpeed, speed)
                if speed > 1 { moved.insert(Int(f.systemID)) }
                #expect(abs(f.double("alt") / 1000 - field.groundAltitude - f.double("relative_alt") / 1000) < 0.01)
            }
        }
        #expect(positions > 50 * 300 * 9)
        #expect(moved.count > 25)  // staggered: most drones are flying at some point in 5 minutes
        let cruise = mission == .survey ? 30.0 : 4.0
        #expect(maxHeight > cruise - 0.5 && maxHeight < cruise + 0.5)
        #expect(maxSpeed > 6.5 && maxSpeed < 7.5)  // transit legs at 7 m/s
        let lat = 41.65
        #expect(fields.allSatisfy { abs($0.originLatitude - lat) < 0.2 && abs($0.originLongitude + 0.88) < 0.2 })
    }

    @Test("spray flow is reported only by sprayers, and is positive only along swaths in AUTO")
    func sprayFlow() {
        var sprayers = FleetSimulator(drones: 3, mission: .spray, seed: 8, startTime: epoch2025, staggered: false)
        let (frames, _) = simulate(&sprayers, seconds: 600)
        var heartbeats: [UInt8: [(time: Int64, mode: UInt32)]] = [:]
        var flows: [(time: Int64, drone: UInt8)] = []
        var zero = 0
        var pumpOn = 0
        for f in frames {
            switch f.name {
            case "HEARTBEAT": heartbeats[f.systemID, default: []].append((f.time, UInt32(f.double("custom_mode"))))
            case "NAMED_VALUE_FLOAT":
                #expect(f.message["name"]?.text == "SPRAY_LPM")
                let flow = f.double("value")
                if flow > 0 {
                    flows.append((f.time, f.systemID))
                    #expect(flow > 1.5 && flow < 2.1)
                } else {
                    zero += 1
                }
            case "SERVO_OUTPUT_RAW": if f.double("servo7_raw") > 1100 { pumpOn += 1 }
            default: break
            }
        }
        // HEARTBEAT comes once a second: the mode is AUTO in the heartbeat before or the one after the flow.
        for flow in flows {
            let beats = heartbeats[flow.drone] ?? []
            let before = beats.last { $0.time <= flow.time }?.mode
            let after = beats.first { $0.time > flow.time }?.mode
            #expect(before == 3 || after == 3, "spraying outside AUTO at \(flow.time)")
        }
        let positive = flows.count
        #expect(positive > 3 * 2 * 200)  // a sortie is ~5 minutes of swaths
        #expect(zero > 3 * 2 * 30)
        #expect(pumpOn > 3 * 2 * 200)
        var surveyors = FleetSimulator(drones: 3, mission: .survey, seed: 8, startTime: epoch2025)
        #expect(!simulate(&surveyors, seconds: 60).frames.contains { $0.name == "NAMED_VALUE_FLOAT" })
    }

    @Test("battery voltage sags under load and falls over a flight; charge used grows, remaining shrinks")
    func battery() {
        var fleet = FleetSimulator(drones: 1, mission: .spray, seed: 2, startTime: epoch2025, staggered: false)
        // Parked 5–15 s, then take-off and lanes until ~310 s: the whole window is one battery.
        let (frames, _) = simulate(&fleet, seconds: 300)
        let status = frames.filter { $0.name == "SYS_STATUS" }
        let battery = frames.filter { $0.name == "BATTERY_STATUS" }
        let parked = status.prefix(5).map { $0.double("voltage_battery") }
        let flying = status.filter { $0.double("current_battery") > 4000 }.map { $0.double("voltage_battery") }
        #expect(!flying.isEmpty)
        #expect(parked.min()! > flying.max()!)  // sag under 50+ A
        #expect(flying.first! > flying.last! + 500)  // and the pack drains
        #expect(parked.allSatisfy { $0 > 58_000 && $0 < 59_000 })  // 14S full: 58.8 V
        let remaining = status.map { $0.double("battery_remaining") }
        #expect(remaining.first! == 100 && remaining.last! < 90)
        #expect(zip(remaining, remaining.dropFirst()).allSatisfy { $0 >= $1 })
        let consumed = battery.map { $0.double("current_consumed") }
        #expect(zip(consumed, consumed.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(consumed.last! > 2000)
        #expect(battery.allSatisfy {
            guard case .unsignedArray(let v)? = $0.message["voltages"] else { return false }
            return v[0] > 50_000 && v[1...].allSatisfy { $0 == 65535 }
        })
    }

    // MARK: - Outputs

    @Test("UDP datagrams arrive intact on a loopback socket, one frame each, from one or per-drone sockets", arguments: [false, true])
    func udpLoopback(socketPerDrone: Bool) throws {
        let receiver = try LoopbackReceiver()
        let drones = 8
        var fleet = FleetSimulator(drones: drones, mission: .spray, seed: 1, startTime: epoch2025)
        let sender = try UDPFrameSender(host: "127.0.0.1", port: receiver.port, sockets: socketPerDrone ? drones : 1)
        var sent: [[UInt8]] = []
        var droneOf: [Int] = []
        var received: [(bytes: [UInt8], port: Int)] = []
        var start = fleet.nextTimestamp
        for _ in 0..<20 {
            // Small batches, drained after each: an unprivileged receive buffer holds only a few hundred.
            var batch = SimulatedBatch()
            start += 500_000
            fleet.fill(&batch, until: start)
            try sender.write(batch)
            for i in 0..<batch.count {
                sent.append(Array(batch.bytes[batch.range(of: i)]))
                droneOf.append(Int(batch.drones[i]))
            }
            received += receiver.drain()
        }
        #expect(sender.datagramsSent == sent.count)
        #expect(sender.framesDropped == 0)
        #expect(received.count == sent.count)
        #expect(received.map(\.bytes) == sent)
        let ports = Set(received.map(\.port))
        if socketPerDrone {
            #expect(ports.count == drones)
            for (r, drone) in zip(received, droneOf) { #expect(r.port == sender.localPort(drone)) }
        } else {
            #expect(ports == [sender.localPort(0)!])
        }
    }

    @Test("a .tlog holds big-endian µs timestamps and the frames")
    func tlog() throws {
        let path = "/tmp/furrow-simulator-test-\(getpid()).tlog"
        defer { unlink(path) }
        var fleet = FleetSimulator(drones: 5, mission: .survey, seed: 6, startTime: epoch2025)
        var batch = SimulatedBatch()
        fleet.fill(&batch, until: epoch2025 + 10_000_000)
        let writer = try TlogFileWriter(path: path)
        try writer.write(batch)
        try writer.finish()
        let file = try #require(readFile(path))
        var offset = 0
        var i = 0
        while offset < file.count {
            let t = file[offset..<(offset + 8)].reduce(Int64(0)) { $0 << 8 | Int64($1) }
            let length = Int(file[offset + 9]) + (file[offset + 8] == 0xFD ? 12 : 8)
            #expect(t == batch.timestamps[i])
            #expect(Array(file[(offset + 8)..<(offset + 8 + length)]) == Array(batch.bytes[batch.range(of: i)]))
            offset += 8 + length
            i += 1
        }
        #expect(i == batch.count)
    }

    @Test("a pty delivers the frames unchanged to whoever opens its slave end")
    func pty() throws {
        let writer = try PTYFrameWriter()
        #expect(writer.path.hasPrefix("/dev/"))
        let reader = open(writer.path, O_RDONLY | O_NOCTTY | O_NONBLOCK)
        try #require(reader >= 0)
        defer { close(reader) }
        var fleet = FleetSimulator(drones: 2, mission: .spray, seed: 1, startTime: epoch2025)
        var batch = SimulatedBatch()
        fleet.fill(&batch, until: fleet.nextTimestamp + 1_000_000)  // ~100 frames, a few kB
        try writer.write(batch)
        #expect(writer.framesDropped == 0)
        var got: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<200 where got.count < batch.bytes.count {
            let n = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
            if n > 0 { got += buffer[..<n] } else { usleep(5_000) }
        }
        #expect(got == batch.bytes)
    }

    @Test("a feed runs until its task is cancelled and reports what it sent")
    func feedCancellation() async throws {
        let receiver = try LoopbackReceiver()
        let feed = SimulatedFeed(fleet: FleetSimulator(drones: 10, mission: .spray, seed: 1, startTime: epoch2025))
        let port = receiver.port
        // Bounded (an hour simulated, 3 minutes real) so that a broken cancellation fails instead of hanging.
        let task = Task { try await feed.run(toUDP: "127.0.0.1", port: port, speed: 20, duration: 3600) }
        // Wait for the first datagrams without blocking a thread: the task may start late while other
        // tests keep the cooperative pool busy.
        var received: [(bytes: [UInt8], port: Int)] = []
        for _ in 0..<6000 where received.isEmpty {
            try await Task.sleep(for: .milliseconds(20))
            received += receiver.drain(wait: false)
        }
        task.cancel()
        let clock = ContinuousClock()
        let cancelled = clock.now
        let report = try await task.value
        let stopping = clock.now - cancelled
        received += receiver.drain(wait: false)
        #expect(!received.isEmpty)
        #expect(report.frames > 0)
        #expect(report.simulatedMicroseconds > 0 && report.simulatedMicroseconds < 3_600_000_000)
        #expect(received.count <= report.frames)
        #expect(received.map(\.bytes).allSatisfy { $0.first == 0xFD })
        print("SimulatedFeed stopped \(stopping) after cancellation, having sent \(report.frames) frames")
    }

    @Test("a paced feed stops at its duration and sends every frame of it")
    func feedDuration() async throws {
        let collector = CollectingOutput()
        let fleet = FleetSimulator(drones: 3, mission: .survey, seed: 2, startTime: epoch2025)
        var copy = fleet
        var expected = SimulatedBatch()
        copy.fill(&expected, until: fleet.startTime + 2_000_000)
        let report = try await SimulatedFeed(fleet: fleet).run(to: collector, pacing: .realTime(speed: 50), duration: 2)
        #expect(report.frames == expected.count)
        #expect(collector.bytes == expected.bytes)
        #expect(collector.finished)
        let rated = CollectingOutput()
        let byRate = try await SimulatedFeed(fleet: fleet).run(to: rated, pacing: .rate(20_000), duration: 2)
        #expect(rated.bytes == expected.bytes && byRate.frames == expected.count)
    }

    // MARK: - Throughput (printed, not asserted)

    @Test("generation throughput")
    func throughput() {
        var fleet = FleetSimulator(drones: 4000, mission: .spray, seed: 1, startTime: epoch2025)
        let clock = ContinuousClock()
        let started = clock.now
        let batches = fleet.batches(until: epoch2025 + 2_000_000)
        let elapsed = clock.now - started
        let frames = batches.reduce(0) { $0 + $1.count }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        #expect(frames > 4000 * 2 * 45)
        print("FleetSimulator: \(frames) frames of 4000 drones in \(seconds) s = \(Int(Double(frames) / seconds)) frames/s")
    }
}

// MARK: - Helpers

/// Collects what a feed writes.
final class CollectingOutput: SimulationOutput {
    var bytes: [UInt8] = []
    var finished = false
    var framesDropped: Int { 0 }
    func write(_ batch: SimulatedBatch) throws(SimulationError) { bytes += batch.bytes }
    func finish() throws(SimulationError) { finished = true }
}

/// A UDP socket on 127.0.0.1 with an ephemeral port.
final class LoopbackReceiver: @unchecked Sendable {  // @unchecked: the descriptor is only used by one test at a time.
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        try #require(fd >= 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        var size: Int32 = 8 << 20
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Every datagram waiting (with `wait`, until 50 ms pass without one), with its source port.
    func drain(wait: Bool = true) -> [(bytes: [UInt8], port: Int)] {
        var out: [(bytes: [UInt8], port: Int)] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while true {
            var from = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let n = buffer.withUnsafeMutableBytes { raw in
                withUnsafeMutablePointer(to: &from) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, raw.baseAddress, raw.count, wait ? 0 : Int32(MSG_DONTWAIT), $0, &length) }
                }
            }
            if n < 0 { break }
            out.append((Array(buffer[..<n]), Int(UInt16(bigEndian: from.sin_port))))
        }
        return out
    }
}

/// The bytes of a file, or nil.
func readFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        out += buffer[..<n]
    }
    return out
}
