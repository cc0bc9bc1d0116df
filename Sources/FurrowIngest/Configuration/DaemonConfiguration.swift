import Foundation

/// The daemon's configuration (`furrow serve --config furrow.toml`), with a default for everything.
///
/// No file at all means the defaults: data in `furrow-data/`, HTTP on `127.0.0.1:8080`, one UDP link
/// `udp14550` on `0.0.0.0:14550` with the `generic-mavlink` profile. Unknown keys are errors (a typo must
/// not silently fall back to a default); every error names the file and line. `Hardware/furrow.example.toml`
/// documents every key.
///
/// ```swift
/// let configuration = try DaemonConfiguration.load(from: "/etc/furrow/furrow.toml")
/// let catalog = try DeviceProfileCatalog(directories: configuration.profileDirectories)
/// try configuration.validate(against: catalog)
/// ```
public struct DaemonConfiguration: Sendable {
    /// The profile of links and senders that name none.
    public static let defaultProfile = "generic-mavlink"

    /// The file the configuration was read from, nil for the built-in defaults.
    public var file: String?
    /// Where the store, the raw archive and other state live (`data_directory`, default `furrow-data`).
    public var dataDirectory: String
    /// The project sources belong to unless a link or source rule says otherwise (`project`, default `default`).
    public var project: String
    /// Directories searched for device profiles (`profile_directories`; default `Hardware/profiles`, relative
    /// to the working directory, and `/etc/furrow/profiles` when it exists).
    public var profileDirectories: [String]
    /// Bound of the queue between transports and the pipeline: heap bytes the queued bursts hold
    /// (`queue_bytes`, default 256 MiB).
    ///
    /// It must hold what arrives while the pipeline writes a checkpoint (5–6 s at 150 k msg/s on a loaded
    /// 2-core machine: ~100 MiB at ~80 bytes per small datagram and its record). Until the queue counted
    /// real bytes, 64 MiB of received bytes held 3–5 times that in RSS.
    public var queueBytes: Int
    /// Nice value added to the threads that decode and store telemetry and import uploads (`ingest_niceness`,
    /// 0-19, default 0): above 0, when the CPU is short API queries run first and ingest catches up from its
    /// queue — and also yields to any other busy process of the machine, so it is a choice, not the default.
    public var ingestNiceness: Int
    public var store: Store
    public var archive: Archive
    public var http: HTTP
    /// `[[udp]]` links.
    public var udp: [UDPLink]
    /// `[[serial]]` links.
    public var serial: [SerialLink]
    /// `[[tcp]]` links.
    public var tcp: [TCPLink]
    /// `[[forward]]` rules: received bytes copied on to another address.
    public var forwards: [ForwardRule]
    /// `[[source]]` rules, in file order: the first that matches a sender names it.
    public var sources: [SourceRule]
    /// `[[sdi12]]` buses the recorder polls.
    public var sdi12: [SDI12Bus] = []
    /// `[[modbus]]` RS-485 buses the daemon is Modbus RTU master of.
    public var modbus: [ModbusBus] = []
    /// `[[lorawan]]` sockets for Semtech packet forwarders.
    public var lorawan: [LoRaWANLink] = []
    /// Positions of keys in `file`, for `validate(against:)`'s messages.
    var locator: TOMLKeyLocator?

    /// `[store]`: the time-series store.
    public struct Store: Sendable, Hashable {
        /// SQLite file (`path`, default `<data_directory>/furrow.sqlite`).
        public var path: String
        /// How often buffered rows are written (`flush_interval_ms`, default 1000): what a crash can lose.
        public var flushIntervalMilliseconds: Int
        /// Rows per compressed chunk (`chunk_rows`, default 4096).
        public var chunkRows: Int
        /// Days of data kept (`retention_days`), nil to keep everything.
        public var retentionDays: Int?
        /// Longest time decoded rows wait in memory before a checkpoint writes them to SQLite
        /// (`checkpoint_interval_ms`, default 60000). Not what a crash can lose: the raw archive holds the
        /// bytes after the last checkpoint and a restart re-decodes them; longer intervals write fewer,
        /// bigger chunks and make a restart re-read more.
        public var checkpointIntervalMilliseconds: Int
        /// Rows waiting in memory that trigger a checkpoint before the interval (`checkpoint_rows`, default
        /// 1,000,000): bounds the memory the store's heads hold. Fewer checkpoints per row cost less CPU
        /// (one chunk per series per checkpoint) and more memory.
        public var checkpointRows: Int

