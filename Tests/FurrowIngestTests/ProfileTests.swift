import Foundation
import FurrowIngest
import FurrowWire
import Testing

@Suite("Device profiles")
struct ProfileTests {
    static let shipped = ["ardupilot-sprayer", "px4-multirotor", "generic-mavlink"]

    @Test("shipped profiles parse and validate", arguments: shipped)
    func shippedProfile(_ name: String) throws {
        let profile = try DeviceProfile(contentsOf: Repository.path("Hardware/profiles/\(name).toml"))
        #expect(profile.name == name)
        #expect(profile.deviceProtocol == .mavlink)
        #expect(profile.transport.serialBaud == 57600)
        #expect(profile.transport.serialFraming == .eightNoneOne)
        #expect(profile.transport.udpPort == 14550)
        let mapper = try MAVLinkMapper(profile: profile)
        let heartbeat = try #require(MAVLinkDialect.ardupilotmega.index(of: 0))
        #expect(mapper.maps(messageIndex: heartbeat))
    }

    @Test("the catalog loads the shipped directory")
    func catalog() throws {
        let catalog = try DeviceProfileCatalog(directories: [Repository.path("Hardware/profiles"), "/nonexistent/dir"])
        #expect(catalog.names == (Self.shipped + SensorProfileTests.shipped).sorted())
        #expect(catalog["ardupilot-sprayer"]?.vendor == "ArduPilot")
        #expect(catalog["generic-mavlink"]?.mavlink?.mapAll == true)
    }

