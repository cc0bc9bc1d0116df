import Foundation
import FurrowWire

// MARK: - ArduPilot constants

extension DroneSimulator {
    /// ArduCopter flight modes (HEARTBEAT custom_mode).
    public enum CopterMode: UInt32, Sendable {
        case stabilize = 0, auto = 3, guided = 4, loiter = 5, rtl = 6, land = 9
    }

    static let mavTypeQuadrotor: UInt8 = 2
    static let mavAutopilotArdupilotmega: UInt8 = 3
    static let mavStateStandby: UInt8 = 3
    static let mavStateActive: UInt8 = 4
    /// MAV_MODE_FLAG values.
    static let customModeEnabled: UInt8 = 1
    static let guidedEnabled: UInt8 = 8
    static let stabilizeEnabled: UInt8 = 16
    static let manualInputEnabled: UInt8 = 64
    /// MAV_MODE_FLAG_SAFETY_ARMED.
    public static let safetyArmed: UInt8 = 128
    /// Gyro, accel, mag, baro, GPS, rate/attitude/yaw/altitude/position control, motors, RC, AHRS, logging,
    /// battery, pre-arm checks (MAV_SYS_STATUS_SENSOR bits).
    static let sensorsPresent: UInt32 = 0x1 | 0x2 | 0x4 | 0x8 | 0x20 | 0x400 | 0x800 | 0x1000 | 0x2000 | 0x4000
        | 0x8000 | 0x1_0000 | 0x20_0000 | 0x100_0000 | 0x200_0000 | 0x1000_0000
    /// Control loops and motor outputs are enabled only while armed.
    static let sensorsArmedOnly: UInt32 = 0x400 | 0x800 | 0x1000 | 0x2000 | 0x4000 | 0x8000

    /// The flight mode for a phase of the sortie.
    static func mode(_ sample: FlightPlan.Sample, disarmedAfterLanding: Bool) -> CopterMode {
        switch sample.phase {
        case .parked: disarmedAfterLanding ? .land : .guided
        case .armedIdle, .takeoff: .guided
        case .mission: .auto
        case .returning: .rtl
        case .landing, .landed: .land
        }
    }
}

// MARK: - Writing frames

extension DroneSimulator {
    /// Appends one frame of `entry`; `write` fills the payload.
    @inline(__always)
    mutating func encode(
        _ entry: SimulatedMessageCatalog.Entry, into buffer: inout [UInt8], _ write: (inout MAVLinkPayloadWriter) -> Void
    ) {
        do {
            try encoder.encode(entry.info, into: &buffer, write)
        } catch {
            // Invariant: every message the simulator sends has an id below 256, so it fits MAVLink 1 too.
            preconditionFailure("\(error)")
        }
    }

    /// Milliseconds since boot, as the autopilot's uint32 counter.
    func bootMilliseconds(_ t: Int64) -> UInt32 { UInt32(truncatingIfNeeded: (t - bootTime) / 1000) }

    /// Latitude and longitude in 1e-7 degrees of a sampled position with `sigma` metres of noise.
    mutating func position(_ s: FlightPlan.Sample, sigma: Double) -> (Int32, Int32) {
        let (lat, lon) = field.coordinate(east: s.east + random.noise(sigma), north: s.north + random.noise(sigma))
        return (Int32((lat * 1e7).rounded()), Int32((lon * 1e7).rounded()))
    }

    /// Battery current at `t`, amps, with measurement noise; the pump adds 3 A while spraying.
    mutating func current(_ s: FlightPlan.Sample) -> Double {
        let base = Self.load(s.phase, mission: mission) + (s.spraying && mission == .spray ? 3 : 0)
        return Swift.max(0, base * (1 + random.noise(0.03)))
    }

    /// Spray flow, L/min: ~1.8 L/min (10 L/ha over a 6 m swath at 5 m/s) along a swath, else 0.
    mutating func sprayFlow(_ s: FlightPlan.Sample) -> Double {
        s.spraying && mission == .spray ? 1.8 * (1 + random.noise(0.02)) : 0
    }

