import Testing
@testable import FurrowWire

@Suite("Cayenne LPP")
struct CayenneLPPTests {
    /// The examples of the myDevices "Cayenne Low Power Payload" documentation (§ Examples).
    @Test("two temperature channels: 03 67 01 10 05 67 00 FF")
    func twoTemperatures() throws {
        let r = try CayenneLPP.decode(hexBytes("03 67 01 10 05 67 00 FF"))
        #expect(r == [
            .init(channel: 3, type: .temperature, value: .scalar(27.2)),
            .init(channel: 5, type: .temperature, value: .scalar(25.5)),
        ])
    }

    @Test("negative temperature and accelerometer: 01 67 FF D7 06 71 04 D2 FB 2E 00 00")
    func temperatureAndAcceleration() throws {
        let r = try CayenneLPP.decode(hexBytes("01 67 FF D7 06 71 04 D2 FB 2E 00 00"))
        #expect(r == [
            .init(channel: 1, type: .temperature, value: .scalar(-4.1)),
            .init(channel: 6, type: .accelerometer, value: .vector(x: 1.234, y: -1.234, z: 0)),
        ])
    }

    @Test("GPS: 01 88 06 76 5F F2 96 0A 00 03 E8")
    func gps() throws {
        let r = try CayenneLPP.decode(hexBytes("01 88 06 76 5F F2 96 0A 00 03 E8"))
        #expect(r == [.init(channel: 1, type: .gps, value: .gps(latitude: 42.3519, longitude: -87.9094, altitude: 10))])
    }

    @Test("every other standard type with its resolution")
    func allTypes() throws {
        let payload = hexBytes("""
            00 00 01   01 01 00   02 02 FF 38   03 03 01 F4   04 65 01 2C   05 66 01
            06 68 61   07 73 27 AF   08 86 FF 9C 00 64 00 00
            """)
        let r = try CayenneLPP.decode(payload)
        #expect(r.map(\.value) == [
            .scalar(1), .scalar(0), .scalar(-2), .scalar(5), .scalar(300), .scalar(1),
            .scalar(48.5), .scalar(1015.9), .vector(x: -1, y: 1, z: 0),
        ])
        #expect(r.map(\.channel) == [0, 1, 2, 3, 4, 5, 6, 7, 8])
    }

    @Test("unknown types and cut values are invalidPayload")
    func errors() {
        for bad in ["01 67 01", "01 FF 00 00", "01", "01 88 06 76 5F F2 96 0A 00 03"] {
            do throws(LoRaWANError) {
                _ = try CayenneLPP.decode(hexBytes(bad))
                Issue.record("\(bad) accepted")
            } catch {
                #expect(error.code == .invalidPayload)
            }
        }
    }
}

@Suite("Dragino LSE01")
struct DraginoLSE01Tests {
    /// Payloads and vendor-decoder outputs from ../shared/agro-vectors/protocol_vectors.json (TTN
    /// lorawan-devices `vendor/dragino/lse01.js` @ 0874a8f run with node).
    @Test("the documented typical uplink")
    func typical() throws {
        let r = try DraginoLSE01.decode(hexBytes("0CF400E30C350898018500"))
        #expect(r.batteryVolts == 3.316)
        #expect(r.probeTemperature == 22.7)
        #expect(r.soilMoisture == 31.25)
        #expect(r.soilTemperature == 22.0)
        #expect(r.soilConductivity == 389)
        #expect(r.flags == 0)
    }

    @Test("dry soil, no EC, no flags byte")
    func dry() throws {
        let r = try DraginoLSE01.decode(hexBytes("0D0A01040190093A0000"))
        #expect(r.batteryVolts == 3.338 && r.probeTemperature == 26.0 && r.soilMoisture == 4.0)
        #expect(r.soilTemperature == 23.62 && r.soilConductivity == 0 && r.flags == nil)
    }

    /// The TTN decoder computes v - 0xFFFF and prints -0.99 and 0.00 here; two's complement is -1.00 and -0.01.
    @Test("negative temperatures are two's complement", arguments: [
        ("0CE400000B54FF9C00C8", -1.0), ("0CE400000B54FFFF00C8", -0.01), ("0CE400000B548000 00C8", -327.68),
    ])
    func negativeSoilTemperature(hex: String, celsius: Double) throws {
        let r = try DraginoLSE01.decode(hexBytes(hex))
        #expect(r.soilTemperature == celsius)
        #expect(r.batteryVolts == 3.3 && r.soilMoisture == 29.0 && r.soilConductivity == 200)
    }

    @Test("negative probe temperature: 0xFF9C is -10.0 °C")
    func negativeProbe() throws {
        #expect(try DraginoLSE01.decode(hexBytes("CCE4FF9C0B54FF9C00C8")).probeTemperature == -10.0)
        // The top two bits of the battery word are status, not voltage.
        #expect(try DraginoLSE01.decode(hexBytes("CCE4FF9C0B54FF9C00C8")).batteryVolts == 3.3)
    }

    @Test("wrong port and short payloads are invalidPayload")
    func errors() {
        #expect(throws: LoRaWANError.self) { try DraginoLSE01.decode(hexBytes("0CF400E30C350898018500"), fPort: 3) }
        #expect(throws: LoRaWANError.self) { try DraginoLSE01.decode(hexBytes("0CF400E30C3508980185")[...8]) }
    }
}

@Suite("Dragino LHT65")
struct DraginoLHT65Tests {
    /// The example of TheThingsNetwork/lorawan-devices `vendor/dragino/lht65-codec.yaml`: BatV 3.062,
    /// Bat_status 3, TempC_SHT 28.29, Hum_SHT 88.6, external temperature sensor TempC_DS 27.81.
    @Test("the codec example CB F6 0B 0D 03 76 01 0A DD 7F FF")
    func example() throws {
        let r = try DraginoLHT65.decode(hexBytes("CBF60B0D0376010ADD7FFF"))
        #expect(r.batteryVolts == 3.062 && r.batteryStatus == 3)
        #expect(r.temperature == 28.29 && r.humidity == 88.6)
        #expect(r.external == .temperature(27.81))
        #expect(!r.externalDisconnected && !r.isPollReply)
        #expect(throws: LoRaWANError.self) { try DraginoLHT65.decode(hexBytes("CBF60B0D0376010ADD7FFF"), fPort: 42) }
    }

    @Test("negative temperatures, disconnected probe, illuminance and counters")
    func variants() throws {
        let cold = try DraginoLHT65.decode(hexBytes("CBF6FF9C0376 81 FC18 7FFF"))
        #expect(cold.temperature == -1.0 && cold.external == .temperature(-10.0) && cold.externalDisconnected)
        #expect(try DraginoLHT65.decode(hexBytes("CBF60B0D0376 05 01F4 0000")).external == .illuminance(500))
        #expect(try DraginoLHT65.decode(hexBytes("CBF60B0D0376 08 0001 0002")).external == .count(0x0001_0002))
        #expect(try DraginoLHT65.decode(hexBytes("FF9C0B0DC376 09 6000 0000")).external == .temperatureWithTimestamp(-1.0, timestamp: 0x6000_0000))
        #expect(throws: LoRaWANError.self) { try DraginoLHT65.decode(hexBytes("CBF60B0D0376010ADD7F")) }
    }
}
