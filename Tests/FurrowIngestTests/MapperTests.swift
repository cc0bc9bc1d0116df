import Foundation
import FurrowIngest
import FurrowStore
import FurrowWire
import Testing

@Suite("MAVLink mapper")
struct MapperTests {
    static let catalog: DeviceProfileCatalog = {
        // The shipped profiles are checked by ProfileTests; a failure here shows up there too.
        (try? DeviceProfileCatalog(directories: [Repository.path("Hardware/profiles")])) ?? (try! DeviceProfileCatalog())
    }()

    static func mapper(_ name: String) throws -> MAVLinkMapper {
        let profile = try #require(catalog[name], "profile \(name) missing")
        return try MAVLinkMapper(profile: profile)
    }

    static func column(_ rows: MappedRows, _ name: String) throws -> StoreColumn {
        let index = try #require(rows.channels.firstIndex { $0.name == name }, "no channel \(name) in \(rows.group)")
        return rows.columns[index]
    }

    static func doubles(_ column: StoreColumn) -> [Double]? {
        if case .float64(let v) = column { return v }
        return nil
    }

    /// The value the decimal codec decodes `m` to at `decimals` (division form).
    static func decimal(_ m: Int64, _ decimals: Int) -> Double { Double(m) / Double("1e\(decimals)")! }

    static func bits(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }

    // MARK: - Sprayer profile

    @Test("GLOBAL_POSITION_INT: degrees at 1e-7, metres at 1 mm, bit-exact")
    func globalPosition() throws {
        let mapper = try Self.mapper("ardupilot-sprayer")
        let lats: [Int32] = [473_977_418, -335_123_456, 0, 1, -1, 900_000_000]
        let lons: [Int32] = [85_455_939, 1_512_345_678, -1_799_999_999, 7, -7, 0]
        let alts: [Int32] = [512_345, -12, 0, 1_000, 999_999, 3]
        let headings: [UInt16] = [0, 35_999, 65_535, 1, 18_000, 9_001]
        let vx: [Int16] = [-1, 1, 0, 1234, -32768, 32767]
        var payloads: [TestPayload] = []
        for k in lats.indices {
            var p = TestPayload("GLOBAL_POSITION_INT")
            p.set("time_boot_ms", UInt32(1000 * k))
            p.set("lat", lats[k])
            p.set("lon", lons[k])
            p.set("alt", alts[k])
            p.set("relative_alt", alts[k] / 2)
            p.set("vx", vx[k])
            p.set("hdg", headings[k])
            payloads.append(p)
        }
        let timestamps = (0..<Int64(lats.count)).map { 1_700_000_000_000_000 + $0 * 200_000 }
        let out = mapper.map(TestFrames.batch(payloads, timestamps: timestamps))
        try #require(out.count == 1)
        let rows = out[0]
        #expect(rows.group == "GLOBAL_POSITION_INT")
        #expect(rows.timestamps == timestamps)
        #expect(rows.channels.count == rows.columns.count)
        let lat = try #require(Self.doubles(try Self.column(rows, "lat")))
        let lon = try #require(Self.doubles(try Self.column(rows, "lon")))
        let alt = try #require(Self.doubles(try Self.column(rows, "alt")))
        let heading = try #require(Self.doubles(try Self.column(rows, "heading")))
        let speed = try #require(Self.doubles(try Self.column(rows, "vx")))
        #expect(Self.bits(lat) == Self.bits(lats.map { Self.decimal(Int64($0), 7) }))
        #expect(Self.bits(lon) == Self.bits(lons.map { Self.decimal(Int64($0), 7) }))
        #expect(Self.bits(alt) == Self.bits(alts.map { Self.decimal(Int64($0), 3) }))
        #expect(Self.bits(heading) == Self.bits(headings.map { Self.decimal(Int64($0), 2) }))
        #expect(Self.bits(speed) == Self.bits(vx.map { Self.decimal(Int64($0), 2) }))
        #expect(lat[0] == 47.3977418)
        #expect(alt[1] == -0.012)
        // Zero is +0.0, never -0.0 (the decimal codec would have to keep -0.0 as an exception).
        #expect(lat[2].bitPattern == 0)

        let latChannel = try #require(rows.channels.first { $0.name == "lat" })
        #expect(latChannel == StoreChannel(name: "lat", valueType: .float64, unit: "deg", decimalExponent: 7))
        let time = try Self.column(rows, "time_boot")
        #expect(time.isIdentical(to: .int64((0..<6).map { Int64($0 * 1000) })))

        // The store keeps the declared-resolution columns as exact integers: decimal codec, bit-exact back.
        let bytes = StoreChunk.encode(.float64(lat), options: StoreEncodingOptions(decimalExponent: 7))
        let chunk = try StoreChunk.decode(bytes)
        #expect(chunk.header.codec == .decimal)
        #expect(chunk.values.isIdentical(to: .float64(lat)))
    }