        public init(
            path: String, flushIntervalMilliseconds: Int = 1000, chunkRows: Int = 4096, retentionDays: Int? = nil,
            checkpointIntervalMilliseconds: Int = 60_000, checkpointRows: Int = 1_000_000
        ) {
            self.path = path
            self.flushIntervalMilliseconds = flushIntervalMilliseconds
            self.chunkRows = chunkRows
            self.retentionDays = retentionDays
            self.checkpointIntervalMilliseconds = checkpointIntervalMilliseconds
            self.checkpointRows = checkpointRows
        }
    }

    /// `[archive]`: the raw byte archive (for replay and reprocessing).
    public struct Archive: Sendable, Hashable {
        /// Whether received bytes are archived (`enabled`, default true).
        public var enabled: Bool
        /// Days of raw bytes kept (`retention_days`), nil to keep everything.
        public var retentionDays: Int?

        public init(enabled: Bool = true, retentionDays: Int? = nil) {
            self.enabled = enabled
            self.retentionDays = retentionDays
        }
    }

    /// `[http]`: health, metrics and the API.
    public struct HTTP: Sendable, Hashable {
        /// `listen`, default `127.0.0.1:8080`.
        public var listen: SocketAddressSpec
        /// `operator_token_file`: a file holding the server-wide operator token (nil: no operator over HTTP).
        public var operatorTokenFile: String?
        /// `max_body_bytes`: largest JSON request body, default 1 MiB.
        public var maximumBodyBytes = 1 << 20
        /// `max_result_values`: most values one JSON query answer may hold, default 1,000,000.
        public var maximumResultValues = 1_000_000
        /// `max_export_rows`: most rows one CSV / line-protocol export may stream, default 50,000,000.
        public var maximumExportRows = 50_000_000
        /// `requests_per_second` and `burst` per token (0 = no limit), default 50 and 100.
        public var requestsPerSecond = 50
        public var burst = 100
        /// `cors_origin`: the one origin (or `*`) browsers may call the API from; CORS is off without it.
        public var corsOrigin: String?
        /// `replay_hosts`: hosts a replay started over the API may send to (default: loopback only).
        public var replayHosts: [String] = ["127.0.0.1", "::1", "localhost"]
        /// `max_upload_bytes`: largest flight log `POST /v1/projects/{p}/flights` accepts, default 2 GiB.
        public var maximumUploadBytes = 2 << 30

        public init(listen: SocketAddressSpec = SocketAddressSpec(host: "127.0.0.1", port: 8080)) {
            self.listen = listen
        }
    }

    /// `[[udp]]`: a socket that receives MAVLink datagrams (from a ground station, mavlink-router, SITL).
    public struct UDPLink: Sendable, Hashable {
        public var name: String
        /// `listen`, default `0.0.0.0:14550`.
        public var listen: SocketAddressSpec
        /// Profile of senders on this link without a source rule; nil = `generic-mavlink`.
        public var profile: String?
        /// Project of senders on this link without a source rule; nil = the top-level `project`.
        public var project: String?
        var sourcePath: TOMLPath?

        public init(name: String, listen: SocketAddressSpec, profile: String? = nil, project: String? = nil) {
            self.name = name
            self.listen = listen
            self.profile = profile
            self.project = project
        }
    }

    /// `[[serial]]`: a serial device (a telemetry radio, an autopilot's USB port).
    public struct SerialLink: Sendable, Hashable {
        public var name: String
        /// `device`, e.g. `/dev/furrow-radio-0` (see `Hardware/udev/99-furrow.rules`).
        public var device: String
        /// `baud`, `framing` and `flow_control`; nil = the link profile's transport defaults (57600 8N1 none).
        public var baud: Int?
        public var framing: SerialFraming?
        public var flowControl: SerialFlowControl?
        public var profile: String?
        public var project: String?
        var sourcePath: TOMLPath?

