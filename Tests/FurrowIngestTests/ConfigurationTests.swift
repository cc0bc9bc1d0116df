import FurrowIngest
import Testing

@Suite("Daemon configuration")
struct ConfigurationTests {
    static func catalog() throws -> DeviceProfileCatalog {
        try DeviceProfileCatalog(directories: [Repository.path("Hardware/profiles")])
    }

    @Test("no file means the defaults")
    func defaults() throws {
        let configuration = try DaemonConfiguration.load(from: nil)
        #expect(configuration.file == nil)
        #expect(configuration.dataDirectory == "furrow-data")
        #expect(configuration.store.path == "furrow-data/furrow.sqlite")
        #expect(configuration.store.flushIntervalMilliseconds == 1000)
        #expect(configuration.store.chunkRows == 4096)
        #expect(configuration.store.retentionDays == nil)
        #expect(configuration.store.checkpointIntervalMilliseconds == 60_000)
        #expect(configuration.store.checkpointRows == 1_000_000)
        #expect(configuration.archive.enabled)
        #expect(configuration.http.listen == SocketAddressSpec(host: "127.0.0.1", port: 8080))
        #expect(configuration.project == "default")
        #expect(configuration.profileDirectories.first == "Hardware/profiles")
        #expect(configuration.queueBytes == 256 * 1024 * 1024)
        #expect(configuration.ingestNiceness == 0)
        #expect(configuration.udp == [DaemonConfiguration.defaultUDPLink])
        #expect(configuration.udp[0].name == "udp14550")
        #expect(configuration.udp[0].listen.description == "0.0.0.0:14550")
        #expect(configuration.linkNames == ["udp14550"])
        try configuration.validate(against: try Self.catalog())

        // An empty file is the same.
        let empty = try DaemonConfiguration(parsing: "", file: "empty.toml")
        #expect(empty.udp == configuration.udp)
        #expect(empty.store == configuration.store)
    }

    @Test("the example configuration parses and validates against the shipped profiles")
    func example() throws {
        let configuration = try DaemonConfiguration.load(from: Repository.path("Hardware/furrow.example.toml"))
        #expect(configuration.dataDirectory == "/var/lib/furrow")
        #expect(configuration.project == "north-farm")
        #expect(configuration.store.retentionDays == 730)
        #expect(configuration.archive.retentionDays == 90)
        #expect(configuration.ingestNiceness == 5)
        #expect(configuration.linkNames == ["gcs", "radio", "sitl"])
        let radio = try #require(configuration.serial.first)
        #expect(radio.device == "/dev/furrow-radio-sik0")
        #expect(radio.lineSettings() == SerialLineSettings(baud: 57600, framing: .eightNoneOne, flowControl: .none))
        #expect(configuration.tcp.first?.connect == SocketAddressSpec(host: "127.0.0.1", port: 5760))
        #expect(configuration.forwards.first?.forwards(link: "radio") == true)
        #expect(configuration.forwards.first?.forwards(link: "gcs") == false)
        #expect(configuration.sources.count == 3)
        #expect(configuration.http.operatorTokenFile == "/etc/furrow/operator-token")
        #expect(configuration.http.maximumBodyBytes == 1_048_576 && configuration.http.requestsPerSecond == 50)
        #expect(configuration.http.corsOrigin == nil)
        #expect(configuration.http.replayHosts == ["127.0.0.1", "::1", "192.168.1.50"])
        #expect(configuration.namedProjects == ["north-farm", "test-bench"])
        try configuration.validate(against: try Self.catalog())
    }

    @Test("[store] checkpoint_interval_ms and checkpoint_rows reach the ingest settings; bad values name the line")
    func checkpointSettings() throws {
        let parsed = try DaemonConfiguration(
            parsing: """
                profile_directories = ["\(Repository.path("Hardware/profiles"))"]
                [store]
                checkpoint_interval_ms = 15000
                checkpoint_rows = 4000000
                flush_interval_ms = 500
                """,
            file: "t.toml")
        #expect(parsed.store.checkpointIntervalMilliseconds == 15_000)
        #expect(parsed.store.checkpointRows == 4_000_000)
        let settings = try DaemonAssembly(configuration: parsed).settings
        #expect(settings.checkpointInterval == .milliseconds(15_000))
        #expect(settings.checkpointRows == 4_000_000)
        #expect(settings.flushInterval == .milliseconds(500))
        // The example documents both keys with their defaults.
        let example = try DaemonConfiguration.load(from: Repository.path("Hardware/furrow.example.toml"))
        #expect(example.store.checkpointIntervalMilliseconds == 60_000 && example.store.checkpointRows == 1_000_000)
        for (text, line) in [
            ("[store]\ncheckpoint_interval_ms = 0\n", 2), ("[store]\nchunk_rows = 10\ncheckpoint_rows = -5\n", 3),
            ("[store]\ncheckpoint_interval_ms = \"1m\"\n", 2),
        ] {
            let error = #expect(throws: ConfigurationError.self) { try DaemonConfiguration(parsing: text, file: "t.toml") }
            #expect(error?.line == line, "\(text)")
        }
    }