    @Test("HEARTBEAT: mode and status as states, armed from a bit of base_mode")
    func heartbeat() throws {
        let mapper = try Self.mapper("ardupilot-sprayer")
        var payloads: [TestPayload] = []
        for (mode, base, status) in [(UInt32(3), UInt8(0x81), UInt8(4)), (6, 0x01, 3), (0, 0xC1, 5)] {
            var p = TestPayload("HEARTBEAT")
            p.set("custom_mode", mode)
            p.set("base_mode", base)
            p.set("system_status", status)
            p.set("type", UInt8(2))
            payloads.append(p)
        }
        let rows = try #require(mapper.map(TestFrames.batch(payloads, timestamps: [10, 20, 30])).first)
        #expect(rows.channels.map(\.name) == ["flight_mode", "armed", "system_status"])
        #expect(rows.channels.map(\.valueType) == [.state, .bool, .state])
        #expect(try Self.column(rows, "flight_mode").isIdentical(to: .state([3, 6, 0])))
        #expect(try Self.column(rows, "armed").isIdentical(to: .bool([true, false, true])))
        #expect(try Self.column(rows, "system_status").isIdentical(to: .state([4, 3, 5])))
    }

    @Test("SYS_STATUS and BATTERY_STATUS: mV → V, cA → A, array element")
    func battery() throws {
        let mapper = try Self.mapper("ardupilot-sprayer")
        var sys = TestPayload("SYS_STATUS")
        sys.set("voltage_battery", UInt16(50_123))
        sys.set("current_battery", Int16(-1))
        sys.set("battery_remaining", Int8(87))
        sys.set("load", UInt16(456))
        let sysRows = try #require(mapper.map(TestFrames.batch([sys], timestamps: [1])).first)
        #expect(try Self.column(sysRows, "battery_voltage").isIdentical(to: .float64([50.123])))
        #expect(try Self.column(sysRows, "battery_current").isIdentical(to: .float64([-0.01])))
        #expect(try Self.column(sysRows, "battery_remaining").isIdentical(to: .int64([87])))
        #expect(try Self.column(sysRows, "cpu_load").isIdentical(to: .float64([45.6])))
        #expect(sysRows.channels.first?.unit == "V")
        #expect(sysRows.channels.first?.decimalExponent == 3)

        var battery = TestPayload("BATTERY_STATUS")
        battery.set("voltages", UInt16(44_400), element: 0)
        battery.set("voltages", UInt16(4_100), element: 1)
        battery.set("current_consumed", Int32(1234))
        battery.set("temperature", Int16(2_345))
        let batteryRows = try #require(mapper.map(TestFrames.batch([battery], timestamps: [1])).first)
        #expect(try Self.column(batteryRows, "pack_voltage").isIdentical(to: .float64([44.4])))
        #expect(try Self.column(batteryRows, "consumed").isIdentical(to: .int64([1234])))
        #expect(try Self.column(batteryRows, "temperature").isIdentical(to: .float64([23.45])))
    }

    @Test("ATTITUDE: float32 kept bit for bit, NaN payload included")
    func attitude() throws {
        let mapper = try Self.mapper("ardupilot-sprayer")
        let rolls: [Float] = [0.1, -0.0, .pi, Float(bitPattern: 0x7FC0_1234)]
        let payloads = rolls.map { roll -> TestPayload in
            var p = TestPayload("ATTITUDE")
            p.set("roll", float: roll)
            p.set("yawspeed", float: roll * 2)
            return p
        }
        let rows = try #require(mapper.map(TestFrames.batch(payloads, timestamps: [1, 2, 3, 4])).first)
        #expect(try Self.column(rows, "roll").isIdentical(to: .float32(rolls)))
        #expect(try Self.column(rows, "yaw_rate").isIdentical(to: .float32(rolls.map { $0 * 2 })))
    }

