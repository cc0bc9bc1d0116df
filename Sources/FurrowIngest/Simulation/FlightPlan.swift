import Foundation

/// One sortie of a simulated drone, from the moment its battery is swapped to the moment it is parked again:
/// wait on the ground, arm, take off, fly a block of lanes over the field (lawnmower pattern), return home,
/// land, disarm.
///
/// Times are µs since the Unix epoch; positions metres east and north of the field's south-west corner.
struct FlightPlan: Sendable {
    /// What the drone is doing.
    enum Phase: UInt8, Sendable {
        case parked, armedIdle, takeoff, mission, returning, landing, landed
    }

    /// A corner of the horizontal track and when the drone passes it.
    struct Waypoint: Sendable {
        var time: Int64
        var east: Double
        var north: Double
        /// Whether the leg that starts here is a swath (pump on when spraying).
        var swath: Bool
    }

    /// Where and how the drone is at one instant.
    struct Sample: Sendable {
        var phase: Phase
        var east: Double
        var north: Double
        /// Height above ground, metres.
        var up: Double
        var velocityEast: Double
        var velocityNorth: Double
        var velocityUp: Double
        /// Course over ground, radians clockwise from north, in [0, 2π).
        var heading: Double
        var spraying: Bool
        /// The mission item being flown (1-based), 0 outside the mission.
        var missionItem: Int
        var isArmed: Bool { phase != .parked }
    }

    /// A STATUSTEXT the autopilot sends at a moment of the sortie.
    struct Event: Sendable {
        var time: Int64
        var severity: UInt8
        var text: String
    }

    // MARK: - Constants

    static let lanes = 20
    static let swathWidth = 6.0
    static let lanesPerSortie = 7
    static let swathSpeed = 5.0
    static let transitSpeed = 7.0
    static let home = (east: 4.0, north: 1.5)
    static let second: Int64 = 1_000_000

    // MARK: - Timeline

    let sortie: Int
    let cycleStart: Int64
    let armAt: Int64
    let takeoffAt: Int64
    let missionAt: Int64
    let returnAt: Int64
    let landAt: Int64
    let touchdownAt: Int64
    let disarmAt: Int64
    /// The next sortie's plan starts here (a second after disarming: the battery swap begins).
    let cycleEnd: Int64
    /// Cruise height above ground, metres.
    let altitude: Double
    let climbRate: Double
    let descentRate: Double
    /// The track from home at `missionAt` through the lanes (the last lane ends at `returnAt`) and back home
    /// at `landAt`.
    let path: [Waypoint]
    /// Index in `path` of the end of the last lane.
    let lastLaneEnd: Int
    let events: [Event]
    /// The leg the last sample was on (samples come in time order, so the search starts here).
    private var cursor = 0

    /// Plans sortie number `sortie` starting at `cycleStart` after `wait` seconds on the ground.
    init(mission: SimulatedMission, sortie: Int, cycleStart: Int64, wait: Double) {
        self.sortie = sortie
        self.cycleStart = cycleStart
        altitude = mission == .survey ? 30 : 4
        climbRate = mission == .survey ? 2.5 : 1.5
        descentRate = mission == .survey ? 1.5 : 0.8
        let s = Self.second
        armAt = cycleStart + Int64(wait * 1e6)
        takeoffAt = armAt + 3 * s
        missionAt = takeoffAt + Int64(altitude / climbRate * 1e6)

        let blocks = (Self.lanes + Self.lanesPerSortie - 1) / Self.lanesPerSortie
        let first = (sortie % blocks) * Self.lanesPerSortie
        let last = Swift.min(first + Self.lanesPerSortie, Self.lanes) - 1
        var path = [Waypoint(time: missionAt, east: Self.home.east, north: Self.home.north, swath: false)]
        func fly(to east: Double, _ north: Double, speed: Double, swath: Bool) {
            let from = path[path.count - 1]
            let distance = ((east - from.east) * (east - from.east) + (north - from.north) * (north - from.north)).squareRoot()
            path[path.count - 1].swath = swath
            path.append(Waypoint(time: from.time + Int64(distance / speed * 1e6), east: east, north: north, swath: false))
        }
        for lane in first...last {
            let north = Self.swathWidth * (Double(lane) + 0.5)
            let (start, end) = lane % 2 == 0 ? (0.0, 200.0) : (200.0, 0.0)
            fly(to: start, north, speed: lane == first ? Self.transitSpeed : Self.swathSpeed, swath: false)
            fly(to: end, north, speed: Self.swathSpeed, swath: true)
        }
        lastLaneEnd = path.count - 1
        returnAt = path[lastLaneEnd].time
        fly(to: Self.home.east, Self.home.north, speed: Self.transitSpeed, swath: false)
        landAt = path[path.count - 1].time
        touchdownAt = landAt + Int64(altitude / descentRate * 1e6)
        disarmAt = touchdownAt + 2 * s
        cycleEnd = disarmAt + s
        self.path = path

        let metres = Int(altitude.rounded())
        events = [
            Event(time: armAt, severity: 6, text: "Arming motors"),
            Event(time: takeoffAt, severity: 6, text: "Takeoff to \(metres) m"),
            Event(time: missionAt, severity: 6, text: "Mission: lanes \(first + 1)-\(last + 1) of \(Self.lanes)"),
            Event(time: returnAt, severity: 6, text: "Mission complete, RTL"),
            Event(time: landAt, severity: 6, text: "Landing"),
            Event(time: touchdownAt, severity: 6, text: "Land complete"),
            Event(time: disarmAt, severity: 6, text: "Disarming motors"),
        ]
    }