    mutating func emit(_ kind: Stream.Kind, at t: Int64, into buffer: inout [UInt8]) {
        let s = state(at: t)
        let flying = s.phase != .parked && s.phase != .armedIdle && s.phase != .landed
        let speed = (s.velocityEast * s.velocityEast + s.velocityNorth * s.velocityNorth).squareRoot()
        let c = catalog
        switch kind {
        case .attitude:
            let m = c.attitude
            let roll = flying ? windRoll + random.noise(0.01) : groundRoll + random.noise(0.001)
            let pitch = flying ? -0.012 * speed + random.noise(0.008) : groundPitch + random.noise(0.001)
            var yaw = s.heading + random.noise(0.005)
            if yaw > .pi { yaw -= 2 * .pi }
            let rate = flying ? 0.02 : 0.002
            let rates = (random.noise(rate), random.noise(rate), random.noise(rate))
            let time = bootMilliseconds(t)
            encode(m.entry, into: &buffer) { p in
                p.set(m.time, time)
                p.set(m.roll, roll)
                p.set(m.pitch, pitch)
                p.set(m.yaw, yaw)
                p.set(m.rollSpeed, rates.0)
                p.set(m.pitchSpeed, rates.1)
                p.set(m.yawSpeed, rates.2)
            }

        case .globalPosition:
            let m = c.globalPosition
            let (lat, lon) = position(s, sigma: 0.05)
            let up = s.up + (flying ? random.noise(0.05) : 0)
            let alt = Int32(((field.groundAltitude + up) * 1000).rounded())
            let relative = Int32((up * 1000).rounded())
            let v = (
                Int16((s.velocityNorth * 100 + random.noise(3)).rounded()),
                Int16((s.velocityEast * 100 + random.noise(3)).rounded()),
                Int16((-s.velocityUp * 100 + random.noise(2)).rounded())
            )
            let hdg = UInt16(Int((s.heading * 18_000 / .pi).rounded()) % 36_000)
            let time = bootMilliseconds(t)
            encode(m.entry, into: &buffer) { p in
                p.set(m.time, time)
                p.set(m.lat, lat)
                p.set(m.lon, lon)
                p.set(m.alt, alt)
                p.set(m.relativeAlt, relative)
                p.set(m.vx, v.0)
                p.set(m.vy, v.1)
                p.set(m.vz, v.2)
                p.set(m.hdg, hdg)
            }

        case .gpsRaw:
            let m = c.gpsRaw
            if random.below(20) == 0 { satellites = Swift.min(24, Swift.max(12, satellites + (random.below(2) == 0 ? -1 : 1))) }
            let (lat, lon) = position(s, sigma: hasRTK ? 0.02 : 0.3)
            let alt = Int32(((field.groundAltitude + s.up + random.noise(hasRTK ? 0.03 : 0.5)) * 1000).rounded())
            let eph = UInt16(hasRTK ? 55 + random.below(5) : 70 + random.below(15))
            let vel = UInt16((speed * 100 + random.noise(2)).rounded().clamped(0, 65_534))
            let cog = UInt16(Int((s.heading * 18_000 / .pi).rounded()) % 36_000)
            let sats = satellites
            let rtk = hasRTK
            encode(m.entry, into: &buffer) { p in
                p.set(m.time, t)
                p.set(m.lat, lat)
                p.set(m.lon, lon)
                p.set(m.alt, alt)
                p.set(m.eph, eph)
                p.set(m.epv, rtk ? 90 : 130)
                p.set(m.vel, vel)
                p.set(m.cog, cog)
                p.set(m.fixType, rtk ? 6 : 3)
                p.set(m.satellites, sats)
                p.set(m.hAcc, rtk ? 14 : 650)
                p.set(m.vAcc, rtk ? 22 : 950)
                p.set(m.velAcc, rtk ? 30 : 160)
            }

        case .vfrHUD:
            let m = c.vfrHUD
            let airspeed = Swift.max(0, speed + random.noise(0.4))
            let throttle: Int
            switch s.phase {
            case .parked: throttle = 0
            case .armedIdle, .landed: throttle = 12
            case .takeoff: throttle = 58
            case .mission, .returning: throttle = mission == .spray ? 47 : 41
            case .landing: throttle = 35
            }
            let jitteredThrottle = throttle == 0 ? 0 : throttle + Int(random.below(5)) - 2
            let alt = field.groundAltitude + s.up
            let heading = Int16(Int((s.heading * 180 / .pi).rounded()) % 360)
            encode(m.entry, into: &buffer) { p in
                p.set(m.airspeed, airspeed)
                p.set(m.groundspeed, speed)
                p.set(m.alt, alt)
                p.set(m.climb, s.velocityUp)
                p.set(m.heading, heading)
                p.set(m.throttle, jitteredThrottle)
            }

        case .sysStatus:
            let m = c.sysStatus
            let amps = current(s)
            let volts = battery.voltage(current: amps) + random.noise(0.02)
            let remaining = Int8((battery.stateOfCharge * 100).rounded())
            let enabled = s.isArmed ? Self.sensorsPresent : Self.sensorsPresent & ~Self.sensorsArmedOnly
            let load = 280 + random.below(60)
            encode(m.entry, into: &buffer) { p in
                p.set(m.present, Self.sensorsPresent)
                p.set(m.enabled, enabled)
                p.set(m.health, Self.sensorsPresent)
                p.set(m.load, load)
                p.set(m.voltage, Int((volts * 1000).rounded()))
                p.set(m.current, Int((amps * 100).rounded()))
                p.set(m.remaining, remaining)
            }

        case .batteryStatus:
            let m = c.batteryStatus
            let amps = current(s)
            let volts = battery.voltage(current: amps) + random.noise(0.02)
            let remaining = Int8((battery.stateOfCharge * 100).rounded())
            let consumed = Int32(battery.consumed.rounded())
            let energy = Int32((battery.energy / 100).rounded())  // hectojoules
            let temperature = Int16((battery.temperature * 100).rounded())
            let timeLeft = amps > 1 ? Int32((battery.capacity - battery.consumed) / 1000 / amps * 3600) : 0
            encode(m.entry, into: &buffer) { p in
                p.set(m.consumed, consumed)
                p.set(m.energy, energy)
                p.set(m.temperature, temperature)
                p.set(m.voltages, Int((volts * 1000).rounded()), element: 0)
                for i in 1..<m.voltages.count { p.set(m.voltages, UInt16.max, element: i) }
                p.set(m.current, Int((amps * 100).rounded()))
                p.set(m.id, 0)
                p.set(m.function, 1)  // MAV_BATTERY_FUNCTION_ALL
                p.set(m.type, 1)  // MAV_BATTERY_TYPE_LIPO
                p.set(m.remaining, remaining)
                p.set(m.timeRemaining, timeLeft)
                p.set(m.chargeState, 1)  // MAV_BATTERY_CHARGE_STATE_OK
            }

        case .servoOutput:
            let m = c.servoOutput
            let base: Double
            switch s.phase {
            case .parked: base = 1000
            case .armedIdle, .landed: base = 1150
            case .takeoff: base = mission == .spray ? 1700 : 1560
            case .mission, .returning: base = mission == .spray ? 1640 : 1490
            case .landing: base = mission == .spray ? 1560 : 1420
            }
            let motors = (0..<4).map { _ in base == 1000 ? 1000 : Int((base + random.noise(20)).rounded()) }
            let pump = mission == .spray ? 1000 + Int((sprayFlow(s) / 2.4 * 900).rounded()) : 1100
            let time = UInt32(truncatingIfNeeded: t - bootTime)
            encode(m.entry, into: &buffer) { p in
                p.set(m.time, time)
                p.set(m.port, 0)
                for i in 0..<4 { p.set(m.servos[i], motors[i]) }
                p.set(m.servos[6], pump)
            }

        case .sprayFlow:
            let m = c.namedValueFloat
            let flow = sprayFlow(s)
            let time = bootMilliseconds(t)
            encode(m.entry, into: &buffer) { p in
                p.set(m.time, time)
                p.set(m.value, flow)
                p.setText(m.name, "SPRAY_LPM")
            }

        case .heartbeat:
            let m = c.heartbeat
            let mode = Self.mode(s, disarmedAfterLanding: t >= plan.disarmAt)
            var baseMode = Self.customModeEnabled | Self.stabilizeEnabled | Self.manualInputEnabled
            if mode != .land { baseMode |= Self.guidedEnabled }
            if s.isArmed { baseMode |= Self.safetyArmed }
            let status = s.isArmed ? Self.mavStateActive : Self.mavStateStandby
            encode(m.entry, into: &buffer) { p in
                p.set(m.customMode, mode.rawValue)
                p.set(m.type, Self.mavTypeQuadrotor)
                p.set(m.autopilot, Self.mavAutopilotArdupilotmega)
                p.set(m.baseMode, baseMode)
                p.set(m.systemStatus, status)
                p.set(m.mavlinkVersion, 3)
            }

        case .systemTime:
            let m = c.systemTime
            let time = bootMilliseconds(t)
            encode(m.entry, into: &buffer) { p in
                p.set(m.unix, t)
                p.set(m.boot, time)
            }

        case .missionCurrent:
            let m = c.missionCurrent
            let state = t < plan.missionAt ? 2 : (t < plan.returnAt ? 3 : 5)  // NOT_STARTED, ACTIVE, COMPLETE
            let total = plan.missionItems
            encode(m.entry, into: &buffer) { p in
                p.set(m.seq, s.missionItem)
                p.set(m.total, total)
                p.set(m.state, state)
            }
        }
    }

    /// Sends the pending STATUSTEXT.
    ///
    /// Invariant: events fall before `plan.cycleEnd` (the last, disarming, a second before it), so the plan
    /// that scheduled the event is still the current one.
    mutating func emitEvent(at t: Int64, into buffer: inout [UInt8]) {
        let event = plan.events[eventIndex]
        eventIndex += 1
        eventDue = .max
        let m = catalog.statusText
        encode(m.entry, into: &buffer) { p in
            p.set(m.severity, event.severity)
            p.setText(m.text, event.text)
        }
    }
}

extension Double {
    fileprivate func clamped(_ low: Double, _ high: Double) -> Double { Swift.min(Swift.max(self, low), high) }
}