    @Test("NAMED_VALUE_FLOAT: the name picks the row group; other names are not stored")
    func namedValues() throws {
        let mapper = try Self.mapper("ardupilot-sprayer")
        let names = ["SPRAY_LPM", "TANK_L", "SPRAY_LPM", "SPRAY_LPM"]
        let values: [Float] = [2.45, 17.0, 0, 3.1]
        var payloads: [TestPayload] = []
        for k in names.indices {
            var p = TestPayload("NAMED_VALUE_FLOAT")
            p.set("name", text: names[k])
            p.set("value", float: values[k])
            payloads.append(p)
        }
        let out = mapper.map(TestFrames.batch(payloads, timestamps: [100, 200, 300, 400]))
        #expect(out.map(\.group) == ["spray"])
        let rows = try #require(out.first)
        #expect(rows.timestamps == [100, 300, 400])
        #expect(rows.channels == [StoreChannel(name: "flow", valueType: .float64, unit: "L/min", decimalExponent: 2)])
        #expect(rows.columns[0].isIdentical(to: .float64([2.45, 0, 3.1])))
        // A batch without any matching name yields nothing.
        var other = TestPayload("NAMED_VALUE_FLOAT")
        other.set("name", text: "OTHER")
        #expect(mapper.map(TestFrames.batch([other], timestamps: [1])).isEmpty)
    }

    @Test("STATUSTEXT: severity state and text string")
    func statusText() throws {
        let mapper = try Self.mapper("ardupilot-sprayer")
        var p = TestPayload("STATUSTEXT")
        p.set("severity", UInt8(4))
        p.set("text", text: "Sprayer: tank empty")
        let rows = try #require(mapper.map(TestFrames.batch([p], timestamps: [5])).first)
        #expect(try Self.column(rows, "severity").isIdentical(to: .state([4])))
        #expect(try Self.column(rows, "text").isIdentical(to: .string(["Sprayer: tank empty"])))
    }

    @Test("SERVO_OUTPUT_RAW goes to the profile's group name; unmapped messages yield nothing")
    func groupsAndUnmapped() throws {
        let mapper = try Self.mapper("ardupilot-sprayer")
        var servo = TestPayload("SERVO_OUTPUT_RAW")
        servo.set("servo9_raw", UInt16(1900))
        servo.set("servo10_raw", UInt16(1100))
        let rows = try #require(mapper.map(TestFrames.batch([servo], timestamps: [1])).first)
        #expect(rows.group == "sprayer_outputs")
        #expect(rows.columns[0].isIdentical(to: .int64([1900])))
        #expect(rows.columns[1].isIdentical(to: .int64([1100])))

        let scaledIMU = try #require(MAVLinkDialect.ardupilotmega.messages.firstIndex { $0.name == "SCALED_IMU" })
        #expect(!mapper.maps(messageIndex: scaledIMU))
        #expect(!mapper.maps(messageIndex: -1))
        #expect(!mapper.maps(messageIndex: 100_000))
        #expect(mapper.map(TestFrames.batch([TestPayload("SCALED_IMU")], timestamps: [1])).isEmpty)
    }

    // MARK: - PX4 and generic

    @Test("PX4: main and sub mode from custom_mode")
    func px4Modes() throws {
        let mapper = try Self.mapper("px4-multirotor")
        var p = TestPayload("HEARTBEAT")
        p.set("custom_mode", UInt32(4 << 16 | 4 << 24))  // AUTO.MISSION
        p.set("base_mode", UInt8(0x80))
        var q = TestPayload("HEARTBEAT")
        q.set("custom_mode", UInt32(3 << 16))  // POSCTL
        let rows = try #require(mapper.map(TestFrames.batch([p, q], timestamps: [1, 2])).first)
        #expect(try Self.column(rows, "main_mode").isIdentical(to: .state([4, 3])))
        #expect(try Self.column(rows, "sub_mode").isIdentical(to: .state([4, 0])))
        #expect(try Self.column(rows, "armed").isIdentical(to: .bool([true, false])))

        var landed = TestPayload("EXTENDED_SYS_STATE")
        landed.set("landed_state", UInt8(2))
        let landedRows = try #require(mapper.map(TestFrames.batch([landed], timestamps: [1])).first)
        #expect(landedRows.channels == [StoreChannel(name: "landed_state", valueType: .state)])
        #expect(landedRows.columns[0].isIdentical(to: .state([2])))
    }