    // MARK: - Sampling

    /// The phase at `t` (cheaper than a full sample).
    func phase(at t: Int64) -> Phase {
        if t < armAt { return .parked }
        if t < takeoffAt { return .armedIdle }
        if t < missionAt { return .takeoff }
        if t < returnAt { return .mission }
        if t < landAt { return .returning }
        if t < touchdownAt { return .landing }
        return t < disarmAt ? .landed : .parked
    }

    /// The drone's state at `t` (in `cycleStart..<cycleEnd`; calls must come in time order).
    mutating func sample(at t: Int64) -> Sample {
        let first = path[0]
        let home = path[path.count - 1]
        if t < takeoffAt || t >= touchdownAt {
            let before = t < takeoffAt
            let phase: Phase = before ? (t < armAt ? .parked : .armedIdle) : (t < disarmAt ? .landed : .parked)
            let at = before ? first : home
            return Sample(
                phase: phase, east: at.east, north: at.north, up: 0, velocityEast: 0, velocityNorth: 0, velocityUp: 0,
                heading: before ? legHeading(0) : legHeading(path.count - 2), spraying: false, missionItem: 0)
        }
        if t < missionAt {
            let up = Double(t - takeoffAt) * 1e-6 * climbRate
            return Sample(
                phase: .takeoff, east: first.east, north: first.north, up: Swift.min(up, altitude), velocityEast: 0,
                velocityNorth: 0, velocityUp: climbRate, heading: legHeading(0), spraying: false, missionItem: 0)
        }
        if t >= landAt {
            let up = altitude - Double(t - landAt) * 1e-6 * descentRate
            return Sample(
                phase: .landing, east: home.east, north: home.north, up: Swift.max(up, 0), velocityEast: 0,
                velocityNorth: 0, velocityUp: -descentRate, heading: legHeading(path.count - 2), spraying: false,
                missionItem: 0)
        }
        if cursor >= path.count - 1 || path[cursor].time > t { cursor = 0 }
        while cursor < path.count - 2 && path[cursor + 1].time <= t { cursor += 1 }
        let a = path[cursor]
        let b = path[cursor + 1]
        let span = Double(b.time - a.time) * 1e-6
        let f = span > 0 ? Double(t - a.time) * 1e-6 / span : 1
        let east = a.east + (b.east - a.east) * f
        let north = a.north + (b.north - a.north) * f
        let ve = span > 0 ? (b.east - a.east) / span : 0
        let vn = span > 0 ? (b.north - a.north) / span : 0
        return Sample(
            phase: t < returnAt ? .mission : .returning, east: east, north: north, up: altitude, velocityEast: ve,
            velocityNorth: vn, velocityUp: 0, heading: legHeading(cursor), spraying: a.swath,
            missionItem: t < returnAt ? cursor + 1 : 0)
    }

    /// Number of mission items (one per leg of the outbound track).
    var missionItems: Int { lastLaneEnd }

    /// Course of leg `i` (from `path[i]` to `path[i + 1]`), radians clockwise from north.
    func legHeading(_ i: Int) -> Double {
        let i = Swift.max(0, Swift.min(i, path.count - 2))
        let heading = atan2(path[i + 1].east - path[i].east, path[i + 1].north - path[i].north)
        return heading < 0 ? heading + 2 * .pi : heading
    }
}