    @Test("[http] limits: wrong types and negative rates are refused with the line")
    func httpLimits() throws {
        #expect(throws: ConfigurationError.self) {
            try DaemonConfiguration(parsing: "[http]\nrequests_per_second = -1\n", file: "t.toml")
        }
        #expect(throws: ConfigurationError.self) {
            try DaemonConfiguration(parsing: "[http]\nmax_body_bytes = 0\n", file: "t.toml")
        }
        let parsed = try DaemonConfiguration(
            parsing: "[http]\nrequests_per_second = 0\ncors_origin = \"*\"\nmax_export_rows = 10\n", file: "t.toml")
        #expect(parsed.http.requestsPerSecond == 0 && parsed.http.corsOrigin == "*" && parsed.http.maximumExportRows == 10)
    }

    @Test("source rules: first match wins, defaults from the link")
    func sources() throws {
        let configuration = try DaemonConfiguration.load(from: Repository.path("Hardware/furrow.example.toml"))
        let sprayer = configuration.source(link: "radio", systemID: 1, componentID: 1)
        #expect(sprayer == DaemonConfiguration.ResolvedSource(name: "sprayer-1", profile: "ardupilot-sprayer", project: "north-farm"))
        let gimbal = configuration.source(link: "radio", systemID: 1, componentID: 154)
        #expect(gimbal == .init(name: "radio-1-154", profile: "ardupilot-sprayer", project: "north-farm"))
        let other = configuration.source(link: "gcs", systemID: 7, componentID: 1)
        #expect(other == .init(name: "gcs-drone-7", profile: "generic-mavlink", project: "north-farm"))
        // The peer rule matches by host, with or without the sender's port, and only that host.
        let station = configuration.source(link: "gcs", systemID: 7, componentID: 1, peer: "192.168.1.30:14550")
        #expect(station == .init(name: "field-station-7", profile: "generic-mavlink", project: "north-farm"))
        #expect(configuration.source(link: "gcs", systemID: 7, componentID: 1, peer: "192.168.1.31:14550").name == "gcs-drone-7")
        #expect(configuration.source(link: "gcs", systemID: 7, componentID: 1, peer: "192.168.1.300:1").name == "gcs-drone-7")
        let sitl = configuration.source(link: "sitl", systemID: 1, componentID: 1)
        #expect(sitl == .init(name: "sitl-1-1", profile: "px4-multirotor", project: "test-bench"))
    }

    @Test("addresses", arguments: [
        ("127.0.0.1:8080", "127.0.0.1", 8080),
        ("[::1]:14550", "::1", 14550),
        ("[::]:14550", "::", 14550),
        (":14550", "0.0.0.0", 14550),
        ("gcs.local:5760", "gcs.local", 5760),
        ("0.0.0.0:0", "0.0.0.0", 0),
    ])
    func address(_ text: String, _ host: String, _ port: Int) throws {
        let address = try #require(SocketAddressSpec(text))
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(SocketAddressSpec(address.description) == address)
    }

    @Test("bad addresses", arguments: ["localhost", "::1:14550", "[::1]14550", "host:65536", "host:-1", "host:", "[127.0.0.1]:80", "a b:1", "[::1:80"])
    func badAddress(_ text: String) {
        #expect(SocketAddressSpec(text) == nil)
    }

    @Test("serial framing", arguments: [("8N1", 8, SerialFraming.Parity.none, 1), ("7E1", 7, .even, 1), ("5o2", 5, .odd, 2)])
    func framing(_ text: String, _ data: Int, _ parity: SerialFraming.Parity, _ stop: Int) throws {
        let framing = try #require(SerialFraming(text))
        #expect(framing == SerialFraming(dataBits: data, parity: parity, stopBits: stop))
    }

    @Test("bad framing", arguments: ["9N1", "8X1", "8N3", "4N1", "8N", "8N11", ""])
    func badFraming(_ text: String) {
        #expect(SerialFraming(text) == nil)
    }

    // MARK: - Errors point at the right line

    struct BadConfiguration: Sendable, CustomTestStringConvertible {
        let label: String
        let text: String
        let line: Int
        let code: ConfigurationError.Code
        var testDescription: String { label }
    }

    static let badConfigurations: [BadConfiguration] = [
        BadConfiguration(
            label: "typo at the top level",
            text: """
                data_directory = "/srv"
                projcet = "x"
                """, line: 2, code: .unknownKey),
        BadConfiguration(
            label: "typo in the second serial link",
            text: """
                [[serial]]
                name = "a"
                device = "/dev/ttyUSB0"

                [[serial]]
                name = "b"
                device = "/dev/ttyUSB1"
                baudrate = 57600
                """, line: 8, code: .unknownKey),
        BadConfiguration(
            label: "non-standard baud",
            text: """
                [[serial]]
                name = "a"
                device = "/dev/ttyUSB0"
                baud = 56000
                """, line: 4, code: .invalidValue),
        BadConfiguration(
            label: "bad framing",
            text: """
                [[serial]]
                name = "a"
                device = "/dev/ttyUSB0"
                framing = "8N3"
                """, line: 4, code: .invalidValue),
        BadConfiguration(
            label: "bad flow control",
            text: """
                [[serial]]
                name = "a"
                device = "/dev/ttyUSB0"
                flow_control = "hardware"
                """, line: 4, code: .invalidValue),
        BadConfiguration(
            label: "duplicate link name",
            text: """
                [[udp]]
                name = "gcs"
                listen = ":14550"
                [[tcp]]
                name = "gcs"
                connect = "127.0.0.1:5760"
                """, line: 5, code: .duplicateName),
        BadConfiguration(
            label: "bad listen address",
            text: """
                [http]
                listen = "localhost"
                """, line: 2, code: .invalidValue),
        BadConfiguration(
            label: "wrong type",
            text: """
                [store]
                flush_interval_ms = "1s"
                """, line: 2, code: .wrongType),
        BadConfiguration(
            label: "forward to an unknown link",
            text: """
                [[udp]]
                name = "gcs"
                [[forward]]
                name = "office"
                to = "10.0.0.2:14550"
                links = [
                  "gcs",
                  "radio",
                ]
                """, line: 8, code: .unknownLink),
        BadConfiguration(
            label: "system id out of range",
            text: """
                [[source]]
                system_id = 300
                """, line: 2, code: .invalidValue),
        BadConfiguration(
            label: "serial link without device",
            text: """
                [store]
                chunk_rows = 100
                [[serial]]
                name = "radio"
                """, line: 3, code: .missingKey),
        BadConfiguration(
            label: "ingest niceness out of range",
            text: """
                project = "a"
                ingest_niceness = 20
                """, line: 2, code: .invalidValue),
        BadConfiguration(
            label: "syntax error",
            text: """
                [store]
                path = "unterminated
                """, line: 2, code: .syntax),
    ]

    @Test("errors give file and line", arguments: badConfigurations)
    func errorLine(_ bad: BadConfiguration) {
        let error = #expect(throws: ConfigurationError.self) {
            try DaemonConfiguration(parsing: bad.text, file: "furrow.toml")
        }
        #expect(error?.code == bad.code, "\(error.map(String.init(describing:)) ?? "")")
        #expect(error?.line == bad.line, "\(error.map(String.init(describing:)) ?? "")")
        #expect(error?.description.hasPrefix("furrow.toml:\(bad.line):") == true)
    }

    @Test("a profile the catalog lacks is reported at the link's profile key")
    func unknownProfile() throws {
        let configuration = try DaemonConfiguration(
            parsing: """
                [[udp]]
                name = "gcs"

                [[serial]]
                name = "radio"
                device = "/dev/ttyUSB0"
                profile = "ardupilot-sprayr"
                """, file: "furrow.toml")
        let error = #expect(throws: ConfigurationError.self) {
            try configuration.validate(against: try Self.catalog())
        }
        #expect(error?.code == .unknownProfile)
        #expect(error?.line == 7)
        #expect(error?.reason.contains("ardupilot-sprayr") == true)
    }

    @Test("a missing configuration file is an error, not the defaults")
    func missingFile() {
        let error = #expect(throws: ConfigurationError.self) {
            try DaemonConfiguration.load(from: "/nonexistent/furrow.toml")
        }
        #expect(error?.code == .unreadable)
        #expect(error?.description == "/nonexistent/furrow.toml: no such file")
    }

    @Test("store path follows data_directory unless given")
    func storePath() throws {
        let configuration = try DaemonConfiguration(parsing: "data_directory = \"/srv/furrow\"\n[archive]\nenabled = false\n")
        #expect(configuration.store.path == "/srv/furrow/furrow.sqlite")
        #expect(!configuration.archive.enabled)
        #expect(configuration.profile(forLink: "udp14550") == "generic-mavlink")
        #expect(configuration.project(forLink: "udp14550") == "default")
    }
}
