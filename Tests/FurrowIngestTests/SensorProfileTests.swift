import FurrowIngest
import FurrowStore
import FurrowWire
import Testing

@Suite("Sensor profiles and sensor links in the configuration")
struct SensorProfileTests {
    static let shipped = [
        "meter-teros12", "sdi12-profile-probe", "rs485-soil-7in1", "modbus-flow-meter", "modbus-weather-station", "dragino-lse01",
    ]

    @Test("shipped sensor profiles parse", arguments: shipped)
    func shippedProfile(_ name: String) throws {
        let profile = try DeviceProfile(contentsOf: Repository.path("Hardware/profiles/\(name).toml"))
        let sensor = try #require(profile.sensor)
        #expect(!sensor.channels.isEmpty)
        #expect(profile.deviceProtocol != .mavlink)
    }

    @Test("TEROS 12: the mineral-soil calibration turns raw counts into m³/m³, and the raw value is kept")
    func teros12() throws {
        let profile = try #require(try DeviceProfile(contentsOf: Repository.path("Hardware/profiles/meter-teros12.toml")).sensor)
        let layout = profile.storeLayout()
        #expect(layout.storeChannels.map(\.name) == ["vwc", "soil_temperature", "bulk_ec", "vwc_raw"])
        #expect(layout.storeChannels.first?.unit == "m3/m3")
        let row = layout.row(raw: [2566.52, 21.3, 612])
        #expect(row == [3.879e-4 * 2566.52 + -0.6956, 21.3, 612, 2566.52])
        #expect(profile.sdi12?.kind == .measure(index: 0, crc: true))
    }

    @Test("Modbus: 1-based numbers, 40001-style text, word orders and one read per table")
    func modbusRegisters() throws {
        let weather = try #require(try DeviceProfile(contentsOf: Repository.path("Hardware/profiles/modbus-weather-station.toml")).sensor)
        #expect(weather.modbus?.blocks == [.init(table: .holding, start: 0, count: 8)])
        let flow = try #require(try DeviceProfile(contentsOf: Repository.path("Hardware/profiles/modbus-flow-meter.toml")).sensor)
        #expect(flow.modbus?.blocks == [.init(table: .input, start: 0, count: 6)])
        let text = """
            name = "x"
            protocol = "modbus"
            [modbus]
            [[channels]]
            name = "a"
            register = "30005"
            type = "float32"
            word_order = "cdab"
            [[channels]]
            name = "b"
            register = 3
            """
        let mixed = try #require(try DeviceProfile(parsing: text, file: "x.toml").sensor)
        #expect(mixed.modbus?.blocks == [.init(table: .holding, start: 3, count: 1), .init(table: .input, start: 4, count: 2)])
    }

    @Test("profile errors name the file and line", arguments: [
        ("name = \"x\"\nprotocol = \"modbus\"\n[modbus]\n[[channels]]\nname = \"a\"\nregister = 0\ntype = \"int64\"\n", 7),
        ("name = \"x\"\nprotocol = \"modbus\"\n[modbus]\n[[channels]]\nname = \"a\"\nregister = 0\n[[channels]]\nname = \"b\"\nregister = 200\n", 4),
        ("name = \"x\"\nprotocol = \"lorawan\"\n[lorawan]\ndecoder = \"dragino-lse01\"\n[[channels]]\nname = \"a\"\nfield = \"moisture\"\n", 7),
        ("name = \"x\"\nprotocol = \"sdi12\"\n[[channels]]\nname = \"a\"\nvalue = 0\nscale = 2\npolynomial = [1, 2]\n", 7),
        ("name = \"x\"\nprotocol = \"sdi12\"\n[sdi12]\ncommand = \"Q\"\n[[channels]]\nname = \"a\"\nvalue = 0\n", 4),
    ])
    func profileErrors(_ text: String, _ line: Int) {
        let error = #expect(throws: ConfigurationError.self) { try DeviceProfile(parsing: text, file: "p.toml") }
        #expect(error?.file == "p.toml")
        #expect(error?.line == line, "\(error?.description ?? "")")
    }