        public init(
            name: String, device: String, baud: Int? = nil, framing: SerialFraming? = nil,
            flowControl: SerialFlowControl? = nil, profile: String? = nil, project: String? = nil
        ) {
            self.name = name
            self.device = device
            self.baud = baud
            self.framing = framing
            self.flowControl = flowControl
            self.profile = profile
            self.project = project
        }

        /// The line settings: this link's own, else the profile's transport defaults, else 57600 8N1.
        public func lineSettings(defaults: DeviceTransportDefaults = .init()) -> SerialLineSettings {
            SerialLineSettings(
                baud: baud ?? defaults.serialBaud, framing: framing ?? defaults.serialFraming,
                flowControl: flowControl ?? defaults.serialFlowControl)
        }
    }

    /// `[[tcp]]`: a TCP connection the daemon opens (SITL on 5760, a companion computer's MAVLink server).
    public struct TCPLink: Sendable, Hashable {
        public var name: String
        /// `connect`, `host:port`.
        public var connect: SocketAddressSpec
        public var profile: String?
        public var project: String?
        var sourcePath: TOMLPath?

        public init(name: String, connect: SocketAddressSpec, profile: String? = nil, project: String? = nil) {
            self.name = name
            self.connect = connect
            self.profile = profile
            self.project = project
        }
    }

    /// `[[forward]]`: bytes received on `links` are sent on to `to` as UDP datagrams (a ground station
    /// that should see the same telemetry).
    public struct ForwardRule: Sendable, Hashable {
        public var name: String
        public var to: SocketAddressSpec
        /// Link names whose bytes are forwarded; nil = every link.
        public var links: [String]?
        var sourcePath: TOMLPath?

        public init(name: String, to: SocketAddressSpec, links: [String]? = nil) {
            self.name = name
            self.to = to
            self.links = links
        }

        /// Whether bytes of `link` are forwarded.
        public func forwards(link: String) -> Bool { links?.contains(link) ?? true }
    }

    /// `[[source]]`: names a sender (a drone, a sensor node) and picks its profile and project.
    ///
    /// A rule matches when every match key it gives equals the sender's (`link`, `system_id`,
    /// `component_id`, and for UDP `peer`: the sender's address as `10.0.0.5` or `10.0.0.5:14550`,
    /// `[fe80::1]:14550`); a rule without match keys matches everything. `name` may contain `{link}`,
    /// `{sysid}`, `{compid}` and `{peer}`.
    public struct SourceRule: Sendable, Hashable {
        public var link: String?
        public var systemID: Int?
        public var componentID: Int?
        /// UDP sender address, with or without its port.
        public var peer: String?
        /// Source name template; nil = `<link>-<sysid>-<compid>`.
        public var name: String?
        public var profile: String?
        public var project: String?
        var sourcePath: TOMLPath?

        public init(
            link: String? = nil, systemID: Int? = nil, componentID: Int? = nil, name: String? = nil,
            profile: String? = nil, project: String? = nil
        ) {
            self.link = link
            self.systemID = systemID
            self.componentID = componentID
            self.name = name
            self.profile = profile
            self.project = project
        }

        public func matches(link: String, systemID: UInt8, componentID: UInt8, peer: String? = nil) -> Bool {
            (self.link == nil || self.link == link) && (self.systemID == nil || self.systemID == Int(systemID))
                && (self.componentID == nil || self.componentID == Int(componentID))
                && (self.peer == nil || Self.peer(peer, matches: self.peer!))
        }

        /// `10.0.0.5:14550` matches `10.0.0.5:14550` and `10.0.0.5`; `[::1]:9` matches `[::1]:9`, `[::1]` and `::1`.
        static func peer(_ peer: String?, matches pattern: String) -> Bool {
            guard let peer else { return false }
            if peer == pattern { return true }
            guard let colon = peer.lastIndex(of: ":") else { return false }
            let host = peer[..<colon]
            return host == pattern || (host.hasPrefix("[") && host.dropFirst().dropLast() == pattern)
        }
    }