    @Test("generic: every field in declaration order, native types, arrays per element")
    func generic() throws {
        let mapper = try Self.mapper("generic-mavlink")
        for index in MAVLinkDialect.ardupilotmega.messages.indices {
            #expect(mapper.maps(messageIndex: index))
        }
        var p = TestPayload("GLOBAL_POSITION_INT")
        p.set("lat", Int32(473_977_418))
        p.set("hdg", UInt16(65_535))
        let rows = try #require(mapper.map(TestFrames.batch([p], timestamps: [1])).first)
        #expect(rows.channels.map(\.name) == ["time_boot_ms", "lat", "lon", "alt", "relative_alt", "vx", "vy", "vz", "hdg"])
        #expect(rows.channels[1] == StoreChannel(name: "lat", valueType: .int64, unit: "degE7"))
        #expect(try Self.column(rows, "lat").isIdentical(to: .int64([473_977_418])))
        #expect(try Self.column(rows, "hdg").isIdentical(to: .int64([65_535])))

        var battery = TestPayload("BATTERY_STATUS")
        battery.set("voltages", UInt16(4_200), element: 9)
        battery.set("battery_function", UInt8(1))
        let batteryRows = try #require(mapper.map(TestFrames.batch([battery], timestamps: [1])).first)
        #expect(try Self.column(batteryRows, "voltages_9").isIdentical(to: .int64([4_200])))
        #expect(try Self.column(batteryRows, "battery_function").isIdentical(to: .state([1])))

        var text = TestPayload("STATUSTEXT")
        text.set("text", text: "hello")
        let textRows = try #require(mapper.map(TestFrames.batch([text], timestamps: [1])).first)
        #expect(try Self.column(textRows, "text").isIdentical(to: .string(["hello"])))

        var attitude = TestPayload("ATTITUDE")
        attitude.set("roll", float: 0.25)
        let attitudeRows = try #require(mapper.map(TestFrames.batch([attitude], timestamps: [1])).first)
        #expect(try Self.column(attitudeRows, "roll").isIdentical(to: .float32([0.25])))
    }

    @Test("map_all with overrides, replace, exclude")
    func overrides() throws {
        let profile = try DeviceProfile(
            parsing: """
                name = "custom"
                [mavlink]
                map_all = true
                exclude = ["ATTITUDE"]
                [mavlink.messages.SYS_STATUS]
                channels = [{ name = "voltage_battery", unit = "V", scale = 0.001, resolution = 0.001 }]
                [mavlink.messages.VFR_HUD]
                replace = true
                group = "hud"
                channels = [{ field = "groundspeed", type = "float64" }]
                """)
        let mapper = try MAVLinkMapper(profile: profile)
        let dialect = MAVLinkDialect.ardupilotmega
        #expect(!mapper.maps(messageIndex: try #require(dialect.index(of: 30))))
        var sys = TestPayload("SYS_STATUS")
        sys.set("voltage_battery", UInt16(12_600))
        sys.set("load", UInt16(500))
        let sysRows = try #require(mapper.map(TestFrames.batch([sys], timestamps: [1])).first)
        let info = try #require(dialect.message(named: "SYS_STATUS"))
        #expect(sysRows.channels.map(\.name) == info.declarationOrder.map { info.fields[$0].name })
        #expect(try Self.column(sysRows, "voltage_battery").isIdentical(to: .float64([12.6])))
        #expect(try Self.column(sysRows, "load").isIdentical(to: .int64([500])))

        var hud = TestPayload("VFR_HUD")
        hud.set("groundspeed", float: 0.1)
        let hudRows = try #require(mapper.map(TestFrames.batch([hud], timestamps: [1])).first)
        #expect(hudRows.group == "hud")
        #expect(hudRows.channels.map(\.name) == ["groundspeed"])
        #expect(hudRows.columns[0].isIdentical(to: .float64([Double(Float(0.1))])))
    }

    @Test("calibration: polynomial and two-point, after scale and offset")
    func calibration() throws {
        let profile = try DeviceProfile(
            parsing: """
                name = "cal"
                [mavlink]
                [mavlink.messages.RC_CHANNELS_RAW]
                channels = [
                  { name = "poly", field = "chan1_raw", scale = 0.5, offset = 1, polynomial = [1, 2, 3] },
                  { name = "line", field = "chan2_raw", two_point = [[1000, 0], [2000, 100]], resolution = 0.1 },
                  { name = "rounded", field = "chan3_raw", scale = 0.001, type = "int64" },
                  { name = "f32", field = "chan4_raw", scale = 0.01, type = "float32", resolution = 0.01 },
                ]
                """)
        let mapper = try MAVLinkMapper(profile: profile)
        var p = TestPayload("RC_CHANNELS_RAW")
        p.set("chan1_raw", UInt16(10))
        p.set("chan2_raw", UInt16(1500))
        p.set("chan3_raw", UInt16(1600))
        p.set("chan4_raw", UInt16(1234))
        let rows = try #require(mapper.map(TestFrames.batch([p], timestamps: [1])).first)
        let x = 10.0 * 0.5 + 1
        #expect(try Self.column(rows, "poly").isIdentical(to: .float64([(3 * x + 2) * x + 1])))
        #expect(try Self.column(rows, "line").isIdentical(to: .float64([50])))
        #expect(try Self.column(rows, "rounded").isIdentical(to: .int64([2])))
        #expect(try Self.column(rows, "f32").isIdentical(to: .float32([Float(1234) / Float(100)])))
    }