    @Test("a profile name defined twice names both files")
    func duplicateProfile() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-profiles-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        for dir in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: base + "/" + dir, withIntermediateDirectories: true)
            let text = "name = \"same\"\n[mavlink]\nmap_all = true\n"
            try text.write(toFile: base + "/\(dir)/p-\(dir).toml", atomically: true, encoding: .utf8)
        }
        let error = #expect(throws: ConfigurationError.self) {
            try DeviceProfileCatalog(directories: [base + "/a", base + "/b"])
        }
        #expect(error?.code == .duplicateName)
        #expect(error?.file == base + "/b/p-b.toml")
        #expect(error?.line == 1)
        #expect(error?.reason.contains(base + "/a/p-a.toml") == true)
    }

    // MARK: - Errors point at the right line

    struct BadProfile: Sendable, CustomTestStringConvertible {
        let label: String
        let text: String
        let line: Int
        let code: ConfigurationError.Code
        var testDescription: String { label }
    }

    static let header = """
        name = "bad"
        [mavlink]
        map_all = false
        # the cases' own lines start at 5

        """

    static let badProfiles: [BadProfile] = [
        BadProfile(
            label: "unknown message",
            text: header + """
                [mavlink.messages.HEARTBEAT]
                channels = [{ field = "custom_mode" }]
                [mavlink.messages.GLOBAL_POSITION]
                channels = [{ field = "lat" }]
                """, line: 7, code: .unknownMessage),
        BadProfile(
            label: "unknown field in a multi-line array",
            text: header + """
                [mavlink.messages.GLOBAL_POSITION_INT]
                channels = [
                  { name = "lat", field = "lat", scale = 1e-7 },
                  { name = "lon", field = "longitude", scale = 1e-7 },
                ]
                """, line: 8, code: .unknownField),
        BadProfile(
            label: "array index out of range",
            text: header + """
                [mavlink.messages.BATTERY_STATUS]
                channels = [
                  { name = "v", field = "voltages[10]", scale = 0.001 },
                ]
                """, line: 7, code: .invalidArrayIndex),
        BadProfile(
            label: "array field without an index",
            text: header + """
                [mavlink.messages.BATTERY_STATUS]
                channels = [{ name = "v", field = "voltages" }]
                """, line: 6, code: .invalidArrayIndex),
        BadProfile(
            label: "index on a scalar",
            text: header + """
                [mavlink.messages.SYS_STATUS]
                channels = [{ name = "v", field = "load[1]" }]
                """, line: 6, code: .invalidArrayIndex),
        BadProfile(
            label: "unknown type in array-of-tables form",
            text: header + """
                [[mavlink.messages.ATTITUDE.channels]]
                name = "roll"
                field = "roll"

                [[mavlink.messages.ATTITUDE.channels]]
                name = "pitch"
                type = "float16"
                """, line: 11, code: .invalidValueType),
        BadProfile(
            label: "scale on a string field",
            text: header + """
                [[mavlink.messages.STATUSTEXT.channels]]
                name = "severity"
                [[mavlink.messages.STATUSTEXT.channels]]
                name = "text"
                unit = "none"
                scale = 2.0
                """, line: 10, code: .scaleOnString),
        BadProfile(
            label: "duplicate channel name",
            text: header + """
                [mavlink.messages.VFR_HUD]
                channels = [
                  { name = "speed", field = "airspeed" },
                  { name = "speed", field = "groundspeed" },
                ]
                """, line: 8, code: .duplicateChannel),
        BadProfile(
            label: "typo in a key (second element of an array of tables)",
            text: header + """
                [[mavlink.messages.SYS_STATUS.channels]]
                field = "load"
                [[mavlink.messages.SYS_STATUS.channels]]
                field = "voltage_battery"
                unit = "V"
                scael = 0.001
                """, line: 10, code: .unknownKey),
        BadProfile(
            label: "resolution that is not a power of ten",
            text: header + """
                [mavlink.messages.SYS_STATUS]
                channels = [{ name = "v", field = "voltage_battery", scale = 0.001, resolution = 0.003 }]
                """, line: 6, code: .invalidValue),
        BadProfile(
            label: "TOML syntax error",
            text: header + """
                [mavlink.messages.SYS_STATUS]
                channels = [{ name = "v", field = "voltage_battery" }
                """, line: 6, code: .syntax),
        BadProfile(
            label: "two groups with one name",
            text: header + """
                [mavlink.messages.VFR_HUD]
                group = "flight"
                channels = [{ field = "airspeed" }]
                [mavlink.messages.ATTITUDE]
                group = "flight"
                channels = [{ field = "roll" }]
                """, line: 5, code: .duplicateGroup),
        BadProfile(
            label: "two select entries with one group",
            text: header + """
                [mavlink.messages.NAMED_VALUE_FLOAT]
                select_by = "name"
                [[mavlink.messages.NAMED_VALUE_FLOAT.select]]
                match = "A"
                group = "g"
                channels = [{ field = "value" }]
                [[mavlink.messages.NAMED_VALUE_FLOAT.select]]
                match = "B"
                group = "g"
                channels = [{ field = "value" }]
                """, line: 11, code: .duplicateGroup),
        BadProfile(
            label: "select on a numeric field",
            text: header + """
                [mavlink.messages.NAMED_VALUE_FLOAT]
                select_by = "value"
                [[mavlink.messages.NAMED_VALUE_FLOAT.select]]
                match = "X"
                channels = [{ field = "value" }]
                """, line: 6, code: .invalidValue),
        BadProfile(
            label: "int64 on a float field",
            text: header + """
                [mavlink.messages.ATTITUDE]
                channels = [
                  { field = "roll", type = "int64" },
                ]
                """, line: 7, code: .invalidValueType),
        BadProfile(
            label: "a swath that is not a width",
            text: header + """
                [flight]
                swath_width = -4
                """, line: 6, code: .invalidValue),
        BadProfile(
            label: "a flow without a field",
            text: header + """
                [flight]
                flows = ["spray=SPRAY_LPM"]
                """, line: 6, code: .invalidValue),
    ]

    @Test("errors give file and line", arguments: badProfiles)
    func errorLine(_ bad: BadProfile) {
        let error = #expect(throws: ConfigurationError.self) {
            try DeviceProfile(parsing: bad.text, file: "bad.toml")
        }
        #expect(error?.code == bad.code, "\(error.map(String.init(describing:)) ?? "")")
        #expect(error?.line == bad.line, "\(error.map(String.init(describing:)) ?? "")")
        #expect(error?.description.hasPrefix("bad.toml:\(bad.line):") == true)
    }

    @Test("a typo suggests the known key")
    func suggestion() {
        let error = #expect(throws: ConfigurationError.self) {
            try DeviceProfile(parsing: "name = \"x\"\n[mavlink]\nmap_al = true\n", file: "x.toml")
        }
        #expect(error?.description == "x.toml:3:1: unknown key 'map_al' in [mavlink] (did you mean 'map_all'?)")
    }

    @Test("a sensor profile without channels names what is missing")
    func sensorProfileWithoutChannels() {
        let error = #expect(throws: ConfigurationError.self) {
            try DeviceProfile(parsing: "name = \"soil\"\nprotocol = \"sdi12\"\n", file: "soil.toml")
        }
        #expect(error?.code == .missingKey)
        #expect(error?.reason.contains("[[channels]]") == true)
    }

    @Test("channel details are parsed")
    func channelDetails() throws {
        let profile = try DeviceProfile(
            parsing: """
                name = "cal"
                [mavlink]
                [mavlink.messages.SCALED_PRESSURE]
                channels = [
                  { name = "p", field = "press_abs", unit = "kPa", scale = 0.1, offset = -1, polynomial = [0.5, 2.0], resolution = 1e-3 },
                  { name = "t", field = "temperature", two_point = [[100, 1.0], [2100, 21.0]], type = "float32" },
                ]
                """)
        let channels = try #require(profile.mavlink?.messages.first?.channels)
        #expect(channels[0].scale == 0.1)
        #expect(channels[0].offset == -1)
        #expect(channels[0].decimals == 3)
        #expect(channels[0].calibration == .polynomial([0.5, 2.0]))
        #expect(channels[1].calibration == .twoPoint(x1: 100, y1: 1, x2: 2100, y2: 21))
        #expect(channels[1].valueType == .float32)
    }

    @Test("the sprayer's [flight] gives the live summaries their swath and spray flow")
    func sprayerFlight() throws {
        let profile = try DeviceProfile(contentsOf: Repository.path("Hardware/profiles/ardupilot-sprayer.toml"))
        #expect(profile.flight.swathWidth == 4)
        #expect(profile.flight.flows.count == 1)
        #expect(profile.flight.areaWhileSpraying)
    }
}
