import FurrowWire

/// One MAVLink frame of a simulated drone and when it was sent.
public struct SimulatedFrame: Sendable, Hashable {
    /// Send time, µs since the Unix epoch.
    public var timestamp: Int64
    /// The whole frame (STX through CRC).
    public var bytes: [UInt8]

    public init(timestamp: Int64, bytes: [UInt8]) {
        self.timestamp = timestamp
        self.bytes = bytes
    }
}

/// A deterministic simulated agricultural drone running ArduCopter: the telemetry it sends, frame by frame.
///
/// The drone flies sorties over its field (`SimulatedField`): a wait on the ground, arming, take-off in
/// GUIDED, a block of 7 of the field's 20 lanes in AUTO (6 m swath, 5 m/s, a lawnmower pattern), RTL,
/// LAND, disarming, and the next sortie after a battery swap. It sends what an ArduCopter sends to a
/// ground station, about 48 messages/s (50 for a sprayer):
///
/// | message | rate | content |
/// |---|---|---|
/// | ATTITUDE | 20 Hz | roll, pitch (nose down with speed), yaw along the track, rates; small noise |
/// | GLOBAL_POSITION_INT | 10 Hz | lat/lon (1e-7°), alt MSL and above ground (mm), velocity (cm/s), heading |
/// | GPS_RAW_INT | 5 Hz | fix 3 or RTK fixed 6, satellites, HDOP, accuracies |
/// | VFR_HUD | 5 Hz | speeds, heading, throttle, altitude, climb |
/// | SYS_STATUS | 2 Hz | sensors, load, battery voltage (sagging under load), current, remaining % |
/// | SERVO_OUTPUT_RAW | 2 Hz | motor PWM 1–4; the pump on channel 7 when spraying |
/// | NAMED_VALUE_FLOAT `SPRAY_LPM` | 2 Hz | spray flow, L/min (sprayers only; 0 between swaths) |
/// | HEARTBEAT | 1 Hz | QUADROTOR, ARDUPILOTMEGA, armed flag, GUIDED/AUTO/RTL/LAND, STANDBY/ACTIVE |
/// | BATTERY_STATUS | 1 Hz | pack voltage in voltages[0], current, mAh and energy consumed, temperature |
/// | SYSTEM_TIME, MISSION_CURRENT | 1 Hz | clock; mission item and state |
/// | STATUSTEXT | on events | arming, take-off, mission, RTL, landing, disarming |
///
/// Every stream keeps its nominal period; each frame goes out 0–3 ms after its nominal time (deterministic
/// jitter). Everything random comes from the drone's own generator seeded by `seed` and its ids, so the
/// same arguments give byte-identical frames.
///
/// ```swift
/// var drone = DroneSimulator(seed: 1, systemID: 1, mission: .spray, startTime: 1_750_000_000_000_000)
/// drone.advance(until: drone.nextTimestamp + 60_000_000) { time, frame in socket.send(frame) }
/// ```
public struct DroneSimulator: Sendable {
    /// The seed everything random derives from.
    public let seed: UInt64
    public let systemID: UInt8
    public let componentID: UInt8
    public let mission: SimulatedMission
    /// The field the drone works.
    public let field: SimulatedField
    /// The time of the next frame, µs since the Unix epoch.
    public private(set) var nextTimestamp: Int64 = .max

    var encoder: MAVLinkEncoder
    var random: SimulationRandom
    var plan: FlightPlan
    var battery: SimulatedBattery
    var streams: [Stream]
    /// Index of the next STATUSTEXT in `plan.events`, and when it goes out (`.max` when none is left).
    var eventIndex = 0
    var eventDue: Int64 = .max
    /// Which stream sends next: an index into `streams`, or -1 for the STATUSTEXT.
    var nextStream = 0
    /// When the autopilot booted (time_boot_ms counts from here).
    let bootTime: Int64
    let catalog = SimulatedMessageCatalog.shared

    // Per-drone character: RTK or not, wind, ground slope, GNSS constellation.
    let hasRTK: Bool
    let windRoll: Double
    let groundRoll: Double
    let groundPitch: Double
    var satellites: Int

    /// One periodic message stream.
    struct Stream: Sendable {
        enum Kind: UInt8, Sendable {
            case attitude, globalPosition, gpsRaw, vfrHUD, sysStatus, servoOutput, sprayFlow, heartbeat, batteryStatus,
                systemTime, missionCurrent
        }
        let kind: Kind
        let period: Int64
        /// The nominal time of the next frame; `due` adds the jitter.
        var nominal: Int64
        var due: Int64
    }

    /// Largest send delay after a nominal time, µs.
    static let jitter: Int64 = 3_000
    /// Typical length of a sortie cycle, s (drones of a fleet start at a random point in it).
    public static let typicalCycle = 420.0