    // MARK: - A real flight

    @Test("the sample ArduPilot log maps under every shipped profile", arguments: ProfileTests.shipped)
    func sampleLog(_ name: String) throws {
        let mapper = try Self.mapper(name)
        let data = try #require(FileManager.default.contents(atPath: Repository.path("SampleData/ardupilot-vtol.tlog")))
        // The tlog's 8-byte timestamps are skipped by the framer as noise; rows get their frame number.
        var framer = MAVLinkFramer()
        var batcher = MAVLinkBatcher(rowsPerBatch: 512)
        var frames = 0
        var mappedRows = 0
        var mappedFrames = 0
        var groups = Set<String>()
        func take(_ batch: MAVLinkBatch) {
            let out = mapper.map(batch)
            if let index = MAVLinkDialect.ardupilotmega.index(of: batch.message.id), mapper.maps(messageIndex: index) {
                mappedFrames += batch.count
            } else {
                #expect(out.isEmpty)
            }
            for rows in out {
                groups.insert(rows.group)
                mappedRows += rows.timestamps.count
                #expect(rows.columns.count == rows.channels.count)
                for (channel, column) in zip(rows.channels, rows.columns) {
                    #expect(column.count == rows.timestamps.count)
                    #expect(column.valueType == channel.valueType)
                    // Every declared-resolution value is in the decimal codec's exact form.
                    if let k = channel.decimalExponent, case .float64(let values) = column {
                        let p = Double("1e\(k)")!
                        let inexact = values.filter { v in
                            let m = (v * p).rounded()
                            return v.isFinite && (Double(Int64(m)) / p).bitPattern != v.bitPattern
                        }
                        #expect(inexact.isEmpty, "\(rows.group).\(channel.name): \(inexact.prefix(3))")
                    }
                }
            }
        }
        framer.feed(Array(data)) { frame in
            batcher.append(frame, timestamp: Int64(frames), onFull: take)
            frames += 1
        }
        batcher.flush(take)
        print("\(name): \(frames) frames, \(mappedFrames) mapped, \(mappedRows) rows in \(groups.count) row groups")
        #expect(frames > 1000)
        #expect(groups.contains("GLOBAL_POSITION_INT"))
        if name == "ardupilot-sprayer" {
            // NAMED_VALUE_FLOAT rows with other names than SPRAY_LPM are not stored.
            #expect(mappedRows <= mappedFrames)
        } else {
            // Without select_by splits, every mapped frame becomes exactly one row.
            #expect(mappedRows == mappedFrames)
        }
    }

    // MARK: - Throughput

    @Test("throughput on a 4096-row GLOBAL_POSITION_INT batch (printed, not asserted)")
    func throughput() throws {
        let mapper = try Self.mapper("ardupilot-sprayer")
        var generator = SystemRandomNumberGenerator()
        var payloads: [TestPayload] = []
        for _ in 0..<4096 {
            var p = TestPayload("GLOBAL_POSITION_INT")
            p.set("lat", Int32.random(in: 470_000_000...480_000_000, using: &generator))
            p.set("lon", Int32.random(in: 80_000_000...90_000_000, using: &generator))
            p.set("alt", Int32.random(in: 400_000...600_000, using: &generator))
            p.set("relative_alt", Int32.random(in: 0...50_000, using: &generator))
            p.set("vx", Int16.random(in: -1000...1000, using: &generator))
            p.set("hdg", UInt16.random(in: 0...35_999, using: &generator))
            payloads.append(p)
        }
        let batch = TestFrames.batch(payloads, timestamps: (0..<4096).map { Int64($0) * 100_000 })
        var rows = 0
        _ = mapper.map(batch)  // warm-up
        let clock = ContinuousClock()
        let iterations = 50
        let elapsed = clock.measure {
            for _ in 0..<iterations { rows += mapper.map(batch).reduce(0) { $0 + $1.timestamps.count } }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let perSecond = Double(rows) / seconds
        print("MAVLinkMapper: \(rows) GLOBAL_POSITION_INT rows (9 channels) in \(String(format: "%.1f", seconds * 1000)) ms = \(String(format: "%.2f", perSecond / 1e6)) M rows/s")
        #expect(rows == 4096 * iterations)
    }
}