    /// What the daemon stores a sender's data as.
    public struct ResolvedSource: Sendable, Hashable {
        /// `StoreGroupKey.source`.
        public var name: String
        /// Device profile name (look it up in the catalog).
        public var profile: String
        /// `StoreGroupKey.project`.
        public var project: String

        public init(name: String, profile: String, project: String) {
            self.name = name
            self.profile = profile
            self.project = project
        }
    }

    /// The built-in defaults (what the daemon runs with when there is no configuration file).
    public init() {
        file = nil
        dataDirectory = "furrow-data"
        project = "default"
        profileDirectories = Self.defaultProfileDirectories()
        queueBytes = 256 << 20
        ingestNiceness = 0
        store = Store(path: "furrow-data/furrow.sqlite")
        archive = Archive()
        http = HTTP()
        udp = [Self.defaultUDPLink]
        serial = []
        tcp = []
        forwards = []
        sources = []
        locator = nil
    }

    /// The link used when none is configured: `udp14550` on `0.0.0.0:14550`.
    public static let defaultUDPLink = UDPLink(name: "udp14550", listen: SocketAddressSpec(host: "0.0.0.0", port: 14550))

    /// `Hardware/profiles`, plus `/etc/furrow/profiles` when it exists.
    public static func defaultProfileDirectories() -> [String] {
        var directories = ["Hardware/profiles"]
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: "/etc/furrow/profiles", isDirectory: &isDirectory), isDirectory.boolValue {
            directories.append("/etc/furrow/profiles")
        }
        return directories
    }

    /// The configuration in `path`, or the defaults when `path` is nil. A path that does not exist is an
    /// error (a mistyped `--config` must not start the daemon with defaults).
    public static func load(from path: String?) throws(ConfigurationError) -> DaemonConfiguration {
        guard let path else { return DaemonConfiguration() }
        return try DaemonConfiguration(parsing: try readConfigurationFile(path), file: path)
    }

    // MARK: - Links and sources

    /// Every project the configuration names (top level, links, source rules): created at start so their
    /// data is reachable through the API.
    public var namedProjects: [String] {
        var names: Set<String> = [project]
        for link in udp { if let p = link.project { names.insert(p) } }
        for link in serial { if let p = link.project { names.insert(p) } }
        for link in tcp { if let p = link.project { names.insert(p) } }
        for rule in sources { if let p = rule.project { names.insert(p) } }
        for bus in sdi12 { if let p = bus.project { names.insert(p) } }
        for bus in modbus { if let p = bus.project { names.insert(p) } }
        for link in lorawan { if let p = link.project { names.insert(p) } }
        return names.sorted()
    }

    /// Names of every link (UDP, serial, TCP), in configuration order.
    public var linkNames: [String] { udp.map(\.name) + serial.map(\.name) + tcp.map(\.name) }

    /// The profile of senders on `link` that no source rule gives a profile (`generic-mavlink` by default).
    public func profile(forLink link: String) -> String {
        linkSettings(link).profile ?? Self.defaultProfile
    }

    /// The project of senders on `link` that no source rule gives a project.
    public func project(forLink link: String) -> String {
        linkSettings(link).project ?? project
    }

    func linkSettings(_ link: String) -> (profile: String?, project: String?, path: TOMLPath?) {
        if let l = udp.first(where: { $0.name == link }) { return (l.profile, l.project, l.sourcePath) }
        if let l = serial.first(where: { $0.name == link }) { return (l.profile, l.project, l.sourcePath) }
        if let l = tcp.first(where: { $0.name == link }) { return (l.profile, l.project, l.sourcePath) }
        return (nil, nil, nil)
    }

    /// Names a sender: the first matching `[[source]]` rule, filled in from the link and the defaults.
    ///
    /// A sender without a rule is `<link>-<sysid>-<compid>` with its link's profile and project. Call once
    /// per new sender and keep the answer (it formats strings).
    public func source(link: String, systemID: UInt8, componentID: UInt8, peer: String? = nil) -> ResolvedSource {
        let rule = sources.first { $0.matches(link: link, systemID: systemID, componentID: componentID, peer: peer) }
        let template = rule?.name ?? "{link}-{sysid}-{compid}"
        let name = template.replacingOccurrences(of: "{link}", with: link)
            .replacingOccurrences(of: "{sysid}", with: String(systemID))
            .replacingOccurrences(of: "{compid}", with: String(componentID))
            .replacingOccurrences(of: "{peer}", with: peer ?? "")
        return ResolvedSource(
            name: name, profile: rule?.profile ?? profile(forLink: link), project: rule?.project ?? project(forLink: link))
    }

    /// Checks that every profile a link or source rule names (or defaults to) is in `catalog`.
    public func validate(against catalog: DeviceProfileCatalog) throws(ConfigurationError) {
        func check(_ profile: String?, at path: TOMLPath?, _ what: String) throws(ConfigurationError) {
            let name = profile ?? Self.defaultProfile
            guard catalog[name] == nil else { return }
            let position = path.flatMap { p in locator?.position(of: profile == nil ? p : p.appending("profile")) }
            let known = catalog.names.isEmpty ? "the catalog is empty" : "known: \(catalog.names.joined(separator: ", "))"
            let searched = catalog.directories.isEmpty ? "" : "; searched \(catalog.directories.joined(separator: ", "))"
            throw ConfigurationError(
                code: .unknownProfile, file: file ?? "<defaults>", line: position?.line, column: position?.column,
                reason: "\(what) uses profile '\(name)', which no profile file defines (\(known)\(searched))")
        }
        func mavlink(_ profile: String?, at path: TOMLPath?, _ what: String) throws(ConfigurationError) {
            try check(profile, at: path, what)
            guard let profile, let found = catalog[profile], found.deviceProtocol != .mavlink else { return }
            let position = path.flatMap { locator?.position(of: $0.appending("profile")) }
            throw ConfigurationError(
                code: .unknownProfile, file: file ?? "<defaults>", line: position?.line, column: position?.column,
                reason: "\(what) carries MAVLink, but profile '\(profile)' is a \(found.deviceProtocol.rawValue) profile (\(found.file))")
        }
        for link in udp { try mavlink(link.profile, at: link.sourcePath, "link '\(link.name)'") }
        for link in serial { try mavlink(link.profile, at: link.sourcePath, "link '\(link.name)'") }
        for link in tcp { try mavlink(link.profile, at: link.sourcePath, "link '\(link.name)'") }
        for (k, rule) in sources.enumerated() where rule.profile != nil {
            try mavlink(rule.profile, at: rule.sourcePath, "source rule \(k + 1)")
        }
        func sensor(_ profile: String, _ kind: DeviceProfile.DeviceProtocol, at path: TOMLPath?, _ what: String)
            throws(ConfigurationError)
        {
            try check(profile, at: path, what)
            guard let found = catalog[profile], found.deviceProtocol != kind || found.sensor == nil else { return }
            let position = path.flatMap { locator?.position(of: $0.appending("profile")) }
            throw ConfigurationError(
                code: .unknownProfile, file: file ?? "<defaults>", line: position?.line, column: position?.column,
                reason: "\(what) uses profile '\(profile)', a \(found.deviceProtocol.rawValue) profile (\(found.file)); it needs a \(kind.rawValue) one")
        }
        for bus in sdi12 {
            for s in bus.sensors { try sensor(s.profile, .sdi12, at: s.sourcePath, "SDI-12 sensor \(s.source)") }
        }
        for bus in modbus {
            for s in bus.slaves { try sensor(s.profile, .modbus, at: s.sourcePath, "Modbus slave \(s.source)") }
        }
        for link in lorawan {
            for d in link.devices { try sensor(d.profile, .lorawan, at: d.sourcePath, "LoRaWAN device \(d.source)") }
        }
    }
}

/// Speed, framing and flow control of one serial line.
public struct SerialLineSettings: Sendable, Hashable {
    public var baud: Int
    public var framing: SerialFraming
    public var flowControl: SerialFlowControl

    public init(baud: Int, framing: SerialFraming, flowControl: SerialFlowControl) {
        self.baud = baud
        self.framing = framing
        self.flowControl = flowControl
    }
}