    /// Creates a drone whose first frame is sent at or just after `startTime` (µs since the Unix epoch).
    ///
    /// - Parameters:
    ///   - seed: Everything random derives from it (with the ids): the same arguments give the same bytes.
    ///   - field: Where it flies; by default field number `systemID - 1` of the fleet grid.
    ///   - phase: Seconds into its first sortie at `startTime`: 0 starts parked, a few seconds before arming;
    ///     larger values start it on the way, possibly in the air.
    ///   - version: MAVLink 2 (default) or 1 framing.
    public init(
        seed: UInt64, systemID: UInt8, componentID: UInt8 = 1, mission: SimulatedMission, startTime: Int64,
        field: SimulatedField? = nil, phase: Double = 0, version: MAVLinkVersion = .v2
    ) {
        self.seed = seed
        self.systemID = systemID
        self.componentID = componentID
        self.mission = mission
        self.field = field ?? SimulatedField(index: Swift.max(Int(systemID) - 1, 0))
        var random = SimulationRandom(seed: seed, stream: UInt64(systemID) << 8 | UInt64(componentID))
        encoder = MAVLinkEncoder(
            version: version, systemID: systemID, componentID: componentID, sequence: UInt8(truncatingIfNeeded: random.next()))
        let cycleStart = startTime - Int64(Swift.max(phase, 0) * 1e6)
        bootTime = cycleStart - 20_000_000 - random.below(40_000_000)
        plan = FlightPlan(mission: mission, sortie: 0, cycleStart: cycleStart, wait: random.uniform(5...15))
        battery = SimulatedBattery(mission: mission, fittedAt: cycleStart)
        hasRTK = mission == .spray || random.unit() < 0.5
        windRoll = random.noise(0.03)
        groundRoll = random.noise(0.01)
        groundPitch = random.noise(0.01)
        satellites = 16 + Int(random.below(7))
        var streams: [Stream] = []
        func add(_ kind: Stream.Kind, hertz: Int64) {
            let period = 1_000_000 / hertz
            let nominal = startTime + random.below(period)
            streams.append(Stream(kind: kind, period: period, nominal: nominal, due: nominal + random.below(Self.jitter)))
        }
        add(.attitude, hertz: 20)
        add(.globalPosition, hertz: 10)
        add(.gpsRaw, hertz: 5)
        add(.vfrHUD, hertz: 5)
        add(.sysStatus, hertz: 2)
        add(.servoOutput, hertz: 2)
        if mission == .spray { add(.sprayFlow, hertz: 2) }
        add(.heartbeat, hertz: 1)
        add(.batteryStatus, hertz: 1)
        add(.systemTime, hertz: 1)
        add(.missionCurrent, hertz: 1)
        self.streams = streams
        self.random = random
        rollPlan(to: startTime)
        eventIndex = plan.events.firstIndex { $0.time >= startTime } ?? plan.events.count
        scheduleEvent()
        chooseNext()
    }

    // MARK: - Frames

    /// The next frame, in time order.
    public mutating func next() -> SimulatedFrame {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        let timestamp = next(appendingTo: &bytes)
        return SimulatedFrame(timestamp: timestamp, bytes: bytes)
    }

    /// Appends the next frame to `buffer` and returns its send time (µs since the Unix epoch).
    @discardableResult
    public mutating func next(appendingTo buffer: inout [UInt8]) -> Int64 {
        let t = nextTimestamp
        if nextStream < 0 {
            emitEvent(at: t, into: &buffer)
        } else {
            let kind = streams[nextStream].kind
            streams[nextStream].nominal += streams[nextStream].period
            streams[nextStream].due = streams[nextStream].nominal + random.below(Self.jitter)
            emit(kind, at: t, into: &buffer)
        }
        scheduleEvent()
        chooseNext()
        return t
    }

    /// Calls `body` with every frame sent before `end` (µs since the Unix epoch), in time order.
    ///
    /// The bytes passed to `body` are valid only during the call.
    public mutating func advance(until end: Int64, _ body: (Int64, UnsafeRawBufferPointer) throws -> Void) rethrows {
        var scratch: [UInt8] = []
        scratch.reserveCapacity(128)
        while nextTimestamp < end {
            scratch.removeAll(keepingCapacity: true)
            let t = next(appendingTo: &scratch)
            try scratch.withUnsafeBytes { try body(t, $0) }
        }
    }

    // MARK: - Scheduling

    /// Picks the stream (or STATUSTEXT) due first.
    mutating func chooseNext() {
        var best = eventDue
        var which = -1
        for i in streams.indices where streams[i].due < best {
            best = streams[i].due
            which = i
        }
        nextTimestamp = best
        nextStream = which
    }

    /// Moves on to later sorties until the plan covers `t`, swapping batteries in between.
    mutating func rollPlan(to t: Int64) {
        while t >= plan.cycleEnd {
            let start = plan.cycleEnd
            plan = FlightPlan(mission: mission, sortie: plan.sortie + 1, cycleStart: start, wait: random.uniform(40...70))
            battery.swap(at: start)
            eventIndex = 0
            eventDue = .max
        }
    }

    /// Sets when the next STATUSTEXT of the current plan goes out.
    mutating func scheduleEvent() {
        if eventDue == .max && eventIndex < plan.events.count {
            eventDue = plan.events[eventIndex].time + 200 + random.below(Self.jitter)
        }
    }

    /// Brings the plan and the battery to `t` and samples the flight there.
    mutating func state(at t: Int64) -> FlightPlan.Sample {
        rollPlan(to: t)
        let plan = self.plan
        let mission = self.mission
        battery.advance(to: t) { Self.load(plan.phase(at: $0), mission: mission) }
        return self.plan.sample(at: t)
    }

    /// Current drawn in each phase, amps.
    static func load(_ phase: FlightPlan.Phase, mission: SimulatedMission) -> Double {
        let survey = mission == .survey
        switch phase {
        case .parked: return 0.4
        case .armedIdle, .landed: return survey ? 4 : 9
        case .takeoff: return survey ? 32 : 78
        case .mission: return survey ? 22 : 58
        case .returning: return survey ? 24 : 52
        case .landing: return survey ? 16 : 42
        }
    }
}
