import Foundation
import FurrowIngest
import FurrowStore
import GRDB

/// Replays started over the API: each runs as a task, owned by one project, steerable and visible while it
/// runs and for a while after.
public actor ReplayManager {
    /// What a client asks for.
    public struct Request: Sendable, Codable {
        /// The archived source (the link name, e.g. `udp14550`).
        public var source: String
        public var from: String?
        public var to: String?
        public var flight: Int64?
        /// Where to send: `host:port` over UDP or TCP (hosts must be allowed by the server).
        public var udp: String?
        public var tcp: String?
        /// Original timing divided by this (0.1…100); null = as fast as possible. Default 1.
        public var speed: Double?
        public var maxRate: Bool?
        public var loop: Bool?
        public var startOffsetSeconds: Double?
        /// Rewrite every frame's system id (CRC recomputed; signed frames lose their signature).
        public var systemID: Int?
        /// Send only these messages (names).
        public var only: [String]?
        /// Do not send these messages (names).
        public var exclude: [String]?
        /// `keep` (default) or `now`: shift Unix-time fields to the replay's clock.
        public var timestamps: String?
        /// UDP only: join consecutive whole records into datagrams of at most this many bytes (1…65507); the
        /// byte stream is unchanged, the datagram boundaries are not. Null or absent: one datagram per record.
        public var coalesceBytes: Int?
    }

    /// A replay as the API shows it.
    public struct View: Sendable, Codable {
        public var id: Int
        public var source: String
        public var target: String
        public var speed: Double?
        public var loop: Bool
        public var state: String
        public var paused: Bool
        public var error: String?
        public var progress: ReplayProgress.Snapshot
    }

    struct Entry {
        let id: Int
        let project: String
        let source: String
        let target: String
        let speed: Double?
        let loop: Bool
        let control: ReplayControl
        let progress: ReplayProgress
        var task: Task<Void, Never>?
        var error: String?
        var done = false
    }

    /// Why a replay was refused.
    public struct Refusal: Error, Sendable {
        public let parameter: String
        public let reason: String
        public let conflict: Bool
    }

    let reader: RawArchiveReader
    let flights: FlightCatalog
    /// Hosts a replay may send to (UDP and TCP); the loopback addresses by default.
    let allowedHosts: Set<String>
    let limitPerProject: Int
    var entries: [Int: Entry] = [:]
    var nextID = 1

    public init(database: any DatabaseReader & DatabaseWriter, allowedHosts: Set<String>, limitPerProject: Int = 4) {
        self.reader = RawArchiveReader(database: database)
        self.flights = FlightCatalog(database: database)
        self.allowedHosts = allowedHosts
        self.limitPerProject = limitPerProject
    }

    public func list(project: String) -> [View] {
        entries.values.filter { $0.project == project }.sorted { $0.id < $1.id }.map(Self.view)
    }

    public func view(id: Int, project: String) -> View? {
        entries[id].flatMap { $0.project == project ? Self.view($0) : nil }
    }

    /// Applies `action` (pause, resume, stop, seek to `to`) to replay `id` of `project`; nil if unknown.
    public func control(id: Int, project: String, action: String, to: Int64?) throws(Refusal) -> View? {
        guard let entry = entries[id], entry.project == project else { return nil }
        switch action {
        case "pause": entry.control.pause()
        case "resume": entry.control.resume()
        case "stop": entry.control.stop()
        case "seek":
            guard let to else { throw Refusal(parameter: "to", reason: "seek needs a time `to`", conflict: false) }
            entry.control.seek(to: to)
        default:
            throw Refusal(parameter: "action", reason: "action is pause, resume, stop or seek", conflict: false)
        }
        return Self.view(entry)
    }

    public func start(_ request: Request, project: String) async throws(Refusal) -> View {
        let running = entries.values.filter { $0.project == project && !$0.done }.count
        guard running < limitPerProject else {
            throw Refusal(parameter: "source", reason: "\(running) replays are running in this project (at most \(limitPerProject)); stop one first", conflict: true)
        }
        let targets = [request.udp, request.tcp].compactMap { $0 }
        guard targets.count == 1, let target = targets.first else {
            throw Refusal(parameter: "udp", reason: "name exactly one target: udp or tcp (host:port)", conflict: false)
        }
        let parameter = request.udp != nil ? "udp" : "tcp"
        guard let address = SocketAddressSpec(target), (1...65535).contains(address.port) else {
            throw Refusal(parameter: parameter, reason: "\(target) is not host:port", conflict: false)
        }
        guard allowedHosts.contains(address.host) else {
            throw Refusal(
                parameter: parameter,
                reason: "\(address.host) is not a replay target this server allows (\(allowedHosts.sorted().joined(separator: ", ")))",
                conflict: false)
        }
        if let coalesce = request.coalesceBytes {
            guard request.udp != nil else {
                throw Refusal(parameter: "coalesceBytes", reason: "coalesceBytes joins UDP datagrams; it needs udp", conflict: false)
            }
            guard (1...65507).contains(coalesce) else {
                throw Refusal(parameter: "coalesceBytes", reason: "coalesceBytes must be 1…65507", conflict: false)
            }
        }
        let coalesceBytes = request.coalesceBytes ?? 0
        let speed: Double? = request.maxRate == true ? nil : (request.speed ?? 1)
        if let speed, !(0.1...100).contains(speed) {
            throw Refusal(parameter: "speed", reason: "speed must be 0.1…100", conflict: false)
        }
        var lower = Int64.min
        var upper = Int64.max
        if let from = request.from {
            guard let t = StoreTime.parse(from) else { throw Refusal(parameter: "from", reason: "from is not RFC 3339 or µs", conflict: false) }
            lower = t
        }
        if let to = request.to {
            guard let t = StoreTime.parse(to) else { throw Refusal(parameter: "to", reason: "to is not RFC 3339 or µs", conflict: false) }
            upper = t
        }
        if let flight = request.flight {
            guard let record = try? await flights.flight(id: flight, project: project) else {
                throw Refusal(parameter: "flight", reason: "no flight \(flight)", conflict: false)
            }
            lower = record.start - 2_000_000
            upper = (record.end ?? Int64.max - 2_000_000) + 2_000_000
        }
        guard lower < upper else { throw Refusal(parameter: "to", reason: "from must be before to", conflict: false) }
        let sources = (try? await reader.sources(project: project)) ?? []
        guard sources.contains(where: { $0.source == request.source }) else {
            throw Refusal(parameter: "source", reason: "no archived source \(request.source)", conflict: false)
        }
        var options = ReplayOptions(speed: speed)
        options.loop = request.loop ?? false
        options.startOffset = .milliseconds(Int64((request.startOffsetSeconds ?? 0) * 1000))
        options.rewrite = try Self.rewrite(request)
        // Inside the daemon a replay's thread stays ordinary: a real-time thread would compete with ingest,
        // and the shipped systemd unit forbids it (RestrictRealtime). `furrow replay` asks for it.
        options.realtimePacing = false
        let session = ReplaySession(
            source: .archive(reader, project: project, source: request.source, from: lower, to: upper), options: options)
        let id = nextID
        nextID += 1
        let entry = Entry(
            id: id, project: project, source: request.source, target: "\(parameter)://\(target)", speed: speed,
            loop: options.loop, control: ReplayControl(), progress: ReplayProgress())
        entries[id] = entry
        let isUDP = request.udp != nil
        entries[id]?.task = Task.detached { [control = entry.control, progress = entry.progress] in
            var failure: String?
            do {
                if isUDP {
                    var output = try UDPFrameSender(host: address.host, port: address.port)
                    output.coalesceBytes = coalesceBytes
                    try await session.run(into: &output, progress: progress, control: control)
                } else {
                    var output = try TCPFrameWriter(host: address.host, port: address.port)
                    try await session.run(into: &output, progress: progress, control: control)
                }
            } catch {
                failure = "\(error)"
            }
            await self.finished(id, error: failure)
        }
        prune()
        return Self.view(entries[id]!)
    }

    /// The frame rewriting and filtering a request asks for.
    static func rewrite(_ request: Request) throws(Refusal) -> ReplayRewrite {
        var systemID: UInt8?
        if let requested = request.systemID {
            guard let id = UInt8(exactly: requested) else {
                throw Refusal(parameter: "systemID", reason: "systemID must be 0…255", conflict: false)
            }
            systemID = id
        }
        let timestamps = request.timestamps ?? "keep"
        guard timestamps == "keep" || timestamps == "now" else {
            throw Refusal(parameter: "timestamps", reason: "timestamps is keep or now", conflict: false)
        }
        do {
            return try ReplayRewrite(
                systemID: systemID, timestampsNow: timestamps == "now", only: request.only,
                exclude: request.exclude ?? [])
        } catch {
            throw Refusal(parameter: request.only != nil ? "only" : "exclude", reason: error.description, conflict: false)
        }
    }

    func finished(_ id: Int, error: String?) {
        entries[id]?.done = true
        entries[id]?.error = error
    }

    /// Keeps the 50 newest finished replays.
    func prune() {
        let finished = entries.values.filter(\.done).sorted { $0.id > $1.id }
        for entry in finished.dropFirst(50) { entries[entry.id] = nil }
    }

    static func view(_ e: Entry) -> View {
        let state = e.error != nil ? "failed" : e.done ? (e.control.isStopped ? "stopped" : "finished") : "running"
        return View(
            id: e.id, source: e.source, target: e.target, speed: e.speed, loop: e.loop, state: state,
            paused: e.control.isPaused, error: e.error, progress: e.progress.snapshot)
    }
}