    @Test("the example's sensor buses parse and validate against the shipped profiles")
    func exampleSensors() throws {
        let configuration = try DaemonConfiguration.load(from: Repository.path("Hardware/furrow.example.toml"))
        #expect(configuration.sdi12.map(\.name) == ["sdi12-north"])
        #expect(configuration.sdi12.first?.sensors.map(\.source) == ["sdi12-sdi12-north-0", "sdi12-sdi12-north-1"])
        #expect(configuration.sdi12.first?.framing.description == "7E1")
        #expect(configuration.modbus.first?.slaves.map(\.unit) == [1, 2])
        #expect(configuration.modbus.first?.slaves.last?.interval == .seconds(10))
        let lora = try #require(configuration.lorawan.first)
        #expect(lora.listen == SocketAddressSpec(host: "0.0.0.0", port: 1700))
        #expect(lora.devices.first?.devAddr == 0x2601_1001)
        #expect(lora.devices.first?.source == "lorawan-70b3d57ed0001001")
        let catalog = try DeviceProfileCatalog(directories: [Repository.path("Hardware/profiles")])
        try configuration.validate(against: catalog)
    }

    @Test("sensor link errors name the line", arguments: [
        ("[[sdi12]]\nname = \"b\"\ndevice = \"/dev/x\"\n[[sdi12.sensors]]\naddress = \"!\"\nprofile = \"meter-teros12\"\n", 5),
        ("[[modbus]]\nname = \"b\"\ndevice = \"/dev/x\"\n[[modbus.slaves]]\nunit = 300\nprofile = \"p\"\n", 5),
        ("[[modbus]]\nname = \"b\"\ndevice = \"/dev/x\"\nbaud = 1234\n", 4),
        ("[[lorawan]]\nname = \"l\"\n[[lorawan.devices]]\ndev_eui = \"01\"\n", 4),
        ("[[lorawan]]\nname = \"l\"\n[[lorawan.devices]]\ndev_eui = \"0102030405060708\"\ndev_addr = \"26011001\"\nprofile = \"dragino-lse01\"\nnwk_s_key = \"00\"\n", 7),
        ("[[udp]]\nname = \"x\"\n[[sdi12]]\nname = \"x\"\ndevice = \"/dev/y\"\n", 4),
        ("[[sdi12]]\nname = \"b\"\ndevice = \"/dev/x\"\n[[sdi12.sensors]]\naddress = \"0\"\nprofile = \"meter-teros12\"\nintervall_s = 5\n", 7),
    ])
    func linkErrors(_ text: String, _ line: Int) {
        let error = #expect(throws: ConfigurationError.self) { try DaemonConfiguration(parsing: text, file: "c.toml") }
        #expect(error?.line == line, "\(error?.description ?? "")")
    }

    @Test("a MAVLink link naming a sensor profile is refused at its line")
    func mavlinkLinkWithSensorProfile() throws {
        let configuration = try DaemonConfiguration(parsing: "[[udp]]\nname = \"u\"\nprofile = \"dragino-lse01\"\n", file: "c.toml")
        let catalog = try DeviceProfileCatalog(directories: [Repository.path("Hardware/profiles")])
        let error = #expect(throws: ConfigurationError.self) { try configuration.validate(against: catalog) }
        #expect(error?.line == 3)
    }

    @Test("a sensor naming a profile of another protocol is refused at its line")
    func wrongProtocol() throws {
        let text = "[[modbus]]\nname = \"b\"\ndevice = \"/dev/x\"\n[[modbus.slaves]]\nunit = 1\nprofile = \"meter-teros12\"\n"
        let configuration = try DaemonConfiguration(parsing: text, file: "c.toml")
        #expect(configuration.udp.isEmpty, "a sensor-only gateway opens no MAVLink port")
        let catalog = try DeviceProfileCatalog(directories: [Repository.path("Hardware/profiles")])
        let error = #expect(throws: ConfigurationError.self) { try configuration.validate(against: catalog) }
        #expect(error?.line == 6)
        #expect(error?.reason.contains("needs a modbus one") == true)
    }
}
