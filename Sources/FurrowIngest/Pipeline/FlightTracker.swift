/// Turns a vehicle's HEARTBEAT armed flag into flight starts and ends.
///
/// MAVLink vehicles set MAV_MODE_FLAG_SAFETY_ARMED (128) in `base_mode` while armed; an arm starts a
/// flight and the next disarm ends it. Only transitions produce events, so a 1 Hz heartbeat costs nothing.
struct FlightTracker: Sendable {
    enum Event: Sendable, Hashable {
        case armed(project: String, source: String, at: Int64, vehicleType: Int, autopilot: Int)
        case disarmed(project: String, source: String, at: Int64, archive: LiveFlightArchive?)
    }

    let project: String
    let source: String
    /// Where the vehicle's bytes are archived (to summarise the flight from them after it ends).
    let archive: LiveFlightArchive?
    /// nil until the first heartbeat (the catalog may hold a flight left open by a previous run).
    var armed: Bool?

    init(project: String, source: String, archive: LiveFlightArchive? = nil) {
        self.project = project
        self.source = source
        self.archive = archive
    }

    mutating func observe(armed now: Bool, at time: Int64, vehicleType: Int, autopilot: Int) -> Event? {
        defer { armed = now }
        switch (armed, now) {
        case (false, true), (nil, true):
            // After a restart an already-armed vehicle gets a flight from the first heartbeat seen; the
            // catalog keeps an earlier open flight of the same source (begin is idempotent per start).
            return .armed(project: project, source: source, at: time, vehicleType: vehicleType, autopilot: autopilot)
        case (true, false), (nil, false):
            return .disarmed(project: project, source: source, at: time, archive: archive)
        default:
            return nil
        }
    }
}
